"""PDF notices read back with pypdf: what the applicant holds in hand says what the case says."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from io import BytesIO

import pytest
from pypdf import PdfReader

from onewindow.cases.documents import (
    MaterialLine,
    NoticeData,
    NoticeKind,
    cn_date,
    notice_filename,
    qr_drawing,
    render_notice,
    tracking_url,
)
from onewindow.core.errors import InvalidInput

CREDIT_CODE = "91500103MA5U7X8Y2K"
URL = tracking_url("https://zwfw.example.gov.cn/", "SC2026112800012", "7K4M2Q")


def notice(kind: NoticeKind, **changes) -> NoticeData:
    base = NoticeData(
        kind=kind,
        center_name="渝中区行政服务中心",
        case_number="SC2026112800012",
        query_code="7K4M2Q",
        applicant_name="重庆山城餐饮管理有限公司",
        applicant_id=CREDIT_CODE,
        item_name="食品经营许可（新办）",
        department="渝中区市场监督管理局",
        issued_on=dt.date(2026, 11, 28),
        tracking_url=URL,
        received_on=dt.date(2026, 11, 27),
        accepted_on=dt.date(2026, 11, 28),
        due_on=dt.date(2026, 12, 10),
        promised_days=8,
        reason="经营场所与污染源的距离不足25米",
        legal_basis="《中华人民共和国食品安全法》第三十五条",
        procedure="检验", started_on=dt.date(2026, 11, 28), expected_end_on=dt.date(2026, 12, 4),
        parties=("李四",), hearing_time="2026年12月9日 09:30", place="中心三楼听证室", presiding="王主任",
        requested_by="李四",
        legal_due_on=dt.date(2026, 12, 24),
        extension_days=10,
        answers=(("经营面积", "120 平方米"), ("从业人员", "1. 姓名：李四")),
    )
    return dataclasses.replace(base, **changes)


def text_of(pdf: bytes) -> str:
    """All text of the PDF with whitespace removed, so table cells wrapped over lines still match."""
    reader = PdfReader(BytesIO(pdf))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def squeeze(value: str) -> str:
    return re.sub(r"\s+", "", value)


@pytest.mark.parametrize("kind", list(NoticeKind))
def test_every_notice_is_a_pdf_with_the_center_title_case_number_and_query_code(kind):
    pdf = render_notice(notice(kind, materials=(MaterialLine("营业执照", "缺少"),)))

    assert pdf.startswith(b"%PDF"), "the download must be a PDF document"
    text = text_of(pdf)
    for expected in ("渝中区行政服务中心", kind.title, "SC2026112800012", "7K4M2Q", "食品经营许可（新办）",
                     "渝中区市场监督管理局", "2026年11月28日"):
        assert expected in text, f"the {kind.title} should print {expected!r}"


@pytest.mark.parametrize("kind", list(NoticeKind))
def test_the_applicant_identity_number_is_printed_masked(kind):
    text = text_of(render_notice(notice(kind, materials=(MaterialLine("营业执照", "缺少"),))))

    assert CREDIT_CODE not in text
    assert "9150**********8Y2K" in text


def test_the_tracking_url_carries_number_and_code_and_is_printed_on_the_notice():
    assert URL == "https://zwfw.example.gov.cn/track/?number=SC2026112800012&code=7K4M2Q"
    assert URL in text_of(render_notice(notice(NoticeKind.ACCEPTANCE)))


def test_the_qr_code_is_drawn_as_vector_modules_of_a_real_symbol():
    drawing = qr_drawing(URL, size=100)

    assert drawing.width == drawing.height == 100
    # a background plus at least one rectangle per row of dark modules
    assert len(drawing.contents) > 25


def test_correction_notice_lists_every_missing_and_faulty_material_with_its_problem():
    materials = tuple(
        MaterialLine(f"第{i}号材料：食品经营设备布局图和工艺流程图（含比例尺）",
                     "缺少，未提交" if i % 2 else f"不符合法定形式：复印件未加盖公章（第{i}页）")
        for i in range(1, 31)
    )
    pdf = render_notice(notice(NoticeKind.CORRECTION, materials=materials, correction_due_on=dt.date(2026, 12, 8)))

    text = text_of(pdf)
    assert len(PdfReader(BytesIO(pdf)).pages) > 1, "thirty materials do not fit one page"
    for material in materials:
        assert squeeze(material.name) in text, f"{material.name} missing from the correction notice"
        assert squeeze(material.problem) in text, f"the problem of {material.name} missing from the notice"
    assert "共30项" in text
    assert "一次性告知" in text
    assert "补正期间不计入办理时限" in text, "the notice must say the clock waits for the corrections"
    assert "2026年12月8日" in text


def test_correction_notice_without_materials_is_refused():
    with pytest.raises(InvalidInput) as error:
        render_notice(notice(NoticeKind.CORRECTION, materials=()))
    assert "materials" in error.value.fields


def test_correction_notice_needs_the_problem_of_each_material():
    with pytest.raises(InvalidInput):
        render_notice(notice(NoticeKind.CORRECTION, materials=(MaterialLine("营业执照", " "),)))


def test_acceptance_notice_promises_the_due_date_and_lists_tolerated_materials():
    pdf = render_notice(notice(
        NoticeKind.ACCEPTANCE, materials=(MaterialLine("从业人员健康证明", "承诺于2026年12月5日前补交"),)
    ))

    text = text_of(pdf)
    assert "决定予以受理" in text
    assert "8个工作日" in text
    assert "预计于2026年12月10日前办结" in text
    assert "从业人员健康证明" in text and "承诺于2026年12月5日前补交" in text


def test_acceptance_notice_without_a_due_date_is_refused():
    with pytest.raises(InvalidInput):
        render_notice(notice(NoticeKind.ACCEPTANCE, due_on=None))


@pytest.mark.parametrize("kind", [NoticeKind.REFUSAL, NoticeKind.DENIAL])
def test_negative_decisions_state_the_reason_and_the_right_of_review_and_litigation(kind):
    text = text_of(render_notice(notice(kind, review_body="重庆市渝中区人民政府")))

    assert "经营场所与污染源的距离不足25米" in text
    assert "六十日内向重庆市渝中区人民政府申请行政复议" in text
    assert "六个月内依法向人民法院提起行政诉讼" in text


@pytest.mark.parametrize("kind", [NoticeKind.REFUSAL, NoticeKind.DENIAL])
def test_negative_decisions_without_a_reason_are_refused(kind):
    with pytest.raises(InvalidInput) as error:
        render_notice(notice(kind, reason="  "))
    assert "reason" in error.value.fields


def test_approval_names_the_legal_basis_and_the_result_to_be_delivered():
    text = text_of(render_notice(notice(NoticeKind.APPROVAL, result_name="食品经营许可证")))

    assert "根据《中华人民共和国食品安全法》第三十五条的规定，本机关决定准予行政许可" in text
    assert "十日内" in text and "《食品经营许可证》" in text


def test_denial_names_reason_and_legal_basis():
    text = text_of(render_notice(notice(NoticeKind.DENIAL)))

    assert "不予行政许可决定书" in text
    assert "《中华人民共和国食品安全法》第三十五条" in text
    assert "本机关决定不予行政许可" in text


@pytest.mark.parametrize("kind", [NoticeKind.APPROVAL, NoticeKind.DENIAL])
def test_licensing_decisions_without_legal_basis_are_refused(kind):
    with pytest.raises(InvalidInput) as error:
        render_notice(notice(kind, legal_basis=""))
    assert "legal_basis" in error.value.fields


def test_text_with_markup_characters_prints_as_written():
    text = text_of(render_notice(notice(NoticeKind.REFUSAL, reason="距离<25米 & 无排烟设施")))

    assert "距离<25米&无排烟设施" in text


def test_the_same_notice_renders_to_the_same_bytes():
    data = notice(NoticeKind.ACCEPTANCE)
    assert render_notice(data) == render_notice(data)


def test_filename_and_dates():
    assert notice_filename(notice(NoticeKind.REFUSAL)) == "SC2026112800012-refusal.pdf"
    assert cn_date(dt.date(2026, 1, 5)) == "2026年1月5日"
    assert cn_date(None) == ""
