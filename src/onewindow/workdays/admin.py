"""Holiday table admin (工作日历): every save and delete is a workdays act, so it is validated and audited.

A holiday edit changes every deadline computed after it, so only the center's administrators may make one.
Django's admin runs each save and delete in its own transaction, so it composes the acts rather than calling
the durable public acts.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.forms.models import BaseInlineFormSet

from onewindow.core.errors import DomainError
from onewindow.workdays import acts, services
from onewindow.workdays.acts import Day
from onewindow.workdays.models import CalendarYear, SpecialDay


class _CalendarAdmin(admin.ModelAdmin):
    """Other staff may look; only calendar editors (the acts' rule) change anything."""

    def _is_editor(self, request) -> bool:
        try:
            acts.require_calendar_editor(request.user)
        except DomainError:
            return False
        return True

    def has_add_permission(self, request, *args):
        return self._is_editor(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return self._is_editor(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._is_editor(request) and super().has_delete_permission(request, obj)


class SpecialDayFormSet(BaseInlineFormSet):
    """The days of a year, checked together as the year's arrangement (a date in the year, no date twice…)."""

    def kept_days(self) -> list[Day]:
        """The days the inline leaves, in the order shown: changed and new rows with their new values."""
        return [
            Day(f.cleaned_data["date"], f.cleaned_data["kind"], f.cleaned_data.get("name", ""))
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]

    def clean(self):
        super().clean()
        if any(self.errors) or self.instance.year is None:
            return
        problems = acts.arrangement_problems(self.instance.year, self.kept_days())
        if problems:
            raise forms.ValidationError(problems)


class SpecialDayInline(admin.TabularInline):
    model = SpecialDay
    formset = SpecialDayFormSet
    extra = 0
    fields = ("date", "kind", "name")


@admin.register(CalendarYear)
class CalendarYearAdmin(_CalendarAdmin):
    list_display = ("year", "source", "holiday_count", "workday_count", "updated_at")
    inlines = [SpecialDayInline]

    @admin.display(description="法定节假日天数")
    def holiday_count(self, obj):
        return obj.days.filter(kind=SpecialDay.Kind.HOLIDAY).count()

    @admin.display(description="调休上班日天数")
    def workday_count(self, obj):
        return obj.days.filter(kind=SpecialDay.Kind.WORKDAY).count()

    def get_readonly_fields(self, request, obj=None):
        # A loaded year keeps its number: its days belong to it. Delete it and add the other year instead.
        return ("year",) if obj is not None else ()

    def save_model(self, request, obj, form, change):
        """Nothing yet: the year and the days of its inline are saved together, as one act, in save_related."""

    def save_related(self, request, form, formsets, change):
        inline = next((f for f in formsets if isinstance(f, SpecialDayFormSet)), None)
        days = _days_after_edit(inline, form.instance) if inline is not None else None
        if change:
            acts.change_calendar_year(
                form.instance, source=form.cleaned_data["source"], days=days, by=request.user
            )
        else:
            added = acts.add_calendar_year(
                year=form.cleaned_data["year"], source=form.cleaned_data["source"], days=days or (), by=request.user
            )
            form.instance.pk = added.pk
        # The admin's change message reads these; the service wrote the rows.
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def delete_model(self, request, obj):
        acts.delete_calendar_years([obj], by=request.user)

    def delete_queryset(self, request, queryset):
        # Bulk delete is an action, which Django runs outside any transaction: the public service opens one.
        services.delete_calendar_years(queryset, by=request.user)


def _days_after_edit(formset: SpecialDayFormSet, calendar_year: CalendarYear) -> list[Day]:
    """The year's days as the inline leaves them; a day added meanwhile by someone else (not on the page) stays."""
    shown = {f.instance.pk for f in formset.initial_forms}
    others = [Day(d.date, d.kind, d.name) for d in calendar_year.days.exclude(pk__in=shown)] if calendar_year.pk else []
    return [*others, *formset.kept_days()]


@admin.register(SpecialDay)
class SpecialDayAdmin(_CalendarAdmin):
    list_display = ("date", "kind", "name", "calendar_year")
    list_filter = ("kind", "calendar_year")
    date_hierarchy = "date"

    def get_readonly_fields(self, request, obj=None):
        # A day stays in its year; to move it to another year, delete it and add it there.
        return ("calendar_year",) if obj is not None else ()

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            acts.change_special_day(obj, date=data["date"], kind=data["kind"], name=data["name"], by=request.user)
        else:
            day = acts.add_special_day(
                calendar_year=data["calendar_year"],
                date=data["date"],
                kind=data["kind"],
                name=data["name"],
                by=request.user,
            )
            obj.pk = day.pk

    def delete_model(self, request, obj):
        acts.delete_special_days([obj], by=request.user)

    def delete_queryset(self, request, queryset):
        # Bulk delete is an action, which Django runs outside any transaction: the public service opens one.
        services.delete_special_days(queryset, by=request.user)
