"""Intake through the API (收件、申报) in one call, all or nothing — at the window, online, or the applicant's
corrections — exactly as the pages do (`cases.create` opens a case step by step instead).

The one-call intakes are multipart: a part `payload` holding the JSON input, and the files as parts `files`, each
named in the payload by its file name. An `Idempotency-Key` header sent again with the same request returns the
first result (200) and writes nothing; with a different request (any field or file) it is refused (409
`idempotency_key_reused`) and writes nothing. Every error names the request's own field (`decision.reason`,
`applicant.id_number`, `materials.<material id>.file`…).
"""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from ninja import Body, File, Router, Status
from ninja.files import UploadedFile

from onewindow.cases import selectors, services
from onewindow.cases.acts.base import fields_renamed
from onewindow.cases.api.base import (
    VERSION_FIELDS,
    applicant_user,
    expected_version,
    fresh_detail,
    idempotency_header,
    parties,
    requested_item,
    scans_by_line,
    service_point,
    user_of,
)
from onewindow.cases.api.schemas import (
    ApplyIn,
    CaseOut,
    IntakeIn,
    IntakeOut,
    ResubmitIn,
    SuppliedMaterialIn,
)

router = Router()

ALL_OR_NOTHING = ("All or nothing: any refused input answers `{\"error\": {code, message, fields}}` (4xx) and leaves "
                  "no case, material, stored file, audit event or case number behind. Multipart: the JSON input in "
                  "the part `payload`, the files as parts `files`, each named in the payload by its file name.")


def _supplied(lines: list[SuppliedMaterialIn], files: list[UploadedFile] | None) -> list[services.SuppliedMaterial]:
    scans = scans_by_line([(line.material_id, line.file) for line in lines], files)
    return [services.SuppliedMaterial(material_id=line.material_id, scan=scan)
            for line, scan in zip(lines, scans, strict=True)]


@router.post("/intake", response={200: IntakeOut, 201: IntakeOut}, summary="窗口收件：申请人、材料核对、当场决定（一次完成）",
             description="The window's intake in one call (收件): open and submit the case, record each material "
                         "of the checklist (its scan, data sharing, or missing), and decide on the spot — accept "
                         "(容缺受理 when tolerated materials are missing, with their due date), one correction "
                         "notice listing every missing or faulty material, or refuse. Answers the case and the "
                         "notice to hand over (its PDF link). Window clerks only. " + ALL_OR_NOTHING)
def intake(request: HttpRequest, payload: IntakeIn, files: File[list[UploadedFile]] = None,
           idempotency_key: str = idempotency_header()):
    user = user_of(request)
    scans = scans_by_line([(line.material_id, line.file) for line in payload.materials], files)
    decision = payload.decision
    with requested_item(payload) as item:
        done = services.take_in_at_window(
            by=user, item=item, channel=payload.channel, service_point=service_point(payload.service_point_id),
            applicant_user=applicant_user(payload.applicant_user_id),
            delivery=services.Delivery(method=payload.delivery_method, postal_address=payload.postal_address),
            materials=[services.CheckedMaterial(material_id=line.material_id, status=line.status,
                                                problem=line.problem, scan=scan)
                       for line, scan in zip(payload.materials, scans, strict=True)],
            decision=services.WindowDecision(kind=decision.kind, tolerance_due_on=decision.tolerance_due_on,
                                             note=decision.note, fields=tuple(decision.fields.items()),
                                             reason=decision.reason,
                                             legal_basis=decision.legal_basis),
            idempotency_key=idempotency_key, answers=payload.answers, **parties(payload),
        )
    url = reverse("api:case_notice", kwargs={"number": done.case.number, "kind": done.notice.value})
    return Status(201 if done.created else 200, {
        "case": fresh_detail(user, done.case.number),
        "notice": {"kind": done.notice.value, "title": done.notice.title, "url": url},
    })


@router.post("/apply", response={200: CaseOut, 201: CaseOut}, summary="网上申报：申请人、材料、提交（一次完成）",
             description="An online application in one call (网上申报, as 渝快办 or the kiosk sends it): open the "
                         "case, upload the applicant's materials (every required one they keep, except the paper "
                         "申请书 the item's form stands for when `answers` come: the 申请表 PDF generated from them "
                         "is filed as it), fetch the "
                         "government-issued ones by data sharing, and submit; the 5-working-day acceptance clock "
                         "starts. Citizens' accounts only. " + ALL_OR_NOTHING)
def apply(request: HttpRequest, payload: ApplyIn, files: File[list[UploadedFile]] = None,
          idempotency_key: str = idempotency_header()):
    user = user_of(request)
    materials = _supplied(payload.materials, files)
    with requested_item(payload) as item:
        case, created = services.apply_online(
            by=user, item=item, channel=payload.channel,
            delivery=services.Delivery(method=payload.delivery_method, postal_address=payload.postal_address),
            materials=materials, idempotency_key=idempotency_key, answers=payload.answers, **parties(payload),
        )
    return Status(201 if created else 200, fresh_detail(user, case.number))


@router.post("/{number}/resubmit", response=CaseOut, summary="补正后重新提交：补交材料并提交（一次完成）",
             description="The applicant's corrections in one call (补正后重新提交): upload what the correction notice "
                         "asks for (every required material they keep), fetch the government-issued ones by data "
                         "sharing, and submit again; the acceptance clock restarts. Send `expected_version` or "
                         "`If-Match` to refuse acting on a stale view (409). " + ALL_OR_NOTHING)
def resubmit(request: HttpRequest, number: str, payload: ResubmitIn | None = Body(None),  # noqa: B008
             files: File[list[UploadedFile]] = None):
    user = user_of(request)
    payload = payload or ResubmitIn()
    case = selectors.get_case_for(user, number)
    materials = _supplied(payload.materials, files)
    with fields_renamed(VERSION_FIELDS):
        services.resubmit_with_corrections(
            case, by=user, expected_version=expected_version(request, payload.expected_version), materials=materials,
            answers=payload.answers)
    return fresh_detail(user, number)
