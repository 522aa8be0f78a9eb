"""The case light (红黄绿灯) as a page shows it: a shape of its own per colour and a name a screen reader reads."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

from onewindow.cases.clock import LIGHT_LABELS, Light

register = template.Library()


@register.simple_tag
def light_mark(light: str | None, *, decorative: bool = False) -> str:
    """`<span class="light red">` — a circle (green), triangle (yellow) or square (red), never colour alone.

    Named "红灯（已超期）" and so on, as an image; `decorative=True` where the light's name is written beside it.
    An unknown or empty light renders nothing."""
    try:
        value = Light(light)
    except ValueError:
        return ""
    if decorative:
        return format_html('<span class="light {}" aria-hidden="true"></span>', value.value)
    label = gettext(LIGHT_LABELS[value])
    return format_html('<span class="light {}" role="img" aria-label="{}" title="{}"></span>', value.value, label, label)
