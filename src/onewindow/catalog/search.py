"""Item search (事项检索): Chinese substring, full pinyin and pinyin initials (`yyzz` → 营业执照), by how people type.

The index of a name (stored on the item when a version is published, `acts.items.mirror_elements`):
- `full` and `initials`: the common reading, as pypinyin chooses it from its phrase dictionary;
- `full_alternatives` and `alternatives` (initials): every other reading the dictionaries give — each heteronym
  of each character (多音字) and each reading of a phrase of pypinyin's phrase dictionary found in the name — as a
  window of the common reading with that reading put in, so that `huankuan` finds 商业贷款还款提取住房公积金 (还 as
  huán, where the common reading says hái) and `chaoyang` finds 朝阳街道 (朝 as cháo). The common reading, right or
  wrong, still matches: nobody's habit stops working.

A query is split at spaces (any Unicode space, full-width ones too, after NFKC): every word must match (AND), so
`营业 执照` finds what `营业执照` finds, and `huan kuan` what `huankuan` finds. A word with Chinese characters matches
the name; a word of letters and digits matches the name, the full pinyin or the initials of any indexed reading.

On PostgreSQL every comparison is served by an index (migration 0008): GIN trigram indexes for words of three
characters and more, the name's character bigrams for two-character words (户口); one-character words and SQLite
read the table, with the same results.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.lookups import DataContains
from django.db import connection
from django.db.models import CharField, F, Func, Q, Value
from django.db.models.functions import StrIndex, Upper
from django.db.models.lookups import GreaterThan
from pypinyin import Style, pinyin
from pypinyin.constants import PHRASES_DICT, PINYIN_DICT
from pypinyin.contrib.tone_convert import to_normal

_HAN = re.compile(r"[\u3400-\u9fff]")
_HAN_RUNS = re.compile(r"[\u3400-\u9fff]+|[^\u3400-\u9fff]+")
_NON_ALNUM = re.compile(r"[^a-z0-9]")
# Syllables of the common reading kept on each side of another reading: a query of up to CONTEXT + 1 syllables
# that takes that reading is found (names run to 10–20 characters; the window keeps the index linear in length).
CONTEXT = 6
# The longest phrase looked up in pypinyin's phrase dictionary, and the readings of one phrase taken at most.
MAX_PHRASE = 8
MAX_PHRASE_READINGS = 8


@dataclass(frozen=True)
class PinyinKeys:
    """The pinyin forms of a name stored for search (名称拼音): the common reading, and windows of the others."""

    full: str
    initials: str
    alternatives: tuple[str, ...] = ()  # initials of the other readings
    full_alternatives: tuple[str, ...] = ()  # full pinyin of the other readings


@dataclass
class _Unit:
    """One syllable of the name (a Chinese character), or a run of letters and digits kept whole (ICP, 2)."""

    readings: list[str]  # the common reading first
    han: bool

    def initial(self, reading: str) -> str:
        # zh/ch/sh give z/c/s, as pypinyin's FIRST_LETTER does and as people type initials.
        return reading[0] if self.han else reading


@functools.lru_cache(maxsize=8192)
def _plain(reading: str) -> str:
    return _NON_ALNUM.sub("", to_normal(reading).lower())


@functools.lru_cache(maxsize=8192)
def _heteronyms(char: str) -> tuple[str, ...]:
    """Every reading of one character in pypinyin's character dictionary, without tones."""
    return tuple(_plain(r) for r in PINYIN_DICT.get(ord(char), "").split(","))


def _dedupe(values: list[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def _units(name: str) -> tuple[list[_Unit], list[tuple[int, str]]]:
    """The name's syllables with every reading of each, and its Chinese runs with the index of their first unit."""
    units: list[_Unit] = []
    runs: list[tuple[int, str]] = []
    for run in _HAN_RUNS.findall(name):
        if not _HAN.match(run):
            # Letters and digits are kept whole in both forms; punctuation is dropped.
            value = _NON_ALNUM.sub("", unicodedata.normalize("NFKC", run).lower())
            if value:
                units.append(_Unit([value], han=False))
            continue
        runs.append((len(units), run))
        # One call per run: pypinyin reads its phrases (还款, 朝阳) and gives each character's readings in context.
        for char, in_context in zip(run, pinyin(run, style=Style.NORMAL, heteronym=True), strict=True):
            readings = _dedupe([_plain(r) for r in in_context] + list(_heteronyms(char)))
            units.append(_Unit(readings or [char], han=True))
    return units, runs


def _phrase_readings(units: list[_Unit], runs: list[tuple[int, str]]) -> Iterator[dict[int, str]]:
    """Readings of the phrases of pypinyin's phrase dictionary found in the name that change two syllables or more
    (one changed syllable is already a heteronym of its character), as {unit index: syllable}."""
    for start, run in runs:
        for i in range(len(run)):
            for length in range(2, min(MAX_PHRASE, len(run) - i) + 1):
                entry = PHRASES_DICT.get(run[i : i + length])
                if entry is None:
                    continue
                choices = [_dedupe([_plain(r) for r in position]) for position in entry]
                for combo in itertools.islice(itertools.product(*choices), MAX_PHRASE_READINGS):
                    changed = {
                        start + i + j: syllable
                        for j, syllable in enumerate(combo)
                        if syllable != units[start + i + j].readings[0]
                    }
                    if len(changed) >= 2:
                        yield changed


def _window(units: list[_Unit], changed: dict[int, str]) -> tuple[str, str]:
    """Full pinyin and initials of the common reading around `changed`, with `changed` put in."""
    low, high = max(0, min(changed) - CONTEXT), min(len(units), max(changed) + CONTEXT + 1)
    readings = [(units[k], changed.get(k, units[k].readings[0])) for k in range(low, high)]
    return "".join(r for _, r in readings), "".join(unit.initial(r) for unit, r in readings)


def pinyin_keys(name: str) -> PinyinKeys:
    """The common reading's full pinyin and initials, and every other reading the phrase dictionary and the
    characters' heteronyms give (as windows around the syllables they change)."""
    units, runs = _units(name)
    full = "".join(unit.readings[0] for unit in units)
    initials = "".join(unit.initial(unit.readings[0]) for unit in units)
    changes = [{k: other} for k, unit in enumerate(units) for other in unit.readings[1:]]
    changes += list(_phrase_readings(units, runs))
    full_alternatives: list[str] = []
    initial_alternatives: list[str] = []
    for changed in changes:
        window_full, window_initials = _window(units, changed)
        full_alternatives.append(window_full)
        initial_alternatives.append(window_initials)
    return PinyinKeys(
        full=full[:800],
        initials=initials[:200],
        alternatives=tuple(a for a in _dedupe(initial_alternatives) if a not in initials),
        full_alternatives=tuple(a for a in _dedupe(full_alternatives) if a not in full),
    )


def query_terms(q: str) -> list[str]:
    """The words of a query: NFKC (full-width letters typed with an input method become ASCII), split at spaces."""
    return unicodedata.normalize("NFKC", q or "").split()


class _Bigrams(Func):
    """The distinct character bigrams of a text (`catalog_bigrams`, PostgreSQL; migration 0008), as an array."""

    function = "catalog_bigrams"
    output_field = ArrayField(CharField())


def _bigram_condition(field: str, value: str, *, upper: bool) -> DataContains:
    """`field` holds the two characters `value` (upper-cased on both sides with `upper`, as `icontains`), by the
    field's bigram index (PostgreSQL)."""
    text = Upper(F(field)) if upper else F(field)
    wanted = Func(Upper(Value(value)) if upper else Value(value), template="ARRAY[%(expressions)s]::text[]",
                  output_field=ArrayField(CharField()))
    return DataContains(_Bigrams(text), wanted)


def _contains(field: str, value: str, *, upper: bool) -> Q:
    """`field` contains `value` (case-insensitively with `upper`), written the way PostgreSQL's indexes serve it:
    trigrams from three characters, bigrams for two; one character reads the table (an index would be walked
    whole)."""
    if connection.vendor == "postgresql" and len(value) == 2:
        return Q(_bigram_condition(field, value, upper=upper))
    if connection.vendor == "postgresql" and len(value) == 1:
        text = Upper(F(field)) if upper else F(field)
        return Q(GreaterThan(StrIndex(text, Upper(Value(value)) if upper else Value(value)), 0))
    return Q(**{f"{field}__{'icontains' if upper else 'contains'}": value})


def _term_filter(term: str, prefix: str) -> Q:
    condition = _contains(f"{prefix}name", term, upper=True)
    if not _HAN.search(term):
        letters = _NON_ALNUM.sub("", term.lower())
        if letters:
            for field in ("name_initials", "name_initials_alt", "name_pinyin", "name_pinyin_alt"):
                condition |= _contains(f"{prefix}{field}", letters, upper=False)
    return condition


def keyword_filter(q: str, prefix: str = "", *, code_contains: bool = False) -> Q:
    """A Q matching items whose name, full pinyin or initials (of any indexed reading) match every word of `q`,
    or whose implementation code (实施编码) is `q` (`code_contains`: contains it, for the window's item picker).
    `prefix` walks to the ServiceItem (`"item__"`)."""
    terms = query_terms(q)
    if not terms:
        return Q()
    condition = Q()
    for term in terms:
        condition &= _term_filter(term, prefix)
    code = "".join(terms)
    lookup = "icontains" if code_contains else "iexact"
    return condition | Q(**{f"{prefix}implementation_code__{lookup}": code})
