"""Case pages as people use them: the window's intake, the case page, the board, citizens, public tracking."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from onewindow.cases.lifecycle import State
from onewindow.cases.models import Case, CorrectionNotice, StagedUpload
from onewindow.cases.tests.factories import PDF, PNG, at, case_in_state, identity_number, new_case
from onewindow.catalog.models import ItemVersion
from onewindow.core.identity import mask_identity
from onewindow.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(BytesIO(response.content)).pages))


def materials_of(world):
    """The item's materials by name: 申请书 (必要), 户籍证明 (必要, 政府核发), 场地证明 (容缺), 其他说明 (非必要)."""
    return {m.name: m for m in world.item_a.published_version.materials.all()}


def intake_post(world, **overrides):
    m = materials_of(world)
    data = {
        "idempotency_key": "k-" + overrides.pop("key", "1"),
        "applicant_kind": "person", "applicant_name": "李四", "applicant_id_number": identity_number(7),
        "applicant_mobile": "13900139000", "decision": "accept",
        f"m{m['申请书'].pk}_status": "received", f"m{m['申请书'].pk}_file": SimpleUploadedFile("申请书.pdf", PDF),
        f"m{m['户籍证明'].pk}_status": "shared",
        f"m{m['场地证明'].pk}_status": "received", f"m{m['场地证明'].pk}_file": SimpleUploadedFile("场地.png", PNG),
        f"m{m['其他说明'].pk}_status": "missing",
    }
    data.update(overrides)
    return data


# -- every role reaches its pages -------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["clerk_a", "reviewer_a", "leader_a", "window_clerk", "supervisor", "admin"])
def test_staff_of_every_role_see_their_workbench_and_the_case_page(client, world, who):
    case = case_in_state(world, State.IN_REVIEW)
    client.force_login(getattr(world, who))

    assert client.get(reverse("cases:workbench")).status_code == 200
    page = client.get(reverse("cases:case", args=[case.number]))
    assert page.status_code == 200
    assert case.number in page.content.decode()


@pytest.mark.parametrize(("who", "status"), [("supervisor", 200), ("admin", 200), ("leader_a", 200),
                                              ("clerk_a", 403), ("reviewer_a", 403)])
def test_the_supervision_board_is_for_supervisors_and_department_leaders(client, world, who, status):
    case_in_state(world, State.ACCEPTED)
    client.force_login(getattr(world, who))

    for url in (reverse("cases:board"), reverse("cases:board") + "?list=yellow",
                reverse("cases:board") + "?list=acceptance", reverse("cases:board") + "?list=tolerance"):
        assert client.get(url).status_code == status, url


def test_a_leader_sees_only_own_department_on_the_board(client, world):
    case_in_state(world, State.ACCEPTED)
    client.force_login(world.leader_b)

    body = client.get(reverse("cases:board")).content.decode()
    assert world.dept_a.name not in body


def test_citizens_do_not_enter_the_workbench_and_strangers_are_sent_to_sign_in(client, world):
    assert client.get(reverse("cases:workbench")).status_code == 302
    client.force_login(world.citizen)
    assert client.get(reverse("cases:workbench")).status_code == 403
    assert client.get(reverse("cases:my_cases")).status_code == 200
    assert client.get(reverse("cases:apply_items")).status_code == 200


def test_only_clerks_take_in_and_each_sees_the_items_of_their_window(client, world):
    client.force_login(world.reviewer_a)
    assert client.get(reverse("cases:intake_items")).status_code == 403

    client.force_login(world.clerk_a)
    body = client.get(reverse("cases:intake_items")).content.decode()
    assert world.item_a.implementation_code in body and world.item_b.implementation_code not in body
    assert client.get(reverse("cases:intake", args=[world.item_b.implementation_code])).status_code == 404
    assert client.get(reverse("cases:intake", args=[world.item_a.implementation_code])).status_code == 200


# -- scoping -----------------------------------------------------------------------------------------------
def test_a_clerk_of_another_department_gets_404_on_the_case_page_its_notice_and_its_actions(client, world):
    case = case_in_state(world, State.ACCEPTED)
    client.force_login(world.clerk_b)

    assert client.get(reverse("cases:case", args=[case.number])).status_code == 404
    assert client.get(reverse("cases:notice", args=[case.number, "acceptance"])).status_code == 404
    response = client.post(reverse("cases:case_action", args=[case.number, "refuse"]),
                           {"expected_version": case.version, "reason": "x"})
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.state == State.ACCEPTED


def test_another_department_never_appears_in_my_tasks(client, world):
    case = case_in_state(world, State.ACCEPTED)
    client.force_login(world.clerk_b)

    assert case.number not in client.get(reverse("cases:workbench")).content.decode()


def test_the_whole_identity_number_is_shown_only_to_staff_of_the_handling_department(client, world):
    case = case_in_state(world, State.ACCEPTED)
    whole = case.applicant_id_number

    client.force_login(world.clerk_a)
    assert whole in client.get(reverse("cases:case", args=[case.number])).content.decode()
    client.force_login(world.supervisor)
    body = client.get(reverse("cases:case", args=[case.number])).content.decode()
    assert whole not in body and mask_identity(whole) in body


# -- intake at the window ----------------------------------------------------------------------------------
def test_intake_accepts_a_complete_application_and_offers_the_acceptance_notice(client, world, settings):
    client.force_login(world.clerk_a)

    response = client.post(reverse("cases:intake", args=[world.item_a.implementation_code]), intake_post(world))

    case = Case.objects.get()
    assert case.state == State.ACCEPTED and case.due_on is not None
    assert case.materials.count() == 3
    assert len([p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]) == 2, "the two scans are kept"
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("cases:case", args=[case.number]))
    page = client.get(response["Location"]).content.decode()
    assert reverse("cases:notice", args=[case.number, "acceptance"]) in page
    notice = client.get(reverse("cases:notice", args=[case.number, "acceptance"]))
    assert notice.status_code == 200 and notice["Content-Type"] == "application/pdf"
    assert notice.content.startswith(b"%PDF")
    text = pdf_text(notice)
    assert case.number in text and "受理通知书" in text and "决定予以受理" in text
    assert AuditEvent.objects.filter(action="case.document_printed", object_id=str(case.pk)).exists()


def test_free_post_needs_an_address_and_is_kept_on_the_case(client, world):
    client.force_login(world.clerk_a)
    url = reverse("cases:intake", args=[world.item_a.implementation_code])

    response = client.post(url, intake_post(world, delivery_method="post"))
    assert response.status_code == 422 and "请填写邮寄地址" in response.content.decode()
    client.post(url, intake_post(world, delivery_method="post", postal_address="重庆市渝中区解放碑1号", key="2"))

    case = Case.objects.get()
    assert case.delivery_method == "post" and case.postal_address == "重庆市渝中区解放碑1号"


def test_posting_the_same_intake_twice_creates_one_case(client, world):
    client.force_login(world.clerk_a)
    url = reverse("cases:intake", args=[world.item_a.implementation_code])

    client.post(url, intake_post(world))
    client.post(url, intake_post(world))

    assert Case.objects.count() == 1


def test_intake_accepts_with_a_tolerated_material_missing_against_a_promise(client, world):
    client.force_login(world.clerk_a)
    m = materials_of(world)
    data = intake_post(world, **{f"m{m['场地证明'].pk}_status": "missing", "tolerance_due_on": "2025-09-26"})
    data.pop(f"m{m['场地证明'].pk}_file")

    with time_machine.travel(at("2025-09-01"), tick=False):
        client.post(reverse("cases:intake", args=[world.item_a.implementation_code]), data)

    case = Case.objects.get()
    assert case.state == State.ACCEPTED
    assert [t["name"] for t in case.tolerated_materials] == ["场地证明"]
    text = pdf_text(client.get(reverse("cases:notice", args=[case.number, "acceptance"])))
    assert "场地证明" in text and "承诺于2025年9月26日前补交" in text


def test_a_correction_request_lists_every_missing_and_faulty_material_on_the_page_and_the_notice(client, world):
    client.force_login(world.clerk_a)
    m = materials_of(world)
    data = intake_post(world, decision="request_correction", **{
        f"m{m['申请书'].pk}_status": "faulty", f"m{m['申请书'].pk}_problem": "未签名盖章",
        f"m{m['场地证明'].pk}_status": "missing",
    })
    data.pop(f"m{m['申请书'].pk}_file")
    data.pop(f"m{m['场地证明'].pk}_file")

    response = client.post(reverse("cases:intake", args=[world.item_a.implementation_code]), data)

    case = Case.objects.get()
    assert case.state == State.CORRECTION_REQUESTED
    lines = {line["name"]: line["problem"] for line in CorrectionNotice.objects.get(case=case).items}
    assert lines == {"申请书": "未签名盖章", "场地证明": "未提交，请补交"}
    assert response["Location"].endswith("?issued=correction")
    page = client.get(reverse("cases:case", args=[case.number])).content.decode()
    assert "未签名盖章" in page and "场地证明" in page
    text = pdf_text(client.get(reverse("cases:notice", args=[case.number, "correction"])))
    for name, problem in lines.items():
        assert name in text and problem in text
    assert "补正期间不计入办理时限" in text


def test_an_invalid_identity_number_is_a_form_error_and_creates_nothing(client, world):
    client.force_login(world.clerk_a)
    bad = identity_number(7)[:-1] + ("0" if identity_number(7)[-1] != "0" else "1")

    response = client.post(reverse("cases:intake", args=[world.item_a.implementation_code]),
                           intake_post(world, applicant_id_number=bad))

    assert response.status_code == 422
    assert "身份证号码校验码错误" in response.content.decode()
    assert Case.objects.count() == 0


def test_an_invalid_credit_code_of_a_legal_person_is_a_form_error(client, world):
    client.force_login(world.clerk_a)

    response = client.post(reverse("cases:intake", args=[world.item_a.implementation_code]), intake_post(
        world, applicant_kind="organization", applicant_id_number="91350100M000100Y44", legal_representative="王五"))

    assert response.status_code == 422
    assert "统一社会信用代码校验码错误" in response.content.decode()
    assert Case.objects.count() == 0


def test_accepting_with_a_required_material_missing_is_refused_and_creates_nothing(client, world):
    client.force_login(world.clerk_a)
    m = materials_of(world)
    data = intake_post(world, **{f"m{m['申请书'].pk}_status": "missing"})
    data.pop(f"m{m['申请书'].pk}_file")

    response = client.post(reverse("cases:intake", args=[world.item_a.implementation_code]), data)

    assert response.status_code == 422
    assert "必要材料不齐" in response.content.decode()
    assert Case.objects.count() == 0


def test_a_fake_scan_is_refused_by_content_and_nothing_is_kept(client, world):
    client.force_login(world.clerk_a)
    m = materials_of(world)
    data = intake_post(world, **{f"m{m['申请书'].pk}_file": SimpleUploadedFile("申请书.pdf", b"not a pdf at all")})

    response = client.post(reverse("cases:intake", args=[world.item_a.implementation_code]), data)

    assert response.status_code == 422
    assert "申请书.pdf" in response.content.decode()
    assert Case.objects.count() == 0


def test_an_intake_the_engine_refuses_keeps_neither_the_case_nor_the_uploaded_scans(client, world, settings):
    client.force_login(world.clerk_a)
    m = materials_of(world)
    data = intake_post(world, **{f"m{m['场地证明'].pk}_status": "missing", "tolerance_due_on": "2020-01-01"})
    data.pop(f"m{m['场地证明'].pk}_file")

    response = client.post(reverse("cases:intake", args=[world.item_a.implementation_code]), data)

    assert response.status_code == 422
    assert "补齐日期" in response.content.decode()
    assert Case.objects.count() == 0
    media = settings.MEDIA_ROOT
    stored = [p for p in media.rglob("*") if p.is_file()]
    assert not [p for p in stored if "staged" not in p.parts], "the scans of a rolled-back intake must be deleted"
    kept = StagedUpload.objects.get()
    assert kept.owner == world.clerk_a and [p.name for p in stored] == [kept.file.name.rsplit("/", 1)[-1]], \
        "only the scan chosen is kept, for the clerk who chose it, to come back attached to the form"


def test_refusal_at_the_window_needs_a_reason_and_prints_the_refusal(client, world):
    client.force_login(world.clerk_a)
    url = reverse("cases:intake", args=[world.item_a.implementation_code])

    assert client.post(url, intake_post(world, decision="refuse")).status_code == 422
    client.post(url, intake_post(world, decision="refuse", reason="不属于本机关职权范围", key="2"))

    case = Case.objects.get()
    assert case.state == State.NOT_ACCEPTED
    text = pdf_text(client.get(reverse("cases:notice", args=[case.number, "refusal"])))
    assert "不属于本机关职权范围" in text and "行政复议" in text


# -- actions on the case page ------------------------------------------------------------------------------
def test_a_reviewer_approves_from_the_case_page_and_the_decision_prints(client, world):
    case = case_in_state(world, State.IN_REVIEW)
    client.force_login(world.reviewer_a)

    response = client.post(reverse("cases:case_action", args=[case.number, "approve"]),
                           {"expected_version": case.version, "legal_basis": "《某条例》第十条"})

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.APPROVED
    text = pdf_text(client.get(reverse("cases:notice", args=[case.number, "approval"])))
    assert "准予行政许可决定书" in text and "《某条例》第十条" in text


def test_a_denial_without_legal_basis_shows_the_error_on_the_form(client, world):
    case = case_in_state(world, State.IN_REVIEW)
    client.force_login(world.reviewer_a)

    response = client.post(reverse("cases:case_action", args=[case.number, "deny"]),
                           {"expected_version": case.version, "reason": "不符合条件"})

    assert response.status_code == 422
    assert "errorlist" in response.content.decode()
    case.refresh_from_db()
    assert case.state == State.IN_REVIEW


def test_an_action_from_a_stale_page_is_refused_with_a_clear_message(client, world):
    case = case_in_state(world, State.IN_REVIEW)
    client.force_login(world.reviewer_a)

    response = client.post(reverse("cases:case_action", args=[case.number, "approve"]),
                           {"expected_version": case.version - 1, "legal_basis": "《某条例》第十条"})

    assert response.status_code == 409
    assert "请刷新后重试" in response.content.decode()


def test_an_action_the_role_may_not_take_is_an_error_not_a_crash(client, world):
    case = case_in_state(world, State.ACCEPTED)
    client.force_login(world.clerk_a)

    response = client.post(reverse("cases:case_action", args=[case.number, "extend"]),
                           {"expected_version": case.version, "days": 3, "reason": "需要现场核查"})

    assert response.status_code == 403
    assert "无权" in response.content.decode()


def test_the_window_completes_a_correction_and_accepts_from_the_case_page(client, world):
    case = case_in_state(world, State.CORRECTION_REQUESTED)
    client.force_login(world.clerk_a)
    m = materials_of(world)
    url = lambda action: reverse("cases:case_action", args=[case.number, action])  # noqa: E731

    client.post(url("add_material"), {"expected_version": case.version, "material": m["申请书"].pk,
                                      "file": SimpleUploadedFile("a.pdf", PDF)})
    client.post(url("add_material"), {"expected_version": case.version, "material": m["户籍证明"].pk,
                                      "shared": "on"})
    client.post(url("add_material"), {"expected_version": case.version, "material": m["场地证明"].pk,
                                      "file": SimpleUploadedFile("b.png", PNG)})
    stale = case.version
    case.refresh_from_db()
    assert case.version == stale + 3, "each material received moves the case to a new version"
    assert client.post(url("submit"), {"expected_version": stale}).status_code == 409, \
        "a page read before the materials arrived cannot act on the case"
    client.post(url("submit"), {"expected_version": case.version})
    case.refresh_from_db()
    response = client.post(url("accept"), {"expected_version": case.version})

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.ACCEPTED
    timeline = client.get(reverse("cases:case", args=[case.number])).content.decode()
    assert "补正告知（一次性告知）" in timeline and "受理" in timeline


def test_a_notice_the_case_does_not_have_is_not_found(client, world):
    case = case_in_state(world, State.SUBMITTED)
    client.force_login(world.clerk_a)

    assert client.get(reverse("cases:notice", args=[case.number, "approval"])).status_code == 404
    assert client.get(reverse("cases:notice", args=[case.number, "nonsense"])).status_code == 404


# -- citizens ----------------------------------------------------------------------------------------------
def _put_online(item):
    ItemVersion.objects.filter(pk=item.published_version_id).update(mode_online=True)


def test_a_citizen_applies_online_and_finds_the_case_in_my_cases(client, world):
    _put_online(world.item_a)
    m = materials_of(world)
    client.force_login(world.citizen)

    response = client.post(reverse("cases:apply", args=[world.item_a.implementation_code]), {
        "idempotency_key": "web-1", "applicant_kind": "person", "applicant_name": "张三",
        "applicant_id_number": identity_number(1), "applicant_mobile": "13800138000",
        f"file{m['申请书'].pk}": SimpleUploadedFile("申请书.pdf", PDF),
        f"file{m['场地证明'].pk}": SimpleUploadedFile("场地.png", PNG),
    })

    case = Case.objects.get()
    assert response.status_code == 302
    assert case.state == State.SUBMITTED and case.applicant_user == world.citizen
    assert case.materials.count() == 3  # two uploads and the government-issued one by data sharing
    assert case.number in client.get(reverse("cases:my_cases")).content.decode()
    assert client.get(reverse("cases:my_case", args=[case.number])).status_code == 200
    client.force_login(world.citizen2)
    assert client.get(reverse("cases:my_case", args=[case.number])).status_code == 404


def test_online_application_needs_the_required_uploads(client, world):
    _put_online(world.item_a)
    client.force_login(world.citizen)

    response = client.post(reverse("cases:apply", args=[world.item_a.implementation_code]), {
        "applicant_kind": "person", "applicant_name": "张三", "applicant_id_number": identity_number(3),
        "applicant_mobile": "13800138000",
    })

    assert response.status_code == 422 and "请上传这份必要材料" in response.content.decode()
    assert Case.objects.count() == 0


def test_an_item_not_online_cannot_be_applied_for_online(client, world):
    client.force_login(world.citizen)
    assert client.get(reverse("cases:apply", args=[world.item_a.implementation_code])).status_code == 404


def test_the_citizen_corrects_and_resubmits_from_my_case(client, world):
    case = case_in_state(world, State.CORRECTION_REQUESTED)
    m = materials_of(world)
    client.force_login(world.citizen)
    page = client.get(reverse("cases:my_case", args=[case.number])).content.decode()
    assert "请一次性补正以下材料" in page

    response = client.post(reverse("cases:my_case", args=[case.number]), {
        "action": "submit", "expected_version": case.version,
        f"file{m['申请书'].pk}": SimpleUploadedFile("a.pdf", PDF),
        f"file{m['场地证明'].pk}": SimpleUploadedFile("b.pdf", PDF),
    })

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.SUBMITTED
    assert client.get(reverse("cases:my_notice", args=[case.number, "correction"])).status_code == 200


# -- public tracking ---------------------------------------------------------------------------------------
def test_tracking_with_the_right_code_shows_progress_without_personal_data(client, world):
    case = case_in_state(world, State.ACCEPTED)

    response = client.get(reverse("cases:track"), {"number": case.number, "code": case.query_code.lower()})

    body = response.content.decode()
    assert response.status_code == 200
    assert case.state_label in body and case.item_version.name in body
    assert case.applicant_name not in body and case.applicant_id_number not in body
    assert mask_identity(case.applicant_id_number) not in body


def test_tracking_with_a_wrong_code_is_simply_not_found(client, world):
    case = case_in_state(world, State.ACCEPTED)
    wrong = "ZZZZZZ" if case.query_code != "ZZZZZZ" else "YYYYYY"

    response = client.get(reverse("cases:track"), {"number": case.number, "code": wrong})

    body = response.content.decode()
    assert response.status_code == 404
    assert "办件编号或查询码不正确" in body
    assert case.item_version.name not in body and case.applicant_name not in body


def test_the_tracking_form_alone_needs_no_sign_in(client, world):
    assert client.get(reverse("cases:track")).status_code == 200


def test_new_case_helper_is_scoped_to_department_a(world):
    assert new_case(world).department == world.dept_a


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_lists_cost_the_same_number_of_queries_for_few_or_many_cases(client, world):
    for n in range(1, 3):
        case_in_state(world, State.ACCEPTED, n=n)
    client.force_login(world.supervisor)
    few = {url: _queries(client, url) for url in (reverse("cases:workbench"), reverse("cases:board"))}
    for n in range(3, 9):
        case_in_state(world, State.ACCEPTED, n=n)
    many = {url: _queries(client, url) for url in few}

    assert many == few
