"""Item search (事项检索): Chinese substring, full pinyin and pinyin initials (`yyzz` → 营业执照)."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from django.db.models import Q
from pypinyin import Style, pinyin

_HAN = re.compile(r"[\u3400-\u9fff]")
_NON_ALNUM = re.compile(r"[^a-z0-9]")
# Names with many polyphonic characters would explode; a handful of alternatives covers real searches.
MAX_ALTERNATIVES = 8


@dataclass(frozen=True)
class PinyinKeys:
    """The pinyin forms of a name stored for search (名称拼音)."""

    full: str
    initials: str
    alternatives: tuple[str, ...] = ()


_NOT_HAN = "\x00"


def _dedupe(values: list[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def pinyin_keys(name: str) -> PinyinKeys:
    """Full pinyin and initials of the common reading, plus initials of other readings of polyphonic characters."""
    full_parts: list[str] = []
    initial_chunks: list[list[str]] = []
    # One pypinyin call: initials are the first letters of the readings (zh/ch/sh give z/c/s, as FIRST_LETTER does).
    for readings in pinyin(name, style=Style.NORMAL, heteronym=True, errors=lambda text: [_NOT_HAN + text]):
        if readings[0].startswith(_NOT_HAN):
            # Letters and digits (ICP, 2) are kept whole in both forms; punctuation is dropped.
            value = _NON_ALNUM.sub("", readings[0][1:].lower())
            if value:
                full_parts.append(value)
                initial_chunks.append([value])
            continue
        cleaned = _dedupe([_NON_ALNUM.sub("", r.lower()) for r in readings])
        if cleaned:
            full_parts.append(cleaned[0])
            initial_chunks.append(_dedupe([r[0] for r in cleaned]))
    initials = "".join(chunk[0] for chunk in initial_chunks)
    alternatives: list[str] = []
    if any(len(chunk) > 1 for chunk in initial_chunks):
        for combo in itertools.islice(itertools.product(*initial_chunks), MAX_ALTERNATIVES + 1):
            candidate = "".join(combo)
            if candidate != initials and candidate not in alternatives:
                alternatives.append(candidate)
    return PinyinKeys(
        full="".join(full_parts)[:800], initials=initials[:200], alternatives=tuple(alternatives[:MAX_ALTERNATIVES])
    )


def keyword_filter(q: str, prefix: str = "") -> Q:
    """A Q matching items by Chinese substring, code, full pinyin or initials; `prefix` walks to the ServiceItem."""
    q = q.strip()
    if not q:
        return Q()
    condition = Q(**{f"{prefix}name__icontains": q}) | Q(**{f"{prefix}implementation_code__iexact": q})
    if not _HAN.search(q):
        letters = _NON_ALNUM.sub("", q.lower())
        if letters:
            condition |= (
                Q(**{f"{prefix}name_initials__contains": letters})
                | Q(**{f"{prefix}name_initials_alt__contains": letters})
                | Q(**{f"{prefix}name_pinyin__contains": letters})
            )
    return condition
