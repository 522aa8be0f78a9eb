"""Template context every page needs."""

from django.conf import settings


def center(request) -> dict:
    """The center's name (CENTER_NAME) for page titles and headers."""
    return {"center_name": settings.CENTER_NAME}
