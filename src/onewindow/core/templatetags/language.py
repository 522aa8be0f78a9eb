"""Template filters of the page language (`core.language`)."""

from django import template

from onewindow.core.language import ChineseData

register = template.Library()


@register.filter
def is_chinese_data(value) -> bool:
    """Whether a text is Chinese data (`ChineseData`: a name), shown as it is and marked lang="zh-Hans"."""
    return isinstance(value, ChineseData)
