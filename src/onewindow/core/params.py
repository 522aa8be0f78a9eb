"""What every input of the API may be: texts within their column and free of control characters, integers within
what the database can hold, choices among their members. One place for the kind, used by every app's schemas.

- `column_text(Model, "field", description)`: a text field whose `maxLength` is the model column's `max_length`
  (read from `Model._meta`, never copied as a number), enforced by the schema: a longer text is 422 `too_long`
  naming the field. `text(limit, description)` does the same for a stated maximum (a text kept in JSON).
- Every text the API reads — query, path, form, JSON body, multipart part — is refused when it carries a control
  character (NUL and the other C0/C1 characters but tab, line feed and carriage return) or a lone surrogate:
  PostgreSQL cannot store a NUL byte, and neither a person nor a program means one (422 `control_character`,
  naming the field). `forbidden_character(value)` is that test; `onewindow.api`'s parser and the page forms use it.
- `Id`: a row id, 1 … 2⁶³−1 (a `bigint`); `Count`: a page number, a day count… 1 … 2³¹−1 (an `integer` column).
  Beyond them the answer is 422 `less_than_equal`, never an overflow in the database. A page's own filter reads an
  id with `id_or_none`.
- `page_bounds(count, page, size)`: the rows of a page; a page after the last is 404 naming `page`.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.datastructures import MultiValueDict
from ninja.errors import ValidationError
from ninja.parser import Parser
from pydantic import Field

from onewindow.core.errors import NotFound

BIGINT_MAX = 2**63 - 1  # PostgreSQL bigint, SQLite's INTEGER
INTEGER_MAX = 2**31 - 1  # PostgreSQL integer

# An identity number, credit code or mobile as a person types it — spaces, full-width digits and all — before it is
# normalised and checked: a stated maximum far beyond any real one (18, 11 characters), so that the check names it.
TYPED_NUMBER_MAX = 64

Id = Annotated[int, Field(ge=1, le=BIGINT_MAX)]
PageNumber = Annotated[int, Field(ge=1, le=INTEGER_MAX, description="页码，从 1 开始")]
Count = Annotated[int, Field(ge=0, le=INTEGER_MAX)]

# C0 controls but \t \n \r, DEL, C1 controls, lone surrogates (which no encoding can store), and the bidirectional
# embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), which make a name read otherwise than it is
# stored (a spoofed applicant or party on a notice).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")


def forbidden_character(value: str) -> str | None:
    """The first forbidden character in `value` as its code point (e.g. `U+0000` for NUL), or None."""
    found = _FORBIDDEN.search(value)
    return f"U+{ord(found.group()):04X}" if found else None


def column_limit(model: type[Model], name: str) -> int:
    """The `max_length` of `model.name`; a column without one is a fault of the caller's schema."""
    limit = model._meta.get_field(name).max_length  # type: ignore[union-attr]
    if limit is None:
        raise RuntimeError(f"{model.__name__}.{name} declares no max_length")
    return int(limit)


def text(max_length: int, description: str, default: Any = "", **extra: Any) -> Any:
    """A text field that declares its limit (`maxLength`, and in its description) and is refused beyond it (422
    `too_long` naming the field); `default=...` makes it required."""
    return Field(default, max_length=max_length, description=f"{description}（最长{max_length}个字符）", **extra)


def column_text(model: type[Model], name: str, description: str, default: Any = "", **extra: Any) -> Any:
    """`text` with the limit of the column `model.name` keeps it in."""
    return text(column_limit(model, name), description, default, **extra)


# -- the API's parser and the address: no control character reaches a query -------------------------------------
class ControlCharacter(Exception):  # noqa: N818 — a cause, not an error a caller handles
    """A text of the request carries `character` at `loc` (the source, then the path of names)."""

    def __init__(self, loc: tuple, character: str):
        super().__init__(f"{'.'.join(map(str, loc))}: {character}")
        self.loc, self.character = loc, character

    def as_validation_errors(self) -> list[dict]:
        return [{"loc": self.loc, "type": "control_character", "msg": f"contains {self.character}"}]


def _check(value: Any, loc: tuple) -> None:
    if isinstance(value, str):
        character = forbidden_character(value)
        if character:
            raise ControlCharacter(loc, character)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check(key, loc)
            _check(item, (*loc, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check(item, (*loc, index))


class CheckedParser(Parser):
    """Ninja's parser, refusing a text with a control character in the body (JSON, multipart JSON parts), the
    query and the form fields: 422 `control_character` naming the field (`onewindow.api` answers it)."""

    def parse_body(self, request: HttpRequest) -> dict:
        data = super().parse_body(request)
        # Located as Ninja locates a body's fields (after the name of the body's parameter, or of its part).
        _check(data, ("body", "body"))
        return data

    def parse_querydict(self, data: MultiValueDict, list_fields: list[str], request: HttpRequest) -> dict:
        result = super().parse_querydict(data, list_fields, request)
        source = "query" if data is request.GET else "form"
        try:
            _check(result, (source,))
        except ControlCharacter as exc:
            raise ValidationError(exc.as_validation_errors()) from exc
        return result


class ControlCharacterInAddress:
    """An address with a control character (`/api/v1/cases/%00`, a page's `/track/%01/`) names nothing: 404, as
    an unknown address, before a view hands it to the database (PostgreSQL refuses a NUL: a 500 otherwise)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if forbidden_character(request.path_info):
            raise Http404("address contains a control character")
        return self.get_response(request)


def page_bounds(count: int, page: int, page_size: int) -> tuple[int, int]:
    """The slice [start, stop) of page `page` (from 1) of `count` rows; a page after the last is 404 naming
    `page` (page 1 of an empty list is an empty page)."""
    pages = max(1, -(-count // page_size))
    if page > pages:
        raise NotFound(f"第 {page} 页不存在：共 {pages} 页", fields={"page": "not_found"})
    start = (page - 1) * page_size
    return start, start + page_size


def id_or_none(value: str | None) -> int | None:
    """A page's optional id filter (`?department=12`): the id when `value` is one a bigint holds, else None (the
    filter is ignored). ASCII digits only: `"²".isdigit()` is true, yet no id."""
    value = (value or "").strip()
    if not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if 1 <= number <= BIGINT_MAX else None
