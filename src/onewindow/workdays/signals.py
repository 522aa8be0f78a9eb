"""Any edit of the holiday table (admin, load, seed) drops this process's in-memory index."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from onewindow.workdays.models import CalendarYear, SpecialDay


@receiver([post_save, post_delete], sender=CalendarYear)
@receiver([post_save, post_delete], sender=SpecialDay)
def _holiday_table_changed(**kwargs) -> None:
    from onewindow.workdays.selectors import invalidate_calendar

    invalidate_calendar()
