"""Validating an item's materials (申请材料/要件) and steps (办理环节), in the order the file lists them."""

from __future__ import annotations

from typing import TypeVar

from onewindow.catalog.importexport.problems import Problems
from onewindow.catalog.importexport.rows import build_row
from onewindow.catalog.models import Material, Step
from onewindow.catalog.selectors import MATERIAL_FIELDS, STEP_FIELDS

Part = TypeVar("Part", Material, Step)


def validate_materials(entry: dict, path: tuple, problems: Problems) -> list[Material]:
    """The item's `materials`, each numbered by its position."""
    return _validate_parts(entry, path, problems, "materials", Material, MATERIAL_FIELDS)


def validate_steps(entry: dict, path: tuple, problems: Problems) -> list[Step]:
    """The item's `steps`, each numbered by its position."""
    return _validate_parts(entry, path, problems, "steps", Step, STEP_FIELDS)


def _validate_parts(
    entry: dict, path: tuple, problems: Problems, key: str, model: type[Part], names: list[str]
) -> list[Part]:
    rows = entry.get(key, [])
    if not isinstance(rows, list):
        problems.add(path, "应为列表 […]", key)
        rows = []
    built = []
    for j, row in enumerate(rows):
        part = build_row(model, row, (*path, key, j), problems, keys=names, initial={"order": j + 1})
        if part is not None:
            built.append(part)
    return built
