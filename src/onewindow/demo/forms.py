"""The demo's application forms written through the forms' acts, and the answers its seeded cases give.

Each form goes online as a new version of its item (动态调整: 新建草稿 → 设计申请表 → 发布, reason given), since a
published version's form is frozen. Idempotent: an element already in the dictionary is left alone; an item whose
current version already has a form is skipped.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from onewindow.catalog import acts as catalog_acts
from onewindow.catalog.models import ServiceItem
from onewindow.core.errors import InvalidInput
from onewindow.core.kit import composable
from onewindow.demo.forms_data import ELEMENTS, LICENCES, SAMPLES, THEME_FORMS, TOP_FORMS
from onewindow.forms import acts as form_acts
from onewindow.forms.models import DataElement, FormVersion
from onewindow.forms.prefill import prefill
from onewindow.forms.spec import FieldSpec, FormSpec, Kind, RuleKind
from onewindow.forms.validation import problems_of

REASON = "上线电子申请表（一表申请、减填写）"
FORMS = {**THEME_FORMS, **TOP_FORMS}
LICENCE_ELEMENTS = frozenset(code for code, _licence, _en in LICENCES)


@composable
def seed_elements(*, by: Any) -> int:
    """The shared data element dictionary (共享数据元); returns how many were added."""
    known = set(DataElement.objects.values_list("code", flat=True))
    added = 0
    for row in ELEMENTS:
        if row["code"] not in known:
            form_acts.save_element(DataElement(**row), by=by)
            added += 1
    return added


@composable
def seed_forms(names: Iterable[str], *, by: Any) -> dict[str, int]:
    """The demo forms of the items `names` (keys of `forms_data`), each published as its item's next version."""
    names = list(names)
    added = seed_elements(by=by)
    items = {i.name: i for i in ServiceItem.objects.filter(name__in=names, published_version__isnull=False)}
    missing = [n for n in names if n not in items]
    if missing:
        raise InvalidInput("演示申请表的事项不在事项清单中：" + "、".join(missing), fields={"items": "missing"})
    with_form = set(FormVersion.objects.filter(item_version__item__in=items.values(),
                                               item_version_id__in=[i.published_version_id for i in items.values()])
                    .values_list("item_version__item__name", flat=True))
    made = 0
    for name in names:
        if name in with_form:
            continue
        declared = FORMS[name]
        draft = catalog_acts.start_draft(items[name], by=by)
        form_acts.save_form(draft, by=by, fields=declared["fields"], rules=declared.get("rules", ()),
                            title=declared["title"])
        catalog_acts.publish_version(draft, by=by, reason=REASON)
        made += 1
    return {"forms": made, "elements_added": added}


# -- answers -----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Applicant:
    """Who answers: the case's applicant (name, identity or credit code, mobile, legal representative) and, for
    a citizen's own application, the account the center prefills from."""

    name: str
    id_number: str
    mobile: str
    legal_representative: str = ""
    account: Any = None


STREETS = (("解放碑街道", "民族路", "小什字"), ("七星岗街道", "金汤街", "通远门"), ("两路口街道", "中山二路", "枇杷山"),
           ("上清寺街道", "中山四路", "学田湾"), ("大坪街道", "大坪正街", "七牌坊"), ("朝天门街道", "陕西路", "白象街"))
PEOPLE = ("张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆", "赵磊", "黄丽")
COMPANY = "重庆渝中山城商贸有限公司"


def _address(rng: random.Random) -> dict[str, str]:
    street, road, community = rng.choice(STREETS)
    return {"province": "重庆市", "city": "重庆市", "district": "渝中区", "street": street, "community": f"{community}社区",
            "detail": f"{road}{rng.randint(1, 300)}号"}


def _identity(rng: random.Random) -> str:
    from onewindow.core.identity import id_check_char

    first17 = f"500103{rng.randint(1960, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    return first17 + id_check_char(first17)


def _credit_code(rng: random.Random) -> str:
    from onewindow.core.identity import uscc_check_char

    first17 = "91500103MA" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(7))
    return first17 + uscc_check_char(first17)


def _number(spec: FieldSpec, rng: random.Random) -> int:
    sampled = SAMPLES.get(spec.key)
    base = int(spec.min_value or 0)
    low, high = sampled if isinstance(sampled, tuple) else (base + 1, base + 10)
    low = max(low, int(spec.min_value or 0))
    high = min(high, int(spec.max_value if spec.max_value is not None else high))
    return rng.randint(low, max(low, high))


def _applicant_value(key: str, rng: random.Random, who: Applicant) -> Any:
    """The applicant's own facts as the form asks them (an organisation's, or a person's), else None."""
    organisation = bool(who.legal_representative)
    if key == "applicant_name":
        return who.name if organisation else COMPANY
    if key == "legal_representative":
        return who.legal_representative or rng.choice(PEOPLE)
    if key == "contact_name":
        return rng.choice(PEOPLE) if organisation else who.name
    if key == "contact_mobile":
        return who.mobile
    if key == "contact_id_number":
        return _identity(rng) if organisation else who.id_number
    if key == "credit_code":
        return who.id_number if organisation else _credit_code(rng)
    return None


_BY_KIND = {
    Kind.NUMBER: lambda spec, rng, today: _number(spec, rng),
    Kind.CHOICE: lambda spec, rng, today: rng.choice(spec.choices).value,
    Kind.MULTI_CHOICE: lambda spec, rng, today: [c.value for c in rng.sample(spec.choices, rng.randint(
        max(spec.min_length or 1, 1), 2))],
    Kind.DATE: lambda spec, rng, today: (today + dt.timedelta(days=rng.randint(-400, 400))).isoformat(),
    Kind.ADDRESS: lambda spec, rng, today: _address(rng),
    Kind.ID_NUMBER: lambda spec, rng, today: _identity(rng),
    Kind.CREDIT_CODE: lambda spec, rng, today: _credit_code(rng),
    Kind.MOBILE: lambda spec, rng, today: f"139{rng.randrange(10**8):08d}",
}


def _value(spec: FieldSpec, rng: random.Random, who: Applicant, today: dt.date) -> Any:
    own = _applicant_value(spec.key, rng, who)
    if own is not None:
        return own
    if spec.kind in _BY_KIND:
        return _BY_KIND[Kind(spec.kind)](spec, rng, today)
    if spec.kind == Kind.TABLE:
        return [{c.key: _value(c, rng, who, today) for c in spec.columns} for _ in range(rng.randint(1, 3))]
    samples = SAMPLES.get(spec.key)
    if isinstance(samples, list):
        return rng.choice(samples)
    if spec.key == "name":
        return rng.choice(PEOPLE)
    if spec.element in LICENCE_ELEMENTS:
        # As the register numbers them: the issuing department's code, the year, a serial.
        return f"{rng.choice(('SCJ', 'GH', 'RS', 'XF'))}{rng.randint(2019, today.year)}{rng.randrange(10**6):06d}"
    return f"{spec.label_zh}{rng.randint(1, 99):02d}"[: spec.max_length or 100]


def _keep_rules(spec: FormSpec, answers: dict[str, Any]) -> None:
    """Bring sampled numbers and dates within the form's cross-field rules (a ≤ b, a table's column sum ≤ b)."""
    for rule in spec.rules:
        if rule.kind == RuleKind.LTE and rule.a in answers and rule.b in answers:
            a, b = answers[rule.a], answers[rule.b]
            if isinstance(a, str) and isinstance(b, str) and a > b:
                answers[rule.a], answers[rule.b] = b, a
            elif isinstance(a, int) and isinstance(b, int) and a > b:
                answers[rule.a] = max(b * 2 // 3, 0)
        elif rule.kind == RuleKind.SUM_LTE and isinstance(answers.get(rule.a), list) and rule.b in answers:
            rows = answers[rule.a]
            share = answers[rule.b] // max(len(rows), 1)
            for row in rows:
                row[rule.column] = min(row.get(rule.column, 0), share)
        elif rule.kind == RuleKind.REQUIRED_IF and rule.b not in answers and answers.get(rule.a) == rule.value:
            field = spec.field(rule.b)
            if field is not None:
                answers[rule.b] = _number(field, random.Random(rule.b))


def sample_answers(spec: FormSpec, who: Applicant, rng: random.Random, *, today: dt.date | None = None
                   ) -> dict[str, Any]:
    """Realistic answers to `spec` for `who`, valid against it (the same check every channel runs): what the center
    prefills for the account kept as it is, the rest sampled; optional fields answered about half the time, but an
    optional licence held only when the register fills it (one the package is still applying for is not held)."""
    today = today or dt.date.today()
    known = prefill(spec, who.account) if who.account is not None else {}
    answers: dict[str, Any] = {}
    for field in spec.fields:
        if field.key in known:
            answers[field.key] = known[field.key].value
        elif field.kind != Kind.FILE and (field.required or (field.element not in LICENCE_ELEMENTS
                                                             and rng.random() < 0.5)):
            answers[field.key] = _value(field, rng, who, today)
    _keep_rules(spec, answers)
    cleaned, problems = problems_of(spec, answers)
    if problems:
        raise InvalidInput("演示办件的申请表内容不符合申请表：" + "；".join(f"{p.path} {p.message_zh}" for p in problems),
                           fields={f"answers.{p.path}": p.code for p in problems})
    return cleaned


def case_answers(spec: FormSpec, applicant: Any, account: Any, rng: random.Random) -> dict[str, Any]:
    """The cases demo's `Answerer`: a seeded case's answers to its item's form."""
    who = Applicant(name=applicant.name, id_number=applicant.id_number, mobile=applicant.mobile,
                    legal_representative=applicant.legal_representative if applicant.kind == "organization" else "",
                    account=account)
    return sample_answers(spec, who, rng)
