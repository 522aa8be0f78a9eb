"""Notices built from real cases of the engine: which ones a case has, and what each one prints."""

from __future__ import annotations

import datetime as dt
import re
from io import BytesIO

import pytest
from pypdf import PdfReader

from onewindow.cases import services
from onewindow.cases.documents import NoticeKind, available_notices, notice_for_case, render_case_notice
from onewindow.cases.lifecycle import State
from onewindow.cases.tests.factories import at, case_in_state, complete_materials, new_case
from onewindow.core.errors import InvalidInput

pytestmark = pytest.mark.django_db


def text(pdf: bytes) -> str:
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages))


@pytest.mark.parametrize(("state", "kinds"), [
    (State.SUBMITTED, []),
    (State.CORRECTION_REQUESTED, [NoticeKind.CORRECTION]),
    (State.NOT_ACCEPTED, [NoticeKind.REFUSAL]),
    (State.ACCEPTED, [NoticeKind.ACCEPTANCE]),
    (State.APPROVED, [NoticeKind.ACCEPTANCE, NoticeKind.APPROVAL]),
    (State.DENIED, [NoticeKind.ACCEPTANCE, NoticeKind.DENIAL]),
    (State.DELIVERED, [NoticeKind.ACCEPTANCE, NoticeKind.APPROVAL]),
])
def test_a_case_offers_the_notices_of_the_steps_it_went_through(world, state, kinds):
    assert available_notices(case_in_state(world, state)) == kinds


def test_a_notice_the_case_does_not_have_is_refused(world):
    case = case_in_state(world, State.SUBMITTED)
    with pytest.raises(InvalidInput):
        notice_for_case(case, NoticeKind.ACCEPTANCE)


def test_the_correction_notice_of_a_case_lists_its_items_and_links_to_tracking(world, settings):
    settings.PUBLIC_BASE_URL = "https://zwfw.example.gov.cn"
    settings.CENTER_NAME = "渝中区政务服务中心"
    case = new_case(world)
    services.request_correction(case, by=world.clerk_a, items=[
        services.CorrectionItem(material_id=m.pk, problem=f"{m.name}未提交") for m in
        case.item_version.materials.exclude(requirement="optional")
    ] + [services.CorrectionItem(name="委托书", problem="缺少受托人签字")], at=at("2025-09-02"))

    data = notice_for_case(case, NoticeKind.CORRECTION)
    pdf, filename = render_case_notice(case, NoticeKind.CORRECTION)

    assert filename == f"{case.number}-correction.pdf"
    assert data.tracking_url == f"https://zwfw.example.gov.cn/track/?number={case.number}&code={case.query_code}"
    printed = text(pdf)
    assert "渝中区政务服务中心" in printed
    for line in ("申请书未提交", "户籍证明未提交", "场地证明未提交", "委托书", "缺少受托人签字"):
        assert line in printed
    assert case.applicant_id_number not in printed


def test_the_acceptance_notice_names_the_tolerated_material_and_the_promised_date(world):
    case = new_case(world)
    complete_materials(case, by=world.clerk_a, tolerated=False)
    tolerated = [m.pk for m in case.item_version.materials.filter(requirement="tolerated")]
    services.accept_case(case, by=world.clerk_a, tolerated=tolerated, tolerance_due_on=dt.date(2025, 9, 26),
                         at=at("2025-09-02"))

    printed = text(render_case_notice(case, NoticeKind.ACCEPTANCE)[0])
    assert "场地证明" in printed and "承诺于2025年9月26日前补交" in printed
    assert f"{case.due_on.year}年{case.due_on.month}月{case.due_on.day}日" in printed


def test_the_denial_prints_the_reason_and_basis_given_by_the_reviewer(world):
    case = case_in_state(world, State.DENIED)

    printed = text(render_case_notice(case, NoticeKind.DENIAL)[0])
    assert "不符合条件" in printed and "某条例第五条" in printed and "行政诉讼" in printed
