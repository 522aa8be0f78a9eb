"""The admin (Chinese) where catalog editors design forms: the data element dictionary, and each draft item
version's form with its fields (data element picker) and rules as inlines — every write through the audited acts,
read-only once the item version is published, with the changes against the previous published version shown."""

from __future__ import annotations

from typing import cast

from django.contrib import admin
from django.forms import ModelChoiceField
from django.utils.html import format_html_join

from onewindow.catalog.admin import EditorOnlyAdmin
from onewindow.catalog.models import Material
from onewindow.forms import acts, selectors
from onewindow.forms.models import DataElement, FormField, FormRule, FormVersion

CHANGE_LABELS = {"added": "新增", "removed": "删除", "changed": "修改"}


@admin.register(DataElement)
class DataElementAdmin(EditorOnlyAdmin):
    list_display = ("code", "name_zh", "name_en", "kind", "standard", "source", "authoritative")
    list_filter = ("kind", "source", "authoritative")
    search_fields = ("code", "name_zh", "name_en", "standard")

    def save_model(self, request, obj, form, change):
        acts.save_element(obj, by=request.user)

    def delete_model(self, request, obj):
        acts.delete_element(obj, by=request.user)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one at a time, each checked for fields that still use it
        return actions


class _FormPartInline(admin.TabularInline):
    """Fields or rules: editable while the item version is a draft, read-only once it is published."""

    extra = 0

    def _frozen(self, obj) -> bool:
        return obj is not None and obj.item_version.is_published

    def has_add_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)


class FormFieldInline(_FormPartInline):
    model = FormField
    fk_name = "form"
    fields = ("order", "key", "kind", "label_zh", "label_en", "required", "element", "unit", "table", "choices",
              "min_length", "max_length", "min_value", "max_value", "whole_number", "pattern", "shown_when", "material",
              "help_zh", "help_en")
    autocomplete_fields = ("element",)

    def get_formset(self, request, obj=None, **kwargs):
        """Offer only this item version's materials and this form's own tables (a catalog holds thousands of
        materials and every form's fields: listing them all in every row made the page take a minute); a value
        posted from outside those choices is refused with the field named. On the add page there is no form yet,
        so nothing is offered."""
        formset = super().get_formset(request, obj, **kwargs)
        fields = formset.form.base_fields
        if "material" in fields:
            material = cast(ModelChoiceField, fields["material"])
            material.queryset = (Material.objects.filter(version_id=obj.item_version_id) if obj is not None
                                 else Material.objects.none())
            material.error_messages["invalid_choice"] = "只能选择本事项版本的申请材料"
            material.help_text = "本事项版本的申请材料"
        if "table" in fields:
            table = cast(ModelChoiceField, fields["table"])
            table.queryset = (FormField.objects.filter(form=obj, kind="table", table__isnull=True)
                              if obj is not None and obj.pk is not None else FormField.objects.none())
            table.error_messages["invalid_choice"] = "只能选择本申请表中的表格字段"
            table.help_text = "本申请表中的表格字段"
        return formset


class FormRuleInline(_FormPartInline):
    model = FormRule
    fields = ("order", "kind", "field_a", "field_b", "column", "value", "message_zh", "message_en")


@admin.register(FormVersion)
class FormVersionAdmin(EditorOnlyAdmin):
    list_display = ("__str__", "item_version", "created_at")
    search_fields = ("item_version__item__implementation_code", "item_version__name")
    inlines = (FormFieldInline, FormRuleInline)
    readonly_fields = ("changes",)
    raw_id_fields = ("item_version",)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ("item_version", "title", "replaces", "changes") if obj.item_version.is_published else (
                "item_version", "changes")
        return ()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "replaces" in form.base_fields:  # only a material of this form's own item version
            field = cast(ModelChoiceField, form.base_fields["replaces"])
            field.queryset = Material.objects.filter(version_id=obj.item_version_id) if obj is not None \
                else Material.objects.none()
        return form

    @admin.display(description="与上一发布版本相比")
    def changes(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        before = selectors.previous_published(obj.item_version)
        rows = selectors.diff(selectors.spec_for_version(before), selectors.spec_of(obj))
        if not rows:
            return "无变化"
        return format_html_join(
            "", "<div>{}：{}（{}）{}</div>",
            ((CHANGE_LABELS[c.change], c.label, c.key,
              "　⚠ 上一版本必填的字段被删除：允许发布，但请确认" if c.required_dropped else
              ("　变更：" + "；".join(str(v) for v in c.values) if c.values else "")) for c in rows))

    def save_model(self, request, obj, form, change):
        if not change:
            saved = acts.open_form(obj.item_version, by=request.user, title=obj.title)
            obj.pk = saved.pk
        elif {"title", "replaces"} & set(form.changed_data):
            acts.save_form_parts(obj, by=request.user)
            FormVersion.objects.filter(pk=obj.pk).update(title=obj.title, replaces=obj.replaces)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        if instances or formset.deleted_objects:
            acts.save_form_parts(form.instance, by=request.user, save=instances, delete=formset.deleted_objects)

    def delete_model(self, request, obj):
        acts.save_form_parts(obj, by=request.user, delete=[*obj.fields.all(), *obj.rules.all()])
