"""Writes of 一件事 (五个一): apply once, accept once, review in parallel, correct once, deliver once; and the
hand-off of issued results to the supervising department (一链监管).

Every service is keyword-only, one transaction, permission-checked and audited last. Sub-cases are ordinary
cases changed only through `cases.services`. What the case engine does on its own (a reviewer approves a
sub-case, a department asks for correction, a result is issued) reaches this app through `hooks.py`, which
calls the `on_*` functions below inside the engine's transaction.

Acts that the one window does for every department (Art. 26 行政许可法: one office accepts for all) are done
on a sub-case by the person at the window when the case engine lets them, else by the department's
一件事联办 service account (`agent_for`), so each department's audit trail names who acted for it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import secrets
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from onewindow.bundles import selectors
from onewindow.bundles.lifecycle import PackageState, package_transition
from onewindow.bundles.models import (
    JointReview,
    Package,
    PackageCorrection,
    PackageMaterial,
    SubCase,
    SupervisionEvent,
    WebhookDelivery,
    WebhookEndpoint,
)
from onewindow.cases import acts as case_acts
from onewindow.cases import clock
from onewindow.cases.acts import CITIZEN_CHANNELS, CLERK_CHANNELS, QUERY_CODE_ALPHABET, Applicant
from onewindow.cases.lifecycle import State
from onewindow.cases.models import Case, CaseMaterial, Channel, CorrectionNotice, DeliveryMethod
from onewindow.cases.notifications import notify_on_commit
from onewindow.cases.selectors import missing_materials
from onewindow.catalog import acts as catalog_acts
from onewindow.catalog import dag
from onewindow.catalog.models import Department, Material, Theme, ThemeItem
from onewindow.catalog.selectors import department_id_of
from onewindow.core import audit, kit
from onewindow.core.errors import Conflict, ErrorCode, InvalidInput, NotFound, PermissionDenied
from onewindow.core.identity import mask_identity
from onewindow.core.models import Role, User
from onewindow.workdays.selectors import get_calendar

AGENT_PREFIX = "yjs-agent-"
# Set while this app itself drives the case engine, so the hooks do not mistake our own acts for a
# department's (e.g. our correction requests are already in the package notice).
_driving: ContextVar[bool] = ContextVar("bundles_driving", default=False)


@contextlib.contextmanager
def _driving_cases() -> Iterator[None]:
    token = _driving.set(True)
    try:
        yield
    finally:
        _driving.reset(token)


def driving_cases() -> bool:
    return _driving.get()


@dataclass(frozen=True)
class PackageFile:
    """One material of the merged form, by its merged name, uploaded once."""

    name: str
    content: bytes
    filename: str


@dataclass(frozen=True)
class CorrectionLine:
    """One line the window adds to the package's correction notice: a merged material and what is wrong."""

    name: str
    problem: str


@dataclass(frozen=True)
class Participant:
    department: str
    name: str


# -- helpers ---------------------------------------------------------------------------------------------
def _moment(at: dt.datetime | None) -> tuple[dt.datetime, dt.date]:
    when = at or timezone.now()
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    return when, timezone.localdate(when)


def _require_text(value: str, field: str, label: str, max_length: int = 2000) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(f"请填写{label}", fields={field: "required"})
    if len(text) > max_length:
        raise InvalidInput(f"{label}不能超过{max_length}个字符", fields={field: "too_long"})
    return text


def _check_signed_in(by: User | None) -> None:
    if by is None or not getattr(by, "is_authenticated", False) or not by.is_active:
        raise PermissionDenied("需要登录")


def _is_window(by: User, theme: Theme) -> bool:
    """The lead department's staff or a comprehensive window (一窗受理) clerk."""
    if by.role == Role.CLERK and department_id_of(by) is None:
        return True
    return by.role in (Role.CLERK, Role.REVIEWER, Role.LEADER) and department_id_of(by) == theme.lead_department_id


def _check_window(by: User, package: Package) -> None:
    _check_signed_in(by)
    if not _is_window(by, package.theme):
        raise PermissionDenied("只有牵头部门窗口或综合窗口可以办理一件事的受理、补正和送达",
                               fields={"department": "scope"})


def _check_version(package: Package, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != package.version:
        raise Conflict(f"一件事已被更新（当前版本 {package.version}，请求基于版本 {expected_version}），请刷新后重试",
                       code=ErrorCode.VERSION_CONFLICT, fields={"version": str(package.version)})


def _commit(package: Package, *, action: str, by: User | None, changes: dict[str, Any], reason: str = "",
            extra: dict[str, Any] | None = None) -> Package:
    """Write `changes` if the package is still at the version read, then append to the audit chain."""
    transition = package_transition(action, package.state)
    changes = {"state": transition.target, **changes}
    before = {k: _plain(getattr(package, k)) for k in changes}
    updated = Package.objects.filter(pk=package.pk, version=package.version).update(
        version=F("version") + 1, **changes)
    if updated != 1:
        raise Conflict("一件事刚被他人更新，本次操作未生效，请刷新后重试", code=ErrorCode.VERSION_CONFLICT)
    for key, value in changes.items():
        setattr(package, key, value)
    package.version += 1
    after = {k: _plain(v) for k, v in changes.items()} | (extra or {})
    audit.record(f"package.{action}", obj=package, by=by, before=before, after=after, reason=reason)
    return package


def _plain(value: Any) -> Any:
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def agent_for(department: Department) -> User:
    """The department's 一件事联办 service account: acts on its sub-cases for the one window; cannot sign in."""
    username = f"{AGENT_PREFIX}{department.code.lower()}"
    user = User.objects.filter(username=username).first()
    if user is None:
        user = catalog_acts.create_staff(username=username, role=Role.CLERK, department=department, by=None,
                                         display_name=f"一件事联办（{department.short_name or department.name}）")
    return user


def _desk_actor(human: User | None, case: Case) -> User:
    """Who performs a window act on a sub-case: the person if the case engine lets them, else the agent."""
    if human is not None and human.role == Role.CLERK:
        if department_id_of(human) == case.department_id:
            return human
        if department_id_of(human) is None and case.item_version.central_acceptance:
            return human
    return agent_for(case.department)


def _material_actor(human: User, case: Case) -> User:
    """Who adds a material or resubmits: the applicant for their own case, else a window actor."""
    if human.role == Role.CITIZEN and case.applicant_user_id == human.pk:
        return human
    return _desk_actor(human, case)


def _next_number(day: dt.date) -> str:
    """`YJS{YYYYMMDD}{6-digit daily sequence}`: the packages' sequence of the day (每日流水号)."""
    return f"YJS{day:%Y%m%d}{kit.next_in_sequence('bundles.package', day):06d}"


def _tell(package: Package, kind: str, title: str, body: str) -> None:
    if package.applicant_user_id:
        notify_on_commit([package.applicant_user_id], case_id=None, kind=kind,
                         title=f"{package.number} {package.theme.name}：{title}", body=body)


def _applicant_materials(case: Case) -> list[Material]:
    """Missing materials the applicant must bring (government-issued ones are fetched by data sharing)."""
    return [m for m in missing_materials(case) if m.source == Material.Source.APPLICANT]


# -- apply (一表申请) ------------------------------------------------------------------------------------------
def apply_for_theme(
    *, by: User, theme: Theme, applicant: Applicant, channel: str, materials: Sequence[PackageFile] = (),
    applicant_user: User | None = None, delivery_method: str = DeliveryMethod.PICKUP, postal_address: str = "",
    idempotency_key: str = "", at: dt.datetime | None = None,
) -> tuple[Package, bool]:
    """Apply for a theme once (一件事一次申请): one sub-case per item, the merged materials given to each.

    Sub-cases without prerequisites are submitted to their departments at once; the others wait as drafts.
    A repeated `idempotency_key` from the same user returns the first package; returns (package, created).
    """
    _check_signed_in(by)
    key = (idempotency_key or "").strip()
    if len(key) > 80:
        raise InvalidInput("Idempotency-Key 不能超过80个字符", fields={"idempotency_key": "too_long"})
    if key:
        existing = Package.objects.filter(created_by=by, idempotency_key=key).first()
        if existing is not None:
            return existing, False
    try:
        with transaction.atomic():
            package = _apply(by=by, theme=theme, applicant=applicant, channel=channel, materials=materials,
                             applicant_user=applicant_user, delivery_method=delivery_method,
                             postal_address=postal_address, key=key, at=at)
    except IntegrityError:
        existing = Package.objects.filter(created_by=by, idempotency_key=key).first() if key else None
        if existing is None:
            raise
        return existing, False
    return package, True


def _apply(*, by: User, theme: Theme, applicant: Applicant, channel: str, materials: Sequence[PackageFile],
           applicant_user: User | None, delivery_method: str, postal_address: str, key: str,
           at: dt.datetime | None) -> Package:
    when, day = _moment(at)
    if not theme.published:
        raise InvalidInput(f"一件事主题“{theme.name}”未发布，不能申请", fields={"theme": "unpublished"})
    if channel not in Channel.values:
        raise InvalidInput(f"申报渠道“{channel}”无效", fields={"channel": "choice"})
    if by.role == Role.CITIZEN:
        if channel not in CITIZEN_CHANNELS:
            raise InvalidInput("群众自行申报的渠道为网上、移动端或自助终端", fields={"channel": "citizen"})
        applicant_user = by
    elif by.role == Role.CLERK or (by.role in (Role.REVIEWER, Role.LEADER) and _is_window(by, theme)):
        if not _is_window(by, theme):
            raise PermissionDenied("一件事由牵头部门窗口或综合窗口受理", fields={"theme": "scope"})
        if channel not in CLERK_CHANNELS:
            raise InvalidInput("窗口录入的渠道为窗口受理或邮寄申请", fields={"channel": "clerk"})
    else:
        raise PermissionDenied("只有申请人或窗口人员可以申报一件事")
    if applicant_user is not None and applicant_user.role != Role.CITIZEN:
        raise InvalidInput("申请人账号应为群众账号", fields={"applicant_user": "role"})
    if delivery_method not in (DeliveryMethod.PICKUP, DeliveryMethod.POST):
        raise InvalidInput("一件事的结果统一送达：窗口领取（pickup）或免费邮寄（post）",
                           fields={"delivery_method": "choice"})

    entries = selectors.theme_entries(theme)
    if not entries:
        raise InvalidInput(f"一件事主题“{theme.name}”没有事项", fields={"theme": "empty"})
    unpublished = [e.item.name for e in entries if e.item.published_version_id is None]
    if unpublished:
        raise InvalidInput(f"以下事项尚未发布，暂不能申请：{'、'.join(unpublished)}", fields={"theme": "unpublished"})
    edges = selectors.prerequisite_edges(entries)
    cycle = dag.find_cycle(edges)
    if cycle:
        names = {e.pk: e.item.name for e in entries}
        raise Conflict("一件事主题的前置事项存在循环：" + " → ".join(names[n] for n in cycle), code=ErrorCode.PREREQUISITE_CYCLE)
    order = dag.topological_order([e.pk for e in entries], edges)
    by_id = {e.pk: e for e in entries}

    merged = {m.name: m for m in selectors.merged_materials(theme, entries)}
    files: dict[str, PackageFile] = {}
    for index, upload in enumerate(materials):
        name = (upload.name or "").strip()
        line = merged.get(name)
        if line is None:
            raise InvalidInput(f"材料“{name}”不在本一件事的申请材料中", fields={f"materials.{index}.name": "unknown"})
        if line.source != Material.Source.APPLICANT:
            raise InvalidInput(f"“{name}”由政府部门核发，通过数据共享获取，无须上传",
                               fields={f"materials.{index}.name": "shared"})
        if name in files:
            raise InvalidInput(f"材料“{name}”重复提交", fields={f"materials.{index}.name": "duplicate"})
        files[name] = upload

    package = Package.objects.create(
        number=_next_number(day), query_code="".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(6)),
        state=PackageState.SUBMITTED, theme=theme, channel=channel, applicant_user=applicant_user, created_by=by,
        idempotency_key=key, created_at=when, submitted_on=day, promised_days=theme.promised_days,
        delivery_method=delivery_method, postal_address=(postal_address or "").strip()[:300],
    )
    subs: dict[int, SubCase] = {}
    with _driving_cases():
        for position, entry_id in enumerate(order):
            entry = by_id[entry_id]
            creator = by if by.role == Role.CITIZEN else _creator_for(by, entry)
            case, _ = case_acts.create_case(
                by=creator, item=entry.item, applicant=applicant, channel=channel, applicant_user=applicant_user,
                delivery_method=delivery_method, postal_address=postal_address, at=when,
            )
            subs[entry_id] = SubCase.objects.create(package=package, theme_item=entry, case=case, order=position + 1)
        for entry_id, sub in subs.items():
            sub.requires.set([subs[r.pk] for r in by_id[entry_id].requires.all()])
        applicant_fields = Case.objects.filter(pk=subs[order[0]].case_id).values(
            "applicant_kind", "applicant_name", "applicant_id_number", "applicant_mobile", "legal_representative"
        ).get()
        Package.objects.filter(pk=package.pk).update(**applicant_fields)
        for field, value in applicant_fields.items():
            setattr(package, field, value)
        for name, upload in files.items():
            _share_material(package, merged[name], upload, subs=list(subs.values()), by=by, when=when)
        for entry_id in order:
            sub = subs[entry_id]
            if not by_id[entry_id].requires.all():
                case = Case.objects.select_related("item_version", "department", "created_by").get(pk=sub.case_id)
                _fetch_shared(case, actor=_material_actor(by, case), when=when)
                case_acts.submit_case(case, by=case.created_by, at=when)
    audit.record("package.apply", obj=package, by=by,
                 after={"number": package.number, "theme": theme.code, "channel": channel,
                        "applicant": mask_identity(package.applicant_id_number),
                        "cases": [subs[e].case.number for e in order], "materials": sorted(files)})
    return package


def _creator_for(by: User, entry: ThemeItem) -> User:
    version = entry.item.published_version
    if by.role == Role.CLERK and (department_id_of(by) == version.department_id
                                  or (department_id_of(by) is None and version.central_acceptance)):
        return by
    return agent_for(version.department)


def _share_material(package: Package, line: selectors.MergedMaterial, upload: PackageFile, *, subs: list[SubCase],
                    by: User, when: dt.datetime) -> PackageMaterial:
    """Give one uploaded material to every sub-case whose item asks for it (collected once, shared by all)."""
    wanted = {entry.pk: material for entry, material in line.entries}
    rows: list[CaseMaterial] = []
    for sub in subs:
        material = wanted.get(sub.theme_item_id)
        if material is None:
            continue
        case = Case.objects.select_related("item_version", "department").get(pk=sub.case_id)
        if case.item_version_id != material.version_id:
            continue
        rows.append(case_acts.add_material(case, by=_material_actor(by, case), content=upload.content,
                                               filename=upload.filename, material_id=material.pk, at=when))
    if not rows:
        raise InvalidInput(f"没有子办件需要材料“{line.name}”", fields={"name": "unused"})
    shared = PackageMaterial.objects.create(
        package=package, name=line.name, original_name=(upload.filename or "")[:200],
        sha256=hashlib.sha256(upload.content).hexdigest(), size=len(upload.content), added_at=when, added_by=by,
    )
    shared.case_materials.set(rows)
    return shared


# -- correction (一次性告知) -----------------------------------------------------------------------------------
def _missing_lines(subs: list[SubCase], aliases: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Every material the applicant still has to bring, merged across sub-cases: name → {problem, cases}."""
    lines: dict[str, dict[str, Any]] = {}
    for sub in subs:
        if sub.case.state not in (State.DRAFT, State.SUBMITTED, State.CORRECTION_REQUESTED):
            continue
        for material in _applicant_materials(sub.case):
            key = selectors.material_key(material.name, aliases)
            line = lines.setdefault(key, {"name": key, "problem": "未提交", "cases": []})
            if sub.case.number not in line["cases"]:
                line["cases"].append(sub.case.number)
    return lines


@transaction.atomic
def request_package_correction(
    package: Package, *, by: User, lines: Sequence[CorrectionLine] = (), note: str = "",
    at: dt.datetime | None = None, expected_version: int | None = None,
) -> PackageCorrection:
    """One correction notice for the whole package (一次性告知): the window's findings plus every material any
    sub-case still lacks; each waiting sub-case gets its own engine notice, the applicant gets one."""
    _check_window(by, package)
    _check_version(package, expected_version)
    package_transition("request_correction", package.state)
    when, _ = _moment(at)
    subs = selectors.sub_cases_of(package)
    aliases = selectors.material_aliases(package.theme)
    merged = {m.name: m for m in selectors.merged_materials(package.theme)}
    found = _missing_lines(subs, aliases)
    for index, line in enumerate(lines):
        name = _require_text(line.name, f"lines.{index}.name", "材料名称", 200)
        problem = _require_text(line.problem, f"lines.{index}.problem", "补正要求", 500)
        if name not in merged:
            raise InvalidInput(f"材料“{name}”不在本一件事的申请材料中", fields={f"lines.{index}.name": "unknown"})
        wanted = {entry.pk for entry, _ in merged[name].entries}
        numbers = [s.case.number for s in subs if s.theme_item_id in wanted]
        entry = found.setdefault(name, {"name": name, "problem": problem, "cases": []})
        entry["problem"] = problem
        entry["cases"] = sorted(set(entry["cases"]) | set(numbers))
    if not found:
        raise InvalidInput("材料齐全：没有需要补正的材料。请列出有问题的材料", fields={"lines": "required"})
    items = list(found.values())
    with _driving_cases():
        for sub in subs:
            if sub.case.state != State.SUBMITTED:
                continue
            case_lines = _engine_lines(sub.case, items, aliases)
            if case_lines:
                case_acts.request_correction(sub.case, by=_desk_actor(by, sub.case), items=case_lines,
                                                 note=note, at=when)
    correction = PackageCorrection.objects.create(package=package, items=items, note=(note or "").strip(),
                                                  requested_at=when, requested_by=by)
    _commit(package, action="request_correction", by=by, changes={}, reason=note,
            extra={"correction": correction.pk, "items": items})
    listing = "；".join(f"{i['name']}：{i['problem']}" for i in items)
    _tell(package, "package_correction", "一次性补正告知", f"请一次性补正以下材料（一份材料各事项共用）：{listing}")
    return correction


def _engine_lines(case: Case, items: list[dict], aliases: dict[str, str]) -> list[case_acts.CorrectionItem]:
    """The package notice's lines that concern this case, as the engine wants them (every missing one listed)."""
    mine = [i for i in items if case.number in i["cases"]]
    if not mine:
        return []
    by_key: dict[str, Material] = {}
    for material in case.item_version.materials.all():
        by_key.setdefault(selectors.material_key(material.name, aliases), material)
    result = []
    listed = set()
    for item in mine:
        material = by_key.get(item["name"])
        if material is not None and material.pk not in listed:
            listed.add(material.pk)
            result.append(case_acts.CorrectionItem(problem=item["problem"], material_id=material.pk))
    for material in missing_materials(case):
        if material.pk not in listed:
            listed.add(material.pk)
            result.append(case_acts.CorrectionItem(problem="未提交", material_id=material.pk))
    return result


@transaction.atomic
def supply_package_material(
    package: Package, *, by: User, name: str, content: bytes, filename: str, at: dt.datetime | None = None,
) -> PackageMaterial:
    """Supply one material once (补正): every sub-case that asks for it gets it; every sub-case whose notice is
    now fully answered resumes (is resubmitted); when nothing is missing the package is back with the window."""
    _check_signed_in(by)
    if not (by.role == Role.CITIZEN and package.applicant_user_id == by.pk) and not _is_window(by, package.theme):
        raise PermissionDenied("只有申请人本人或受理窗口可以补充材料")
    if package.state not in (PackageState.SUBMITTED, PackageState.CORRECTION_REQUESTED):
        raise Conflict(f"一件事当前状态为“{package.state_label}”，不能再补充材料", code=ErrorCode.ILLEGAL_TRANSITION)
    when, _ = _moment(at)
    name = _require_text(name, "name", "材料名称", 200)
    merged = {m.name: m for m in selectors.merged_materials(package.theme)}
    line = merged.get(name)
    if line is None:
        raise InvalidInput(f"材料“{name}”不在本一件事的申请材料中", fields={"name": "unknown"})
    subs = selectors.sub_cases_of(package)
    with _driving_cases():
        shared = _share_material(package, line, PackageFile(name, content, filename), subs=subs, by=by, when=when)
        resumed = []
        for sub in subs:
            case = Case.objects.select_related("item_version", "department").get(pk=sub.case_id)
            if case.state == State.CORRECTION_REQUESTED and _answered(case):
                case_acts.submit_case(case, by=_material_actor(by, case), at=when)
                resumed.append(case.number)
    audit.record("package.supply_material", obj=package, by=by,
                 after={"name": name, "sha256": shared.sha256, "resumed": resumed})
    _close_correction_if_answered(package, by=by, when=when)
    return shared


def _answered(case: Case) -> bool:
    """The case's open notice is answered: nothing missing and every listed material given again since."""
    notice = CorrectionNotice.objects.filter(case=case, resolved_at__isnull=True).order_by("-id").first()
    if notice is None or missing_materials(case):
        return False
    since = set(case.materials.filter(added_at__gte=notice.requested_at).values_list("material_id", flat=True))
    names = set(case.materials.filter(added_at__gte=notice.requested_at).values_list("name", flat=True))
    return all((line.get("material_id") in since) or (line.get("name") in names) for line in notice.items)


def _close_correction_if_answered(package: Package, *, by: User | None, when: dt.datetime) -> None:
    if package.state != PackageState.CORRECTION_REQUESTED:
        return
    open_notices = list(PackageCorrection.objects.filter(package=package, resolved_at__isnull=True))
    subs = selectors.sub_cases_of(package)
    if any(s.case.state == State.CORRECTION_REQUESTED for s in subs):
        return
    if _missing_lines(subs, selectors.material_aliases(package.theme)):
        return
    for notice in open_notices:
        given = set(PackageMaterial.objects.filter(package=package, added_at__gte=notice.requested_at)
                    .values_list("name", flat=True))
        if any(item["name"] not in given and item.get("problem") != "未提交" for item in notice.items):
            return
    PackageCorrection.objects.filter(pk__in=[n.pk for n in open_notices]).update(resolved_at=when)
    _commit(package, action="resubmit", by=by, changes={})
    _tell(package, "package_resubmitted", "补正材料已齐", "补正材料已收齐，等待窗口受理。")


# -- acceptance (一窗受理) -------------------------------------------------------------------------------------
def _clock_columns(package: Package, due_on: dt.date | None) -> dict[str, Any]:
    if due_on is None:
        return {"clock_due_on": None, "clock_warn_on": None}
    threshold = selectors.yellow_threshold(package.promised_days)
    return {"clock_due_on": due_on, "clock_warn_on": clock.warn_on(get_calendar(), due_on, threshold)}


@transaction.atomic
def accept_package(
    package: Package, *, by: User, at: dt.datetime | None = None, expected_version: int | None = None,
) -> Package:
    """Accept once for every department (一窗受理): the package's clock starts, and so does the clock of every
    sub-case with no prerequisite; the others start when their prerequisites are approved."""
    _check_window(by, package)
    _check_version(package, expected_version)
    package_transition("accept", package.state)
    when, day = _moment(at)
    if day < package.submitted_on:
        raise InvalidInput(f"受理日期 {day} 早于提交日期 {package.submitted_on}", fields={"at": "before_submission"})
    subs = selectors.sub_cases_of(package)
    missing = _missing_lines(subs, selectors.material_aliases(package.theme))
    if missing:
        names = "、".join(missing)
        raise InvalidInput(f"材料不齐，不能受理：{names}。请一次性告知补正", code=ErrorCode.MATERIALS_MISSING,
                           fields={"materials": names})
    started = []
    by_id = {s.pk: s for s in subs}
    with _driving_cases():
        for sub in subs:
            if all(selectors._was_approved(by_id[r.pk].case) for r in sub.requires.all()):
                _start(sub, human=by, when=when)
                started.append(sub.case.number)
    due_on = get_calendar().due_date(day, package.promised_days)
    changes = {"accepted_at": when, "accepted_on": day, "accepted_by": by, "due_on": due_on,
               **_clock_columns(package, due_on)}
    _commit(package, action="accept", by=by, changes=changes, extra={"started": started})
    _tell(package, "package_accepted", "已受理",
          f"您的一件事申请已受理，各部门并联审批，承诺 {package.promised_days} 个工作日内（{due_on:%Y-%m-%d} 前）办结。")
    return package


def _fetch_shared(case: Case, *, actor: User, when: dt.datetime) -> None:
    """Government-issued materials are fetched by data sharing (免提交), never asked of the applicant."""
    for material in missing_materials(case):
        if material.source == Material.Source.GOVERNMENT:
            case_acts.fetch_shared_material(case, by=actor, material_id=material.pk, at=when)


def _start(sub: SubCase, *, human: User | None, when: dt.datetime) -> None:
    """Start a sub-case's review: fetch government-issued materials by data sharing, submit, accept (clock on)."""
    case = Case.objects.select_related("item_version", "department").get(pk=sub.case_id)
    actor = _desk_actor(human, case)
    _fetch_shared(case, actor=actor, when=when)
    if case.state == State.DRAFT:
        case_acts.submit_case(case, by=actor, at=when)
    if case.state == State.SUBMITTED:
        try:
            with transaction.atomic():
                case_acts.accept_case(case, by=actor, at=when)
        except InvalidInput:
            # Something only the department can judge is missing: the case waits in its acceptance queue.
            case.refresh_from_db()
    SubCase.objects.filter(pk=sub.pk).update(started_at=when)
    sub.started_at = when
    sub.case = case


# -- what the case engine tells us (called from hooks.py, inside the engine's transaction) ------------------
def on_case_decided(case: Case, *, approved: bool) -> None:
    """A sub-case was approved, denied, withdrawn, terminated or refused: start or stop its dependents, and
    finish the package when every item is decided."""
    sub = SubCase.objects.select_related("theme_item__item").filter(case_id=case.pk).first()
    if sub is None:
        return
    # Two departments deciding the last two items at once: the row lock makes the second see the first's
    # decision, so exactly one of them finishes the package.
    package = _locked(sub.package_id)
    when = case.decided_at or case.closed_at or timezone.now()
    with _driving_cases():
        if approved and package.state == PackageState.ACCEPTED:
            for dependent in SubCase.objects.filter(requires=sub, started_at__isnull=True).prefetch_related(
                    "requires__case"):
                if all(selectors._was_approved(r.case) for r in dependent.requires.all()):
                    _start(dependent, human=None, when=when)
        elif not approved:
            _stop_dependents(sub, reason_item=sub.theme_item.item.name, when=when)
    package.refresh_from_db()
    _finish_if_decided(package, when=when)


def _stop_dependents(sub: SubCase, *, reason_item: str, when: dt.datetime) -> None:
    """Items that need a result which will not come cannot be handled: their waiting drafts are withdrawn."""
    for dependent in SubCase.objects.filter(requires=sub).select_related("case", "case__item_version",
                                                                          "case__department"):
        case = dependent.case
        if case.state in (State.DRAFT, State.SUBMITTED, State.CORRECTION_REQUESTED):
            # Its own withdrawal reaches on_case_decided again, which stops the next level.
            case_acts.withdraw_case(case, by=agent_for(case.department), at=when,
                                        reason=f"前置事项“{reason_item}”未获许可，本事项无法办理")


def _finish_if_decided(package: Package, *, when: dt.datetime) -> None:
    if package.state != PackageState.ACCEPTED:
        return
    subs = selectors.sub_cases_of(package)
    if not all(s.case.state in selectors.ENDED_STATES for s in subs):
        return
    day = max([timezone.localdate(when)] + [s.case.decided_on for s in subs if s.case.decided_on])
    days = get_calendar().working_days_between(package.accepted_on, day) if day >= package.accepted_on else 0
    _commit(package, action="finish", by=None, changes={"finished_on": day, "working_days": days,
                                                        **_clock_columns(package, None)})
    report = selectors.package_report(subs)
    lines = [f"准予许可：{'、'.join(r['item'] for r in report['approved']) or '无'}"]
    for row in report["not_approved"]:
        lines.append(f"{row['item']}：{row['state_label']}（{row['reason'] or '—'}）")
    _tell(package, "package_decided", "全部事项已办理完毕", "；".join(lines) + "。结果将统一送达。")
    _results_ready(package)


def on_case_correction(case: Case, *, by: User | None) -> None:
    """A department asked for correction on its sub-case: gather it into the package's one notice."""
    sub = SubCase.objects.select_related("package", "package__theme").filter(case_id=case.pk).first()
    if sub is None or driving_cases():
        return
    package = sub.package
    notice = CorrectionNotice.objects.filter(case=case).order_by("-id").first()
    aliases = selectors.material_aliases(package.theme)
    new_items = [{"name": selectors.material_key(line["name"], aliases), "problem": line["problem"],
                  "cases": [case.number]} for line in (notice.items if notice else [])]
    open_notice = PackageCorrection.objects.filter(package=package, resolved_at__isnull=True).order_by("-id").first()
    when = notice.requested_at if notice else timezone.now()
    if open_notice is None:
        open_notice = PackageCorrection.objects.create(package=package, items=new_items, note=notice.note if notice
                                                       else "", requested_at=when, requested_by=by or case.created_by)
    else:
        merged = {item["name"]: item for item in open_notice.items}
        for item in new_items:
            target = merged.setdefault(item["name"], {"name": item["name"], "problem": item["problem"], "cases": []})
            target["cases"] = sorted(set(target["cases"]) | {case.number})
        open_notice.items = list(merged.values())
        open_notice.save(update_fields=["items"])
    if package.state == PackageState.SUBMITTED:
        _commit(package, action="request_correction", by=by, changes={},
                extra={"correction": open_notice.pk, "from_case": case.number})
    listing = "；".join(f"{i['name']}：{i['problem']}" for i in open_notice.items)
    _tell(package, "package_correction", "一次性补正告知", f"请一次性补正以下材料（一份材料各事项共用）：{listing}")


def on_result_issued(case: Case) -> SupervisionEvent:
    """A result was issued (出证): hand it to the supervising department (一链监管), and tell the applicant of a
    package when every result is ready for the one delivery."""
    event = hand_off_result(case)
    sub = SubCase.objects.filter(case_id=case.pk).first()
    if sub is not None:
        package = _locked(sub.package_id)
        if package.state == PackageState.DECIDED:
            _results_ready(package)
    return event


def _locked(package_id: int) -> Package:
    return Package.objects.select_for_update().select_related("theme").get(pk=package_id)


def _results_ready(package: Package) -> None:
    subs = selectors.sub_cases_of(package)
    if any(s.case.state in (State.APPROVED, State.DENIED) for s in subs) or package.pickup_code:
        return
    if package.delivery_method == DeliveryMethod.PICKUP:
        code = f"{secrets.randbelow(1_000_000):06d}"
        Package.objects.filter(pk=package.pk).update(pickup_code=code)
        package.pickup_code = code
        audit.record("package.results_ready", obj=package, by=None, after={"pickup_code_set": True})
        _tell(package, "package_results_ready", "结果已全部出具",
              f"请凭取件码 {code} 到窗口一次领取全部结果（一口办结）。")
    else:
        audit.record("package.results_ready", obj=package, by=None, after={"pickup_code_set": False})
        _tell(package, "package_results_ready", "结果已全部出具", "全部结果将一次免费邮寄给您。")


# -- delivery (一口办结) ----------------------------------------------------------------------------------------
@transaction.atomic
def deliver_package(
    package: Package, *, by: User, method: str | None = None, pickup_code: str = "", tracking_number: str = "",
    postal_address: str = "", at: dt.datetime | None = None, expected_version: int | None = None,
) -> Package:
    """Deliver every result together (一口办结): by pick-up with the package's code, or by free post."""
    _check_window(by, package)
    _check_version(package, expected_version)
    package_transition("deliver", package.state)
    when, day = _moment(at)
    method = method or package.delivery_method
    if method not in (DeliveryMethod.PICKUP, DeliveryMethod.POST):
        raise InvalidInput("送达方式应为窗口领取（pickup）或免费邮寄（post）", fields={"method": "choice"})
    subs = selectors.sub_cases_of(package)
    waiting = [s.theme_item.item.name for s in subs if s.case.state in (State.APPROVED, State.DENIED)]
    if waiting:
        raise Conflict(f"以下事项的结果尚未出具，不能统一送达：{'、'.join(waiting)}", code=ErrorCode.RESULTS_PENDING,
                       fields={"items": "、".join(waiting)})
    changes: dict[str, Any] = {"delivery_method": method, "delivered_at": when, "delivered_on": day}
    if method == DeliveryMethod.PICKUP:
        if not package.pickup_code or not secrets.compare_digest(package.pickup_code, (pickup_code or "").strip()):
            raise InvalidInput("取件码不正确", code=ErrorCode.WRONG_PICKUP_CODE, fields={"pickup_code": "mismatch"})
    else:
        address = _require_text(postal_address or package.postal_address, "postal_address", "邮寄地址", 300)
        tracking = _require_text(tracking_number, "tracking_number", "快递单号", 40)
        changes.update(postal_address=address, tracking_number=tracking)
    delivered = []
    with _driving_cases():
        for sub in subs:
            case = Case.objects.select_related("item_version", "department").get(pk=sub.case_id)
            if case.state != State.RESULT_ISSUED:
                continue
            case_acts.deliver_case(case, by=_desk_actor(by, case), method=method, pickup_code=case.pickup_code,
                                       tracking_number=changes.get("tracking_number", ""),
                                       postal_address=changes.get("postal_address", ""), at=when)
            delivered.append(case.number)
    _commit(package, action="deliver", by=by, changes=changes, extra={"cases": delivered})
    how = "窗口领取" if method == DeliveryMethod.PICKUP else f"免费邮寄（快递单号 {changes['tracking_number']}）"
    _tell(package, "package_delivered", "已办结", f"全部结果已统一送达（{how}），感谢您的办理。")
    return package


# -- refuse, joint review --------------------------------------------------------------------------------
@transaction.atomic
def refuse_package(
    package: Package, *, by: User, reason: str, legal_basis: str = "", at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Package:
    """Refuse to accept the package (不予受理): every sub-case is refused or withdrawn with the same reason."""
    _check_window(by, package)
    _check_version(package, expected_version)
    package_transition("refuse", package.state)
    reason = _require_text(reason, "reason", "不予受理理由")
    when, _ = _moment(at)
    with _driving_cases():
        for sub in selectors.sub_cases_of(package):
            case = sub.case
            if case.state == State.SUBMITTED:
                case_acts.refuse_case(case, by=_desk_actor(by, case), reason=reason, legal_basis=legal_basis,
                                          at=when)
            elif case.state in (State.DRAFT, State.CORRECTION_REQUESTED):
                case_acts.withdraw_case(case, by=_desk_actor(by, case), reason=f"一件事不予受理：{reason}", at=when)
    PackageCorrection.objects.filter(package=package, resolved_at__isnull=True).update(resolved_at=when)
    _commit(package, action="refuse", by=by, changes={"closed_reason": reason}, reason=reason)
    _tell(package, "package_refused", "不予受理", f"理由：{reason}")
    return package


@transaction.atomic
def record_joint_review(
    package: Package, *, by: User, held_at: dt.datetime, participants: Sequence[Participant], conclusions: str,
    place: str = "",
) -> JointReview:
    """Record a joint review meeting (集中会审) of the package's departments: who took part, what was concluded."""
    _check_signed_in(by)
    departments = set(SubCase.objects.filter(package=package).values_list("case__department_id", flat=True))
    if not (by.is_center_wide or _is_window(by, package.theme) or department_id_of(by) in departments):
        raise PermissionDenied("只有参与本一件事的部门或牵头部门可以记录集中会审")
    if package.state not in (PackageState.ACCEPTED, PackageState.DECIDED):
        raise Conflict("一件事受理后、送达前才能召开集中会审", code=ErrorCode.ILLEGAL_TRANSITION)
    if timezone.is_naive(held_at):
        held_at = timezone.make_aware(held_at)
    if package.accepted_at and held_at < package.accepted_at:
        raise InvalidInput("会审时间早于受理时间", fields={"held_at": "before_acceptance"})
    conclusions = _require_text(conclusions, "conclusions", "会审结论", 5000)
    people = []
    for index, person in enumerate(participants):
        people.append({"department": _require_text(person.department, f"participants.{index}.department", "参会部门", 100),
                       "name": _require_text(person.name, f"participants.{index}.name", "参会人员姓名", 64)})
    if len(people) < 2:
        raise InvalidInput("集中会审至少应有两名参会人员", fields={"participants": "too_few"})
    review = JointReview.objects.create(package=package, held_at=held_at, place=(place or "").strip()[:200],
                                        participants=people, conclusions=conclusions, recorded_by=by,
                                        recorded_at=timezone.now())
    audit.record("package.joint_review", obj=package, by=by,
                 after={"review": review.pk, "held_at": held_at.isoformat(), "participants": people,
                        "conclusions": conclusions})
    return review


# -- 一链监管: results to the supervising department ----------------------------------------------------------
def _event_payload(case: Case, department: Department, event_id: int | None = None) -> dict[str, Any]:
    version = case.item_version
    organization = case.applicant_kind == "organization"
    sub = SubCase.objects.select_related("package").filter(case_id=case.pk).first()
    return {
        "event": "result_issued",
        "case": {
            "number": case.number,
            "item_code": case.item.implementation_code,
            "item_name": version.name,
            "department": {"code": case.department.code, "name": case.department.name},
            "decision": "approved" if case.licence_number else "denied",
            "licence_number": case.licence_number,
            "decided_on": case.decided_on.isoformat() if case.decided_on else None,
            "result_issued_at": case.result_issued_at.isoformat() if case.result_issued_at else None,
            "applicant": {
                "kind": case.applicant_kind,
                "name": case.applicant_name if organization else case.applicant_name_masked,
                # A licensee's credit code is public; a person's identity number is not.
                "id_number": case.applicant_id_number if organization else mask_identity(case.applicant_id_number),
            },
            "package": sub.package.number if sub else None,
        },
        "supervising_department": {"code": department.code, "name": department.name},
    }


def hand_off_result(case: Case) -> SupervisionEvent:
    """An inbox entry for the supervising department (the approving one if none is set) and one webhook delivery
    per active endpoint, sent after commit."""
    case = Case.objects.select_related("item", "item_version", "item_version__supervising_department",
                                       "department").get(pk=case.pk)
    department = case.item_version.supervising_department or case.department
    now = timezone.now()
    event = SupervisionEvent.objects.create(department=department, case=case, payload={}, created_at=now)
    payload = _event_payload(case, department)
    payload["id"] = event.pk
    payload["occurred_at"] = now.isoformat()
    SupervisionEvent.objects.filter(pk=event.pk).update(payload=payload)
    event.payload = payload
    from onewindow.bundles import webhooks

    body = webhooks.encode(payload)
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(endpoint=endpoint, event=event, body=body, next_attempt_at=now, created_at=now)
        for endpoint in WebhookEndpoint.objects.filter(department=department, active=True)
    )
    ids = [d.pk for d in deliveries]
    if ids:
        transaction.on_commit(lambda: webhooks.enqueue(ids))
    audit.record("supervision.hand_off", obj=event, by=None,
                 after={"case": case.number, "department": department.code, "deliveries": ids})
    return event


@transaction.atomic
def acknowledge_event(event: SupervisionEvent, *, by: User) -> SupervisionEvent:
    """The supervising department signs for an event in its inbox (签收)."""
    _check_signed_in(by)
    if not (by.is_center_wide or department_id_of(by) == event.department_id):
        raise NotFound("监管事件不存在或无权查看")
    if event.acknowledged_at is not None:
        return event
    now = timezone.now()
    SupervisionEvent.objects.filter(pk=event.pk).update(acknowledged_at=now, acknowledged_by=by)
    event.acknowledged_at, event.acknowledged_by = now, by
    audit.record("supervision.acknowledge", obj=event, by=by, after={"acknowledged_at": now.isoformat()})
    return event


@transaction.atomic
def replay_delivery(delivery: WebhookDelivery, *, by: User) -> WebhookDelivery:
    """Send a delivery again from the admin (重放): it becomes pending with a fresh run of tries."""
    _check_signed_in(by)
    if not by.is_center_wide:
        raise PermissionDenied("只有中心管理员可以重放推送")
    before = {"status": delivery.status, "attempts": delivery.attempts}
    now = timezone.now()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=WebhookDelivery.Status.PENDING, attempts=0,
                                                          next_attempt_at=now, last_error="")
    delivery.refresh_from_db()
    from onewindow.bundles import webhooks

    pk = delivery.pk
    transaction.on_commit(lambda: webhooks.enqueue([pk], replay=True))
    audit.record("supervision.replay", obj=delivery, by=by, before=before,
                 after={"status": delivery.status, "attempts": 0})
    return delivery


def get_theme(code: str) -> Theme:
    theme = Theme.objects.select_related("lead_department").filter(code=(code or "").strip(), published=True).first()
    if theme is None:
        raise NotFound(f"一件事主题“{code}”不存在或未发布", fields={"theme": "not_found"})
    return theme
