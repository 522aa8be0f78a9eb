"""onewindow (一窗通办): software that runs a district administrative service center."""

from onewindow.celery_app import app as celery_app

__all__ = ["celery_app"]
