import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onewindow.settings")
application = get_wsgi_application()

from onewindow import scheduler  # noqa: E402

# One machine without Redis: the periodic jobs run beside the server that has just loaded this application.
if scheduler.should_autostart():
    scheduler.start_embedded_scheduler()
