"""Validating the departments section (部门): fields, unique codes and names."""

from __future__ import annotations

from onewindow.catalog.importexport.format import DEPARTMENT_KEYS
from onewindow.catalog.importexport.problems import Problems, check_unique
from onewindow.catalog.importexport.rows import build_row
from onewindow.catalog.models import Department
from onewindow.core.errors import InvalidCreditCode
from onewindow.core.identity import canonical_number, normalize_credit_code


def validate_departments(entries: list, problems: Problems) -> tuple[list[Department], set[str]]:
    """The file's departments, and every department code an item or theme may name (database and file)."""
    known_codes = set(Department.objects.values_list("code", flat=True))
    owner_of_name = dict(Department.objects.values_list("name", "code"))
    departments: list[Department] = []
    names: list[tuple[tuple, str]] = []
    codes: list[tuple[tuple, str]] = []
    for i, entry in enumerate(entries):
        path = ("departments", i)
        if isinstance(entry, dict) and isinstance(entry.get("credit_code"), str):
            # 统一社会信用代码 as typed (full-width, spaced, lower case) is checked in its canonical form (GB 32100).
            entry = {**entry, "credit_code": canonical_number(entry["credit_code"])}
        department = build_row(Department, entry, path, problems, keys=DEPARTMENT_KEYS)
        if department is None:
            continue
        if department.credit_code:
            try:
                department.credit_code = normalize_credit_code(department.credit_code)
            except InvalidCreditCode as error:
                problems.add(path, error.message, "credit_code")
        departments.append(department)
        codes.append((path, department.code))
        names.append((path, department.name))
        owner = owner_of_name.get(department.name)
        if owner and owner != department.code:
            problems.add(path, f"部门名称“{department.name}”已被部门 {owner} 使用", "name")
    check_unique(codes, "部门编码", problems)
    check_unique(names, "部门名称", problems)
    return departments, known_codes | {d.code for d in departments}
