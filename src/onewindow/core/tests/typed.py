"""How people type numbers, for tests: with a Chinese input method in full-width mode, or pasted from a chat."""

from __future__ import annotations


def full_width(text: str) -> str:
    """`110105x` → `１１０１０５ｘ`: ASCII letters and digits as a full-width input method types them (U+FF01…)."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def with_invisibles(text: str) -> str:
    """The number with a zero-width space, a word joiner, a BOM, an ideographic space and spaces inside it."""
    third = len(text) // 3
    return f" \ufeff{text[:third]}\u200b{text[third:2 * third]} \u3000{text[2 * third:-1]}\u2060{text[-1]}\u200d "
