"""Who works for which department (人员所属部门): the one place a person's department is set."""

from __future__ import annotations

from typing import Any

from onewindow.catalog.acts.common import require_catalog_editor
from onewindow.catalog.models import Department, StaffAssignment
from onewindow.core import audit
from onewindow.core.acts import create_user
from onewindow.core.errors import InvalidInput
from onewindow.core.kit import composable
from onewindow.core.models import DEPARTMENT_ROLES, User


@composable
def assign_department(user: User, *, department: Department | None, by: Any) -> User:
    """Set the department a person works for (人员所属部门), or clear it (a comprehensive window clerk).

    Only clerks, reviewers and leaders belong to a department; the change is audited (`user.assign_department`).
    `by=None` is the system (demo, migrations). Raises PermissionDenied (403) for anyone but an administrator,
    InvalidInput (422) for a role that has no department.
    """
    require_catalog_editor(by)
    if department is not None and user.role not in DEPARTMENT_ROLES:
        raise InvalidInput(f"“{user.get_role_display()}”不属于部门，只有窗口人员、审核人员和部门负责人有所属部门",
                           fields={"department": "role"})
    current = StaffAssignment.objects.filter(user=user).select_related("department").first()
    before = current.department.code if current else None
    after = department.code if department else None
    if before == after:
        return user
    if department is None:
        StaffAssignment.objects.filter(user=user).delete()
    else:
        StaffAssignment.objects.update_or_create(user=user, defaults={"department": department})
    user._state.fields_cache.pop("assignment", None)  # the next department_id_of(user) reads the new row
    audit.record("user.assign_department", obj=user, by=by, before={"department": before},
                 after={"department": after})
    return user


@composable
def create_staff(
    *, username: str, role: str, department: Department | None, by: Any, display_name: str = "", email: str = "",
    password: str | None = None, mobile: str = "",
) -> User:
    """Create a staff account and assign its department in one go (窗口人员、审核人员、部门负责人…). `mobile` as
    `core.acts.create_user` takes it (kept canonical; InvalidInput for one that is not a mobile number)."""
    user = create_user(username=username, role=role, by=by, display_name=display_name, email=email,
                       password=password, mobile=mobile, extra={"department": department.code if department else ""})
    if department is not None:
        assign_department(user, department=department, by=by)
    return user
