"""Catalog files on disk: .json or .xlsx, chosen by the file's suffix."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from onewindow.catalog.importexport.export import export_catalog
from onewindow.catalog.importexport.problems import CatalogFileInvalid
from onewindow.catalog.importexport.writing import ImportReport, import_catalog
from onewindow.catalog.importexport.xlsx import catalog_to_xlsx, xlsx_to_catalog
from onewindow.core.errors import InvalidInput

SUFFIXES = (".json", ".xlsx")


def check_suffix(path: Path) -> str:
    """The file's suffix, lower case; InvalidInput unless it is .json or .xlsx."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InvalidInput(
            f"不支持的文件类型“{path.suffix or '（无后缀）'}”：只支持 .json 和 .xlsx", fields={"file": "后缀"}
        )
    return suffix


def import_file(path: Path, *, by: Any = None) -> ImportReport:
    """Import a .json or .xlsx catalog file from disk."""
    suffix = check_suffix(path)
    if not path.is_file():
        raise InvalidInput(f"文件不存在：{path}", fields={"file": "不存在"})
    content = path.read_bytes()
    if suffix == ".json":
        try:
            data = json.loads(content.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise CatalogFileInvalid(["文件不是 UTF-8 编码的文本"]) from None
        except json.JSONDecodeError as exc:
            raise CatalogFileInvalid([f"JSON 格式错误：第{exc.lineno}行第{exc.colno}列 {exc.msg}"]) from None
        return import_catalog(data, by=by)
    data, locations, problems = xlsx_to_catalog(content)
    return import_catalog(data, by=by, locations=locations, known_problems=problems)


def export_file(path: Path) -> dict:
    """Write the catalog to a .json or .xlsx file; returns the exported data."""
    suffix = check_suffix(path)
    if not path.parent.is_dir():
        raise InvalidInput(f"目录不存在：{path.parent}", fields={"file": "目录不存在"})
    data = export_catalog()
    if suffix == ".json":
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    else:
        path.write_bytes(catalog_to_xlsx(data))
    return data
