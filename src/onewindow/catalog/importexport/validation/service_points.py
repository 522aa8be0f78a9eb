"""Validating the service points section (服务场所) and the halls inside each point (大厅/功能区)."""

from __future__ import annotations

from dataclasses import dataclass

from onewindow.catalog.importexport.format import HALL_KEYS, SERVICE_POINT_KEYS
from onewindow.catalog.importexport.problems import Problems, check_unique
from onewindow.catalog.importexport.rows import build_row, text
from onewindow.catalog.models import Hall, Level, ServicePoint

_EXPECTED_PARENT = {Level.DISTRICT: None, Level.STREET: Level.DISTRICT, Level.COMMUNITY: Level.STREET}


@dataclass
class ParsedServicePoint:
    """A checked service point, the code of its parent (上级) if any, and its halls."""

    point: ServicePoint
    parent: str | None
    halls: list[Hall]


def validate_service_points(entries: list, problems: Problems) -> list[ParsedServicePoint]:
    """The file's service points with their halls; codes unique, each parent one level up (区 → 街道 → 社区)."""
    parsed: list[ParsedServicePoint] = []
    by_code: dict[str, tuple[tuple, ParsedServicePoint]] = {}
    point_codes: list[tuple[tuple, str]] = []
    hall_codes: list[tuple[tuple, str]] = []
    for i, entry in enumerate(entries):
        path = ("service_points", i)
        point = build_row(
            ServicePoint,
            entry,
            path,
            problems,
            keys=[k for k in SERVICE_POINT_KEYS if k != "parent"],
            special=["parent", "halls"],
        )
        halls = _validate_halls(entry, path, problems, hall_codes)
        if point is None:
            continue
        row = ParsedServicePoint(point=point, parent=text(entry.get("parent")) or None, halls=halls)
        parsed.append(row)
        by_code[point.code] = (path, row)
        point_codes.append((path, point.code))
    check_unique(point_codes, "服务场所编码", problems)
    check_unique(hall_codes, "大厅编码", problems)
    _check_parents(by_code, problems)
    return parsed


def _validate_halls(entry: object, path: tuple, problems: Problems, hall_codes: list[tuple[tuple, str]]) -> list[Hall]:
    raw_halls = entry.get("halls", []) if isinstance(entry, dict) else []
    if not isinstance(raw_halls, list):
        problems.add(path, "应为列表 […]", "halls")
        raw_halls = []
    halls = []
    for j, hall_entry in enumerate(raw_halls):
        hall_path = (*path, "halls", j)
        hall = build_row(Hall, hall_entry, hall_path, problems, keys=HALL_KEYS)
        if hall is not None:
            halls.append(hall)
            hall_codes.append((hall_path, hall.code))
    return halls


def _check_parents(by_code: dict[str, tuple[tuple, ParsedServicePoint]], problems: Problems) -> None:
    levels = {
        **dict(ServicePoint.objects.values_list("code", "level")),
        **{code: row.point.level for code, (_, row) in by_code.items()},
    }
    for path, row in by_code.values():
        parent, level = row.parent, row.point.level
        if parent is not None and parent not in levels:
            problems.add(path, f"上级服务场所“{parent}”不存在", "parent")
        elif level in _EXPECTED_PARENT and (levels.get(parent) if parent else None) != _EXPECTED_PARENT[level]:
            problems.add(path, "区中心无上级；街道中心的上级是区中心；社区站的上级是街道中心", "parent")
