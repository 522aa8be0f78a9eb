"""Problems of a catalog file, each named by where it is: a JSON path (`items[12].materials[3]`) or a sheet row."""

from __future__ import annotations

from collections.abc import Iterable

from onewindow.core.errors import ErrorCode, InvalidInput


class CatalogFileInvalid(InvalidInput):
    """A catalog file with problems; lists every one so the user fixes them in one pass (全部或全不)."""

    code = ErrorCode.CATALOG_FILE_INVALID

    def __init__(self, problems: list[str]):
        super().__init__(
            f"事项清单文件有误（{len(problems)}处），未作任何更改：\n" + "\n".join(problems),
            fields={"file": "；".join(problems[:50])},
        )
        self.problems = problems


class Problems:
    """The problems found so far; `locations` maps a JSON path to the sheet row it was read from."""

    def __init__(self, locations: dict[tuple, str] | None, known: Iterable[str] = ()):
        self.locations = locations or {}
        self.messages: list[str] = list(known)

    def where(self, path: tuple) -> str:
        if path in self.locations:
            return self.locations[path]
        text = ""
        for part in path:
            text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
        return text or "文件"

    def add(self, path: tuple, message: str, key: str | None = None) -> None:
        self.messages.append(f"{self.where(path)}：{key + '：' if key else ''}{message}")


def check_unique(values: list[tuple[tuple, str]], what: str, problems: Problems) -> None:
    """Report every `(path, value)` whose value an earlier entry already has; empty values are not compared."""
    seen: dict[str, tuple] = {}
    for path, value in values:
        if not value:
            continue
        if value in seen:
            problems.add(path, f"{what}“{value}”与 {problems.where(seen[value])} 重复")
        else:
            seen[value] = path
