"""The demo's composable acts (inside a caller's transaction): keep a demo account, record what was seeded.
`demo.services` composes them, with the other apps' acts, into its seeding steps."""

from __future__ import annotations

import json
import secrets
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from onewindow.catalog.acts import create_staff
from onewindow.catalog.models import Department
from onewindow.catalog.selectors import department_code_of
from onewindow.core import audit
from onewindow.core.acts import create_user, set_verified_identity
from onewindow.core.kit import composable
from onewindow.core.models import User
from onewindow.demo.accounts import Account, read_passwords
from onewindow.demo.models import DemoSeed


def json_safe(value: Any) -> Any:
    """`value` as the JSON a DemoSeed summary stores (dates as ISO text, anything else as its string)."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, default=str))


@composable
def record_seed(part: str, *, seed: int, summary: dict, by: User | None) -> DemoSeed:
    """Record that a part of the demo was seeded (演示数据记录), with its seed and summary, audited."""
    record = DemoSeed.objects.create(part=part, seed=seed, summary=json_safe(summary))
    audit.record("demo.seed", obj=record, by=by, after={"part": part, "seed": seed})
    return record


@composable
def ensure_account(username: str, *, role: str, department: Department | None = None, display_name: str = "",
                   superuser: bool = False, by: User | None = None, identity_number: str = "",
                   mobile: str = "") -> Account:
    """The demo account `username`: created once with a generated password (or the one the passwords file kept
    for it) and `mobile`; an existing user is left as it is, but gets `identity_number` (实名) if it has none yet."""
    stored = read_passwords().get(username, "")
    user = User.objects.filter(username=username).first()
    if user is not None:
        if identity_number and not user.identity_number:
            set_verified_identity(user, identity_number=identity_number, by=by)
        return Account(username, stored, user.role, department_code_of(user))
    password = stored or secrets.token_urlsafe(9)
    if superuser:
        create_user(username=username, role=role, by=by, display_name=display_name, password=password,
                    superuser=True)
    else:
        created = create_staff(username=username, role=role, department=department, by=by,
                               display_name=display_name, password=password, mobile=mobile)
        if identity_number:
            set_verified_identity(created, identity_number=identity_number, by=by)
    return Account(username, password, role, department.code if department else "", created=True)
