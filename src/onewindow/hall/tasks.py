"""Background work of the hall (Celery; in-process without a broker)."""

from celery import shared_task

from onewindow.hall import services


@shared_task(name="hall.expire_appointments")
def expire_appointments() -> int:
    """Mark bookings past their time without a check-in as missed (爽约); run every few minutes by beat."""
    return services.expire_appointments()
