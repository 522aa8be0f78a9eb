"""`{% load workdays %}` … `{% provisional_mark day %}`: the mark beside a working-day date counted through a year
whose official holiday notice is not loaded yet (暂定: it may still move when the notice is loaded)."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from onewindow.workdays.selectors import is_provisional

register = template.Library()


@register.simple_tag
def provisional_mark(day: dt.date | None) -> str:
    """A visible 暂定 tag, its reason on hover; empty for a date that is settled."""
    if not isinstance(day, dt.date) or not is_provisional(day):
        return ""
    reason = _("该年度的国务院放假通知尚未载入，此日期按节假日规则暂定，通知载入后可能调整")
    return format_html('<span class="tag provisional" title="{}">{}</span>', reason, _("暂定"))
