"""Catalog admin (事项清单管理): every save goes through a catalog act, so it is validated and audited.

Django's admin wraps each form's save and delete (and the list's editable column) in its own transaction, so those
compose `catalog.acts`; actions ("delete selected", publish, new drafts) run outside any transaction and call the
durable `catalog.services`.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from onewindow.catalog import acts, selectors, services
from onewindow.catalog.models import (
    Department,
    Hall,
    ItemType,
    ItemVersion,
    Material,
    ServiceItem,
    ServicePoint,
    StaffAssignment,
    Step,
    Theme,
    ThemeItem,
)
from onewindow.core.errors import DomainError


def _is_catalog_editor(request) -> bool:
    try:
        acts.require_catalog_editor(request.user)
    except DomainError:
        return False
    return True


class EditorOnlyAdmin(admin.ModelAdmin):
    """Other staff may look; only center administrators (the services' rule) may change the catalog."""

    def has_add_permission(self, request, *args):
        return _is_catalog_editor(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return _is_catalog_editor(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _is_catalog_editor(request) and super().has_delete_permission(request, obj)


class AuditedAdmin(EditorOnlyAdmin):
    """Reference data: saves and deletes go through acts.save_reference / delete_reference."""

    def save_model(self, request, obj, form, change):
        acts.save_reference(obj, by=request.user)

    def delete_model(self, request, obj):
        acts.delete_reference(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        # Bulk delete is an action, which Django runs outside any transaction: one public service, all or none.
        services.delete_references(queryset, by=request.user)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            acts.delete_reference(obj, by=request.user)
        for obj in instances:
            acts.save_reference(obj, by=request.user)
        formset.save_m2m()


class HallInline(admin.TabularInline):
    model = Hall
    extra = 0
    fields = ("code", "name", "floor", "hours", "self_service", "sort_order")


@admin.register(ServicePoint)
class ServicePointAdmin(AuditedAdmin):
    list_display = ("code", "name", "level", "parent", "phone", "sort_order")
    list_filter = ("level",)
    search_fields = ("code", "name")
    inlines = [HallInline]


@admin.register(Department)
class DepartmentAdmin(AuditedAdmin):
    list_display = (
        "code",
        "name",
        "short_name",
        "functions_concentrated",
        "unit_stationed",
        "window_authorized",
        "sort_order",
    )
    list_editable = ("sort_order",)
    search_fields = ("code", "name", "short_name")


@admin.register(ItemType)
class ItemTypeAdmin(AuditedAdmin):
    list_display = ("code", "name")


# -- items and versions -------------------------------------------------------------------------


class NewItemForm(forms.ModelForm):
    """Registering an item asks for the elements its first draft cannot do without."""

    name = forms.CharField(label="事项名称", max_length=200)
    department = forms.ModelChoiceField(label="实施部门", queryset=Department.objects.all())
    item_type = forms.ModelChoiceField(label="事项类型", queryset=ItemType.objects.all())
    statutory_days = forms.IntegerField(label="法定办结时限（工作日）", min_value=0)
    promised_days = forms.IntegerField(label="承诺办结时限（工作日）", min_value=0)

    class Meta:
        model = ServiceItem
        fields = ("implementation_code", "basic_code")


class VersionInline(admin.TabularInline):
    """The item's versions, read-only; open one to edit a draft or compare."""

    model = ItemVersion
    fk_name = "item"
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True
    fields = ("number", "status", "name", "promised_days", "published_at", "change_reason")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class PublishForm(forms.Form):
    reason = forms.CharField(label="调整原因", widget=forms.Textarea(attrs={"rows": 3, "cols": 60}), max_length=2000)


def _publish_action(modeladmin, request, drafts: list[ItemVersion], selected_ids: list[str]):
    """Ask for the reason (调整原因) once, then publish each draft through the service, each in its own
    transaction: one refused draft is reported and does not hold back the others."""
    if "apply" in request.POST:
        form = PublishForm(request.POST)
        if form.is_valid():
            published = 0
            for draft in drafts:
                try:
                    services.publish_version(draft, by=request.user, reason=form.cleaned_data["reason"])
                    published += 1
                except DomainError as exc:
                    modeladmin.message_user(request, f"{draft}：{exc.message}", messages.ERROR)
            if published:
                modeladmin.message_user(request, f"已发布 {published} 个草稿", messages.SUCCESS)
            return None
    else:
        form = PublishForm()
    if not drafts:
        modeladmin.message_user(request, "所选事项没有草稿", messages.WARNING)
        return None
    return TemplateResponse(
        request,
        "catalog/admin/publish_reason.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": "发布草稿",
            "form": form,
            "drafts": drafts,
            "selected_ids": selected_ids,
            "action": request.POST.get("action"),
            "opts": modeladmin.model._meta,
        },
    )


@admin.register(ServiceItem)
class ServiceItemAdmin(EditorOnlyAdmin):
    list_display = ("implementation_code", "name", "department", "current_version", "has_draft")
    list_filter = ("department",)
    search_fields = ("implementation_code", "name", "name_initials", "basic_code")
    list_select_related = ("department", "published_version")
    inlines = [VersionInline]
    actions = ["start_drafts", "publish_drafts"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = NewItemForm
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None and "baseline_version" in form.base_fields:
            form.base_fields["baseline_version"].queryset = obj.versions.filter(status=ItemVersion.Status.PUBLISHED)
        return form

    def get_fields(self, request, obj=None):
        if obj is None:
            return (
                "implementation_code",
                "basic_code",
                "name",
                "department",
                "item_type",
                "statutory_days",
                "promised_days",
            )
        return (
            "implementation_code",
            "basic_code",
            "name",
            "department",
            "published_version",
            "name_initials",
            "baseline_version",
            "reductions",
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return (
            "implementation_code",
            "basic_code",
            "name",
            "department",
            "published_version",
            "name_initials",
            "reductions",
        )

    @admin.display(description="现行版本")
    def current_version(self, obj):
        return f"v{obj.published_version.number}" if obj.published_version else "—"

    def get_queryset(self, request):
        drafts = ItemVersion.objects.filter(item=OuterRef("pk"), status=ItemVersion.Status.DRAFT)
        return super().get_queryset(request).annotate(open_draft=Exists(drafts))

    @admin.display(description="有草稿", boolean=True, ordering="open_draft")
    def has_draft(self, obj):
        return obj.open_draft

    @admin.display(description="三减（对照基准版本）")
    def reductions(self, obj):
        r = selectors.item_reduction(obj)
        if r is None:
            return "尚未发布"
        return (
            f"基准 v{r.baseline_number} → 现行 v{r.current_number}：减材料 {r.materials_cut} 件，"
            f"减环节 {r.steps_cut} 个，减时限 {r.days_cut} 个工作日"
        )

    def save_model(self, request, obj, form, change):
        if not change:
            data = form.cleaned_data
            draft = acts.create_item(
                implementation_code=data["implementation_code"],
                basic_code=data["basic_code"],
                by=request.user,
                **{k: data[k] for k in ("name", "department", "item_type", "statutory_days", "promised_days")},
            )
            obj.pk = draft.item_id
            obj._draft = draft
        elif "baseline_version" in form.changed_data:
            acts.set_baseline_version(obj, form.cleaned_data["baseline_version"], by=request.user)

    def get_inlines(self, request, obj):
        return [] if obj is None else self.inlines

    def save_related(self, request, form, formsets, change):
        """Versions are read-only here; nothing else to save."""
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def response_add(self, request, obj, post_url_continue=None):
        draft = getattr(obj, "_draft", None)
        if draft is not None:
            self.message_user(request, "已创建事项及其草稿（v1），请补充要素、材料和环节后发布", messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:catalog_itemversion_change", args=[draft.pk]))
        return super().response_add(request, obj, post_url_continue)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="新建草稿（复制现行版本）", permissions=["change"])
    def start_drafts(self, request, queryset):
        for item in queryset:
            try:
                services.start_draft(item, by=request.user)
                self.message_user(request, f"{item.name}：已新建草稿", messages.SUCCESS)
            except DomainError as exc:
                self.message_user(request, f"{item.name}：{exc.message}", messages.ERROR)

    @admin.action(description="发布草稿（须填写调整原因）", permissions=["change"])
    def publish_drafts(self, request, queryset):
        drafts = list(
            ItemVersion.objects.filter(item__in=queryset, status=ItemVersion.Status.DRAFT).select_related("item")
        )
        return _publish_action(self, request, drafts, request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME))


class DraftPartInline(admin.TabularInline):
    """Materials or steps: editable on a draft, read-only on a published version."""

    extra = 0

    def _frozen(self, obj) -> bool:
        return obj is not None and obj.is_published

    def has_add_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)


class MaterialInline(DraftPartInline):
    model = Material
    fields = ("order", "name", "form", "copies", "requirement", "source", "issuer", "notes", "blank_form", "sample")


class StepInline(DraftPartInline):
    model = Step
    fields = ("order", "name", "role", "days", "description")


VERSION_META = ("item", "number", "status", "change_reason", "published_at", "published_by", "created_at", "compare")


@admin.register(ItemVersion)
class ItemVersionAdmin(EditorOnlyAdmin):
    list_display = ("item", "number", "status", "name", "department", "promised_days", "published_at")
    list_filter = ("status", "department", "item_type")
    search_fields = ("name", "item__implementation_code")
    list_select_related = ("item", "department")
    inlines = [MaterialInline, StepInline]
    actions = ["publish_selected"]
    fieldsets = (
        ("版本", {"fields": VERSION_META}),
        (
            "基本信息",
            {
                "fields": (
                    "name",
                    "item_type",
                    "department",
                    "level",
                    "service_objects",
                    "legal_basis",
                    "conditions",
                )
            },
        ),
        (
            "时限与方式",
            {
                "fields": (
                    "statutory_days",
                    "promised_days",
                    "time_limit_note",
                    "max_extension_days",
                    "case_kind",
                    "visits",
                    "mode_immediate",
                    "mode_online",
                    "mode_nearby",
                    "mode_one_visit",
                    "online_depth",
                )
            },
        ),
        (
            "收费、结果与送达",
            {
                "fields": (
                    "fee_free",
                    "fee_amount",
                    "fee_basis",
                    "result_type",
                    "result_name",
                    "delivery_pickup",
                    "delivery_post",
                    "delivery_electronic",
                )
            },
        ),
        (
            "地点、监管与咨询",
            {
                "fields": (
                    "handling_place",
                    "handling_hours",
                    "central_acceptance",
                    "online_platform",
                    "supervising_department",
                    "consult_phone",
                    "complaint_phone",
                )
            },
        ),
    )

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_published:
            return (*VERSION_META, *selectors.ELEMENT_FIELDS)
        return VERSION_META

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return (obj is None or not obj.is_published) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or not obj.is_published) and super().has_delete_permission(request, obj)

    @admin.display(description="版本对比")
    def compare(self, obj):
        others = obj.item.versions.exclude(pk=obj.pk).order_by("-number")
        return (
            format_html_join(
                " ",
                '<a href="{}?against={}">与 v{} 对比</a>',
                ((reverse("admin:catalog_itemversion_diff", args=[obj.pk]), v.pk, v.number) for v in others),
            )
            or "—"
        )

    def save_model(self, request, obj, form, change):
        elements = {name: form.cleaned_data[name] for name in form.changed_data if name in selectors.ELEMENT_FIELDS}
        acts.update_draft(obj, by=request.user, **elements)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        if instances or formset.deleted_objects:
            acts.save_draft_parts(form.instance, by=request.user, save=instances, delete=formset.deleted_objects)

    def delete_model(self, request, obj):
        acts.discard_draft(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        # Bulk delete is an action, which Django runs outside any transaction: one public service, all or none.
        services.discard_drafts(queryset, by=request.user)

    @admin.action(description="发布草稿（须填写调整原因）", permissions=["change"])
    def publish_selected(self, request, queryset):
        drafts = list(queryset.filter(status=ItemVersion.Status.DRAFT).select_related("item"))
        return _publish_action(self, request, drafts, request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME))

    def get_urls(self):
        return [
            path("<int:pk>/diff/", self.admin_site.admin_view(self.diff_view), name="catalog_itemversion_diff"),
            *super().get_urls(),
        ]

    def diff_view(self, request, pk: int):
        """版本对比: what changed from the chosen version (`against`) to this one."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        version = get_object_or_404(ItemVersion.objects.select_related("item"), pk=pk)
        against_id = request.GET.get("against") or version.item.published_version_id
        if not against_id or not str(against_id).isdigit():
            previous = version.item.versions.filter(number__lt=version.number).order_by("-number").first()
            against_id = previous.pk if previous else version.pk
        against = get_object_or_404(ItemVersion, pk=against_id, item_id=version.item_id)
        return TemplateResponse(
            request,
            "catalog/admin/diff.html",
            {
                **self.admin_site.each_context(request),
                "title": f"版本对比：{version.name}",
                "opts": self.model._meta,
                "version": version,
                "against": against,
                "diff": selectors.diff_versions(against, version),
                "versions": version.item.versions.order_by("-number"),
            },
        )


class ThemeItemInlineForm(forms.ModelForm):
    class Meta:
        model = ThemeItem
        fields = ("item", "order", "requires")


class ThemeItemInline(admin.TabularInline):
    """Items of a theme; prerequisites can be chosen among the items already saved in it."""

    model = ThemeItem
    form = ThemeItemInlineForm
    extra = 0
    autocomplete_fields = ("item",)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        field = formset.form.base_fields["requires"]
        field.queryset = ThemeItem.objects.filter(theme=obj).select_related("item") if obj else ThemeItem.objects.none()
        field.label_from_instance = lambda entry: entry.item.name
        field.required = False
        return formset


@admin.register(Theme)
class ThemeAdmin(AuditedAdmin):
    list_display = ("code", "name", "lead_department", "promised_days", "published", "item_names")
    list_filter = ("published", "lead_department")
    search_fields = ("code", "name")
    exclude = ("name_initials",)
    inlines = [ThemeItemInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("lead_department").prefetch_related("theme_items__item")

    @admin.display(description="事项")
    def item_names(self, obj):
        return format_html("{}", "、".join(ti.item.name for ti in obj.theme_items.all()))

    def save_formset(self, request, form, formset, change):
        if formset.model is not ThemeItem:
            return super().save_formset(request, form, formset, change)
        # The change message reads these; the service changes the entries itself.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if not formset.has_changed():
            return None  # a change of the theme's own fields leaves its items alone
        kept = [f for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        kept.sort(key=lambda f: f.cleaned_data.get("order") or 0)
        in_theme = {f.cleaned_data["item"].pk for f in kept}
        entries = [
            (
                f.cleaned_data["item"],
                [r.item for r in f.cleaned_data.get("requires", []) if r.item_id in in_theme],
            )
            for f in kept
        ]
        acts.set_theme_items(form.instance, entries, by=request.user)
        return None


@admin.register(StaffAssignment)
class StaffAssignmentAdmin(EditorOnlyAdmin):
    """人员所属部门: who works for which department; every change goes through `assign_department`, audited.

    The admin wraps a form's save and delete in its own transaction, so these compose the act rather than calling
    the durable public service; bulk delete, an action, runs outside any and calls the service.
    """

    list_display = ("user", "department")
    list_filter = ("department",)
    search_fields = ("user__username", "user__display_name")
    autocomplete_fields = ("user",)

    def get_readonly_fields(self, request, obj=None):
        # The person is the row's key: to move someone, change their department, not the person.
        return ("user",) if obj is not None else ()

    def save_model(self, request, obj, form, change):
        acts.assign_department(obj.user, department=obj.department, by=request.user)

    def delete_model(self, request, obj):
        acts.assign_department(obj.user, department=None, by=request.user)

    def delete_queryset(self, request, queryset):
        # Bulk delete is an action, which Django runs outside any transaction: each row is a public service.
        for obj in queryset.select_related("user"):
            services.assign_department(obj.user, department=None, by=request.user)
