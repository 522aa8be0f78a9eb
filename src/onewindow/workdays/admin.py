from django.contrib import admin

from onewindow.core import audit
from onewindow.workdays.models import CalendarYear, SpecialDay


def _day(obj: SpecialDay) -> dict:
    return {"date": obj.date.isoformat(), "kind": obj.kind, "name": obj.name}


class _AuditedDays:
    """Holiday edits in the admin change every deadline computed after them, so each one is audited."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        action = "calendar.change" if change else "calendar.add"
        audit.record(action, obj=obj, by=request.user, after=_day(obj) if isinstance(obj, SpecialDay) else
                     {"year": obj.year, "source": obj.source})

    def delete_model(self, request, obj):
        before = _day(obj) if isinstance(obj, SpecialDay) else {"year": obj.year}
        audit.record("calendar.delete", obj=obj, by=request.user, before=before)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def save_formset(self, request, form, formset, change):
        for obj in formset.deleted_objects:
            audit.record("calendar.delete", obj=obj, by=request.user, before=_day(obj))
        instances = formset.save()
        for obj in instances:
            audit.record("calendar.change", obj=obj, by=request.user, after=_day(obj))


class SpecialDayInline(admin.TabularInline):
    model = SpecialDay
    extra = 0
    fields = ("date", "kind", "name")


@admin.register(CalendarYear)
class CalendarYearAdmin(_AuditedDays, admin.ModelAdmin):
    list_display = ("year", "source", "holiday_count", "workday_count", "updated_at")
    inlines = [SpecialDayInline]

    @admin.display(description="法定节假日天数")
    def holiday_count(self, obj):
        return obj.days.filter(kind=SpecialDay.Kind.HOLIDAY).count()

    @admin.display(description="调休上班日天数")
    def workday_count(self, obj):
        return obj.days.filter(kind=SpecialDay.Kind.WORKDAY).count()


@admin.register(SpecialDay)
class SpecialDayAdmin(_AuditedDays, admin.ModelAdmin):
    list_display = ("date", "kind", "name", "calendar_year")
    list_filter = ("kind", "calendar_year")
    date_hierarchy = "date"
