"""A checker for English pages: no Chinese left but names.

An English page may show Chinese only as data (names of items, departments, people, addresses), and such data
sits in an element marked `lang="zh-Hans"` (or inside one). Everything else a reader meets — the text, and the
attributes read out or shown (`title`, `aria-label`, `placeholder`, `alt`) — must hold no Han character and no
full-width punctuation (：，（）). Form values a person typed (`<textarea>`, `value=`) are theirs, not the page's.

Use `chinese_left(html)` for the offending snippets (empty when the page passes) or `assert_english(html, url)`.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Han ideographs (with extension A and the compatibility block) and the CJK and full-width punctuation.
CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff0f\uff1a-\uff20\uff5b-\uff65]")
# Elements whose content is not the page's own words: code, data a person typed, the scripts, and the window's
# title (it names the page's subject and the center, which no attribute can mark within one title; the page's
# heading, which says the same, is checked).
SKIPPED = {"script", "style", "textarea", "template", "title"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
READ_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")


def is_chinese_data(attrs: dict[str, str | None]) -> bool:
    """An element that declares its content Chinese (`lang="zh-Hans"`, `zh`, `zh-CN`…)."""
    return (attrs.get("lang") or "").lower().startswith("zh")


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, inside Chinese data or skipped content)
        self.found: list[str] = []

    @property
    def exempt(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def _where(self) -> str:
        return " > ".join(tag for tag, _ in self.stack[-3:])

    def handle_starttag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        attrs = dict(attr_list)
        exempt = self.exempt or tag in SKIPPED or is_chinese_data(attrs)
        if not exempt:
            for name in READ_ATTRIBUTES:
                if CHINESE.search(attrs.get(name) or ""):
                    self.found.append(f'<{tag} {name}="{attrs[name]}">')
        if tag not in VOID:
            self.stack.append((tag, exempt))

    def handle_startendtag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attr_list)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        if not self.exempt and CHINESE.search(data):
            self.found.append(f"{self._where()}: {data.strip()[:80]!r}")


def chinese_left(html: str) -> list[str]:
    """The snippets of Chinese outside Chinese data, each with where it stands; [] for a clean English page."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.found


def assert_english(html: str, where: str = "") -> None:
    found = chinese_left(html)
    assert not found, f"{where}: {len(found)} Chinese text(s) outside names: " + "; ".join(found[:12])
