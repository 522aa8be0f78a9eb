"""Units and prefill sources in the page's language (计量单位、来源的英文): one table for the common units a form
field carries (平方米 → m², 人 → persons, 万元 → 10,000 yuan …) and for the words that say where a prefilled value came
from (实名账号, 办件 <编号>, 证照 <编号>, 一件事申请表). A unit or a word not in the table is shown as typed; numbers are
kept. Pure logic; no framework import."""

from __future__ import annotations

UNITS_EN = {
    "平方米": "m²", "㎡": "m²", "平米": "m²", "米": "m", "千米": "km", "公里": "km", "立方米": "m³", "公顷": "ha",
    "亩": "mu", "人": "persons", "名": "persons", "位": "persons", "个": "items", "间": "rooms", "张": "beds",
    "床": "beds", "台": "units", "辆": "vehicles", "家": "businesses", "套": "sets", "层": "floors", "户": "households",
    "万元": "10,000 yuan", "元": "yuan", "千元": "1,000 yuan", "亿元": "100 million yuan", "天": "days",
    "日": "days", "工作日": "working days", "小时": "hours", "分钟": "minutes", "年": "years", "月": "months",
    "周": "weeks", "吨": "t", "千克": "kg", "公斤": "kg", "升": "L", "千瓦": "kW", "座": "seats", "份": "copies",
    "项": "items", "次": "times", "%": "%",
}
ORIGINS_EN = {"实名账号": "your verified account", "办件": "case", "证照": "licence", "一件事申请表": "the package's form"}


def unit_text(unit: str, language: str) -> str:
    """`unit` as a reader of `language` ("en" or "zh") reads it: English from the table, else as typed."""
    if language != "en" or not unit:
        return unit
    return UNITS_EN.get(unit.strip(), unit)


def origin_text(origin: str, language: str) -> str:
    """Where a prefilled value came from, in `language`: "办件 SC20250901000001" → "case SC20250901000001"; the
    number is kept, an unknown word is shown as typed."""
    if language != "en" or not origin:
        return origin
    word, space, rest = origin.partition(" ")
    return f"{ORIGINS_EN.get(word, word)}{space}{rest}"
