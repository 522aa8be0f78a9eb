"""What a screen reader needs of a page's markup, checked without a browser (WCAG 2.1: 1.3.1, 2.4.1, 3.3.1, 4.1.1).

`accessibility_problems(html)` lists, in words, every id used twice, every aria-describedby / aria-labelledby /
label-for / in-page link pointing at an id that is not there, every form field without a label, an invalid
field that does not say so (aria-invalid) or does not point at its error, and a page whose first focusable
element is not the skip link to <main id="main">."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser

FIELDS = {"input", "select", "textarea"}
UNLABELLED_INPUT_TYPES = {"hidden", "submit", "button", "reset", "image"}
FOCUSABLE = {"a", "button", "input", "select", "textarea"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    labelled_by_ancestor: bool = False
    in_error_summary: bool = False
    in_described_group: bool = False  # inside a role=group / radiogroup that points at its hint or error


class _Page(HTMLParser):
    """Every start tag as an Element, with whether a <label> or an error summary (.form-errors) encloses it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.open_labels = 0
        self.open_groups = 0  # enclosing role=group / radiogroup elements with an aria-describedby
        self.summary_depths: list[int] = []  # the stack depth at which each open error summary began
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        summary = "form-errors" in values.get("class", "").split()
        self.elements.append(Element(tag, values, self.open_labels > 0, bool(self.summary_depths) or summary,
                                     self.open_groups > 0))
        if tag in {"input", "br", "img", "meta", "link", "hr", "source", "wbr"}:
            return
        if summary:
            self.summary_depths.append(len(self.stack))
        described_group = values.get("role") in {"group", "radiogroup"} and bool(values.get("aria-describedby"))
        self.stack.append(f"{tag}#group" if described_group else tag)
        self.open_labels += tag == "label"
        self.open_groups += described_group

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.stack and f"{tag}#group" not in self.stack:
            return
        while self.stack:
            opened = self.stack.pop()
            self.open_labels -= opened == "label"
            self.open_groups -= opened.endswith("#group")
            opened = opened.removesuffix("#group")
            if self.summary_depths and len(self.stack) <= self.summary_depths[-1]:
                self.summary_depths.pop()
            if opened == tag:
                break


def _is_field(element: Element) -> bool:
    if element.tag not in FIELDS:
        return False
    return element.tag != "input" or element.attrs.get("type", "text") not in UNLABELLED_INPUT_TYPES


def _describe(element: Element) -> str:
    name = element.attrs.get("name") or element.attrs.get("id") or element.attrs.get("href") or ""
    return f"<{element.tag} {name}>"


def _reference_problems(elements: list[Element], ids: set[str]) -> list[str]:
    problems = []
    for element in elements:
        for attribute in ("aria-describedby", "aria-labelledby"):
            for target in element.attrs.get(attribute, "").split():
                if target not in ids:
                    problems.append(f"{_describe(element)} has {attribute}={target!r}, which is no id on the page")
        target = element.attrs.get("for")
        if element.tag == "label" and target is not None and target not in ids:
            problems.append(f"a label points at for={target!r}, which is no id on the page")
        href = element.attrs.get("href", "")
        if element.tag == "a" and href.startswith("#") and len(href) > 1 and href[1:] not in ids:
            problems.append(f"the link {href!r} leads to no id on the page")
    return problems


def _field_problems(elements: list[Element]) -> list[str]:
    labelled_ids = {e.attrs["for"] for e in elements if e.tag == "label" and e.attrs.get("for")}
    problems = []
    for element in filter(_is_field, elements):
        attrs = element.attrs
        named = (element.labelled_by_ancestor or attrs.get("id") in labelled_ids
                 or attrs.get("aria-label", "").strip() or attrs.get("aria-labelledby", "").strip())
        if not named:
            problems.append(f"{_describe(element)} has no label")
        # a radio button's error is read from its group (role=group / radiogroup), which the errors check covers;
        # so is a checkbox's inside a group that points at its error (a multiple choice: `cases/_field.html`)
        in_group = attrs.get("type") == "radio" or (attrs.get("type") == "checkbox" and element.in_described_group)
        if attrs.get("aria-invalid") == "true" and not in_group and not attrs.get("aria-describedby", "").strip():
            problems.append(f"{_describe(element)} is invalid but points at no error (aria-describedby)")
    return problems


def _error_problems(elements: list[Element]) -> list[str]:
    """Each per-field error list belongs to a field that is marked invalid and described by it."""
    described = Counter()
    for element in elements:
        if element.attrs.get("aria-invalid") == "true" or element.attrs.get("role") in {"group", "radiogroup"}:
            described.update(element.attrs.get("aria-describedby", "").split())
    return [f"the error {e.attrs['id']!r} describes no invalid field" for e in elements
            if "errorlist" in e.attrs.get("class", "").split() and e.attrs.get("id") and not described[e.attrs["id"]]]


def _skip_link_problems(elements: list[Element], ids: set[str]) -> list[str]:
    focusable = [e for e in elements if e.tag in FOCUSABLE and e.attrs.get("type") != "hidden"
                 and (e.tag != "a" or "href" in e.attrs)]
    if not focusable or focusable[0].attrs.get("href") != "#main":
        first = _describe(focusable[0]) if focusable else "nothing"
        return [f"the first focusable element is {first}, not the skip link to #main"]
    if "main" not in ids:
        return ["the skip link leads to #main, which is no id on the page"]
    return []


def accessibility_problems(html: str, *, skip_link: bool = True) -> list[str]:
    """Every problem found in the page's markup, in words; an empty list for a page that passes."""
    page = _Page()
    page.feed(html)
    page.close()
    elements = page.elements
    counts = Counter(e.attrs["id"] for e in elements if e.attrs.get("id"))
    ids = set(counts)
    problems = [f"the id {i!r} is used {n} times" for i, n in counts.items() if n > 1]
    problems += _reference_problems(elements, ids)
    problems += _field_problems(elements)
    problems += _error_problems(elements)
    if skip_link:
        problems += _skip_link_problems(elements, ids)
    return problems


def error_summary_links(html: str) -> list[str]:
    """The in-page links (#id) of the page's error summaries (.form-errors), in order."""
    page = _Page()
    page.feed(html)
    page.close()
    return [e.attrs["href"] for e in page.elements
            if e.in_error_summary and e.tag == "a" and e.attrs.get("href", "").startswith("#")]


def attributes_of(html: str, element_id: str) -> dict[str, str]:
    """The attributes of the element with this id ({} when there is none)."""
    page = _Page()
    page.feed(html)
    page.close()
    return next((e.attrs for e in page.elements if e.attrs.get("id") == element_id), {})
