from django.contrib import admin

from onewindow.workdays.models import CalendarYear, SpecialDay


class SpecialDayInline(admin.TabularInline):
    model = SpecialDay
    extra = 0
    fields = ("date", "kind", "name")


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ("year", "source", "holiday_count", "workday_count", "updated_at")
    inlines = [SpecialDayInline]

    @admin.display(description="法定节假日天数")
    def holiday_count(self, obj):
        return obj.days.filter(kind=SpecialDay.Kind.HOLIDAY).count()

    @admin.display(description="调休上班日天数")
    def workday_count(self, obj):
        return obj.days.filter(kind=SpecialDay.Kind.WORKDAY).count()


@admin.register(SpecialDay)
class SpecialDayAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "name", "calendar_year")
    list_filter = ("kind", "calendar_year")
    date_hierarchy = "date"
