"""Apply once (一表申请): one package over a theme, one sub-case per item, each material collected once."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction

from onewindow.bundles import selectors
from onewindow.bundles.acts.answers import ItemAnswers, split_package_answers
from onewindow.bundles.acts.base import PackageFile, agent_for, fetch_shared, material_actor, share_material
from onewindow.bundles.lifecycle import PackageState
from onewindow.bundles.models import Package, SubCase
from onewindow.cases import acts as case_acts
from onewindow.cases import idempotency
from onewindow.cases.acts import CITIZEN_CHANNELS, CLERK_CHANNELS, QUERY_CODE_ALPHABET, Applicant
from onewindow.cases.acts.answers import replaced_material
from onewindow.cases.models import Case, Channel, DeliveryMethod
from onewindow.catalog import dag
from onewindow.catalog.models import Material, Theme, ThemeItem
from onewindow.catalog.selectors import department_id_of
from onewindow.core import audit, kit
from onewindow.core.errors import Conflict, ErrorCode, InvalidInput, PermissionDenied
from onewindow.core.identity import mask_identity
from onewindow.core.models import Role, User
from onewindow.forms import acts as form_acts


@kit.composable
def apply_for_theme(
    *, by: User, theme: Theme, applicant: Applicant, channel: str, materials: Sequence[PackageFile] = (),
    applicant_user: User | None = None, delivery_method: str = DeliveryMethod.PICKUP, postal_address: str = "",
    idempotency_key: str = "", at: dt.datetime | None = None, answers: Mapping[str, Any] | None = None,
) -> tuple[Package, bool]:
    """Apply for a theme once (一件事一次申请): one sub-case per item, the merged materials given to each.

    `answers` fill the theme's one form (一表申请, `forms.selectors.theme_form`): checked whole first (FormInvalid,
    422, every `answers.<key>` at once, nothing written), then each sub-case is filed under its own item's form
    version with its own answers — a shared data element typed once is copied to every item that asks it and
    marked in those sub-cases' `prefill_sources` as coming from the package's form. An item whose form stands for
    its paper 申请书 gets the 申请表 PDF generated from its answers as that material, unless it was uploaded. The applicant's saved draft of
    the theme's form (暂存) is discarded once the package is filed.

    Sub-cases without prerequisites are submitted to their departments at once; the others wait as drafts.
    A repeated `idempotency_key` from the same user with the same request returns the first package and writes
    nothing; with a different request it is refused (409, see `cases.idempotency`). Returns (package, created).
    """
    kit.require_signed_in(by)
    key = idempotency.checked_key(idempotency_key)
    digest = idempotency.request_digest("bundles.apply_for_theme", {
        "theme": theme, "applicant": applicant, "channel": channel, "applicant_user": applicant_user,
        "delivery_method": delivery_method, "postal_address": postal_address, "answers": answers or {},
        "materials": sorted(({"name": m.name, **idempotency.file_fingerprint(m.content, m.filename)}
                             for m in materials), key=lambda m: (m["name"], m["sha256"])),
    }) if key else ""
    first = _first_of(by, key, digest)
    if first is not None:
        return first, False
    try:
        # A savepoint: a concurrent request with the same key wins the unique index, this one returns its package.
        with transaction.atomic():
            package = _apply(by=by, theme=theme, applicant=applicant, channel=channel, materials=materials,
                             applicant_user=applicant_user, delivery_method=delivery_method,
                             postal_address=postal_address, key=key, digest=digest, at=at, answers=answers)
    except IntegrityError:
        first = _first_of(by, key, digest)
        if first is None:
            raise
        return first, False
    return package, True


def _first_of(by: User, key: str, digest: str) -> Package | None:
    """The package `by` applied for with `key` before (None if none): a replay when it was the same request, else
    409."""
    first = Package.objects.filter(created_by=by, idempotency_key=key).first() if key else None
    if first is not None:
        idempotency.check_replay(first.idempotency_digest, digest, first=f"一件事 {first.number}")
    return first


def _apply(*, by: User, theme: Theme, applicant: Applicant, channel: str, materials: Sequence[PackageFile],
           applicant_user: User | None, delivery_method: str, postal_address: str, key: str, digest: str,
           at: dt.datetime | None, answers: Mapping[str, Any] | None) -> Package:
    when, day = kit.moment(at)
    applicant_user = _check_application(by, theme, channel=channel, applicant_user=applicant_user,
                                        delivery_method=delivery_method)
    entries, order = _ordered_entries(theme)
    merged = {m.name: m for m in selectors.merged_materials(theme, entries)}
    files = _uploads(merged, materials)
    filed = split_package_answers(theme, answers, applicant_user=applicant_user)
    package = Package.objects.create(
        number=_next_number(day), query_code="".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(6)),
        state=PackageState.SUBMITTED, theme=theme, channel=channel, applicant_user=applicant_user, created_by=by,
        idempotency_key=key, idempotency_digest=digest, created_at=when, submitted_on=day,
        promised_days=theme.promised_days,
        delivery_method=delivery_method, postal_address=(postal_address or "").strip()[:300],
    )
    by_id = {e.pk: e for e in entries}
    subs: dict[int, SubCase] = {}
    creators: dict[int, User] = {}
    for position, entry_id in enumerate(order):
        entry = by_id[entry_id]
        creator = creators[entry_id] = by if by.role == Role.CITIZEN else _creator_for(by, entry)
        own = filed.get(entry.item.implementation_code, ItemAnswers({}, {}))
        case, _ = case_acts.create_case(
            by=creator, item=entry.item, applicant=applicant, channel=channel, applicant_user=applicant_user,
            delivery_method=delivery_method, postal_address=postal_address, at=when,
            answers=own.answers or None, known_answers=own.known,
        )
        subs[entry_id] = SubCase.objects.create(package=package, theme_item=entry, case=case, order=position + 1)
    for entry_id, sub in subs.items():
        sub.requires.set([subs[r.pk] for r in by_id[entry_id].requires.all()])
    _copy_applicant(package, subs[order[0]].case_id)
    for name, upload in files.items():
        share_material(package, merged[name], upload, subs=list(subs.values()), by=by, when=when)
    _file_application_forms(subs.values(), by=by, when=when)
    for entry_id in order:
        if not by_id[entry_id].requires.all():
            case = Case.objects.select_related("item_version", "department").get(pk=subs[entry_id].case_id)
            fetch_shared(case, actor=material_actor(by, case), when=when)
            case_acts.submit_case(case, by=creators[entry_id], at=when)
    audit.record("package.apply", obj=package, by=by,
                 after={"number": package.number, "theme": theme.code, "channel": channel,
                        "applicant": mask_identity(package.applicant_id_number),
                        "cases": [subs[e].case.number for e in order], "materials": sorted(files),
                        "form": bool(filed)})
    form_acts.discard_form_draft(by=by, theme=theme)
    return package


def _file_application_forms(subs: Iterable[SubCase], *, by: User, when: dt.datetime) -> None:
    """A sub-case filed with answers whose item's form stands for its paper 申请书 gets the 申请表 PDF generated from
    them as that material — unless the applicant uploaded that material for the package anyway."""
    for sub in subs:
        case = Case.objects.select_related("item_version", "department").get(pk=sub.case_id)
        replaced = replaced_material(case.item_version, case.answers)
        if replaced is None or case.materials.filter(material_id=replaced).exists():
            continue
        material = Material.objects.get(pk=replaced)
        case_acts.file_application_form(case, by=material_actor(by, case), material=material, at=when)


def _check_application(by: User, theme: Theme, *, channel: str, applicant_user: User | None,
                       delivery_method: str) -> User | None:
    """Who may apply through which channel, for whom, with which delivery; returns the applicant's account."""
    if not theme.published:
        raise InvalidInput(f"一件事主题“{theme.name}”未发布，不能申请", fields={"theme": "unpublished"})
    if channel not in Channel.values:
        raise InvalidInput(f"申报渠道“{channel}”无效", fields={"channel": "choice"})
    if by.role == Role.CITIZEN:
        if channel not in CITIZEN_CHANNELS:
            raise InvalidInput("群众自行申报的渠道为网上、移动端或自助终端", fields={"channel": "citizen"})
        applicant_user = by
    elif by.role in (Role.CLERK, Role.REVIEWER, Role.LEADER) and selectors.is_window(by, theme):
        if channel not in CLERK_CHANNELS:
            raise InvalidInput("窗口录入的渠道为窗口受理或邮寄申请", fields={"channel": "clerk"})
    elif by.role == Role.CLERK:
        raise PermissionDenied("一件事由牵头部门窗口或综合窗口受理", fields={"theme": "scope"})
    else:
        raise PermissionDenied("只有申请人或窗口人员可以申报一件事")
    if applicant_user is not None and applicant_user.role != Role.CITIZEN:
        raise InvalidInput("申请人账号应为群众账号", fields={"applicant_user": "role"})
    if delivery_method not in (DeliveryMethod.PICKUP, DeliveryMethod.POST):
        raise InvalidInput("一件事的结果统一送达：窗口领取（pickup）或免费邮寄（post）",
                           fields={"delivery_method": "choice"})
    return applicant_user


def _ordered_entries(theme: Theme) -> tuple[list[ThemeItem], list[int]]:
    """The theme's items and their ids in an order where every prerequisite comes first (a loop is 409)."""
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
        raise Conflict("一件事主题的前置事项存在循环：" + " → ".join(names[n] for n in cycle),
                       code=ErrorCode.PREREQUISITE_CYCLE)
    return entries, dag.topological_order([e.pk for e in entries], edges)


def _uploads(merged: dict[str, selectors.MergedMaterial], materials: Sequence[PackageFile]) -> dict[str, PackageFile]:
    """The uploads by merged material name: each one on the form, brought by the applicant, given once."""
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
    return files


def _copy_applicant(package: Package, case_id: int) -> None:
    """The package shows the applicant as the case engine validated and normalised them on the first sub-case."""
    fields = Case.objects.filter(pk=case_id).values(
        "applicant_kind", "applicant_name", "applicant_id_number", "applicant_mobile", "legal_representative"
    ).get()
    Package.objects.filter(pk=package.pk).update(**fields)
    for field, value in fields.items():
        setattr(package, field, value)


def _creator_for(by: User, entry: ThemeItem) -> User:
    """Who takes in the sub-case: the window clerk where the case engine lets them, else the department's agent."""
    version = entry.item.published_version
    if version is None:  # refused before anything was written (_ordered_entries)
        raise InvalidInput(f"事项“{entry.item.name}”尚未发布", fields={"theme": "unpublished"})
    if by.role == Role.CLERK and (department_id_of(by) == version.department_id
                                  or (department_id_of(by) is None and version.central_acceptance)):
        return by
    return agent_for(version.department)


def _next_number(day: dt.date) -> str:
    """`YJS{YYYYMMDD}{6-digit daily sequence}`: the packages' sequence of the day (每日流水号)."""
    return f"YJS{day:%Y%m%d}{kit.next_in_sequence('bundles.package', day):06d}"
