"""The applicant's own case page offers exactly what the action registry allows them: what is still owed, with
the 容缺 due date, and its upload; submitting a draft (as an application, not a correction); resubmitting after a
correction; withdrawing. An act they may not take is never offered, and posting it anyway changes nothing."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from onewindow.cases.lifecycle import State
from onewindow.cases.models import Case
from onewindow.cases.tests.factories import PDF, at, case_in_state, new_case
from onewindow.cases.tests.one_call import api_client, post_multipart
from onewindow.cases.tests.test_intake_in_one_call import payload
from onewindow.cases.tests.test_pages import materials_of


@pytest.fixture(autouse=True)
def _on_a_working_day():
    with time_machine.travel(at("2025-09-02"), tick=False):
        yield


def _offered(page: str) -> set[str]:
    return set(re.findall(r'name="action" value="(\w+)"', page))


def _tolerated_at_the_window(world) -> Case:
    """The clerk takes in the citizen's application with 场地证明 missing, promised by 2025-09-12 (容缺受理)."""
    lines = [line for line in payload(world)["materials"] if line.get("file") != "场地.png"]
    response = post_multipart(api_client(world.clerk_a), "/api/v1/cases/intake", payload(
        world, lines=lines, applicant_user_id=world.citizen.pk,
        decision={"kind": "accept", "tolerance_due_on": "2025-09-12"}), {"申请书.pdf": PDF})
    assert response.status_code == 201, response.content
    return Case.objects.get()


def test_a_tolerated_material_still_owed_is_shown_with_its_due_date_and_can_be_uploaded(client, world):
    case = _tolerated_at_the_window(world)
    client.force_login(world.citizen)
    url = reverse("cases:my_case", args=[case.number])

    page = client.get(url).content.decode()
    allowed = api_client(world.citizen).get(f"/api/v1/cases/{case.number}").json()["allowed_actions"]

    assert "add_material" in allowed
    assert _offered(page) == set(allowed), "the page offers exactly what the API says the applicant may do"
    owed = page.split("尚缺的材料")[1].split("</section>")[0]
    assert "场地证明" in owed and "请于 2025-09-12 前补交" in owed
    assert "场地证明（容缺后补，请于 2025-09-12 前补交）" in page, "the upload offers the owed material first"

    site = materials_of(world)["场地证明"]
    response = client.post(url, {"action": "add_material", "expected_version": case.version, "material": site.pk,
                                 "file": SimpleUploadedFile("场地证明.pdf", PDF)})

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.tolerance_resolved_on is not None, "the 容缺 promise is kept"
    page = client.get(url).content.decode()
    assert "尚缺的材料" not in page and "已补齐" in page


def test_a_never_submitted_draft_is_offered_as_an_application_to_submit(client, world):
    case = new_case(world, submit=False, when=at("2025-09-02"))
    client.force_login(world.citizen)
    url = reverse("cases:my_case", args=[case.number])

    page = client.get(url).content.decode()

    assert "提交申请" in page
    assert "提交补正材料" not in page and "重新提交申请" not in page
    m = materials_of(world)
    response = client.post(url, {"action": "submit", "expected_version": case.version,
                                 f"file{m['申请书'].pk}": SimpleUploadedFile("申请书.pdf", PDF)}, follow=True)
    assert "申请已提交，等待窗口受理" in response.content.decode()
    assert Case.objects.get(pk=case.pk).state == State.SUBMITTED


def test_after_a_correction_notice_the_page_asks_for_the_corrections(client, world):
    case = case_in_state(world, State.CORRECTION_REQUESTED, when=at("2025-09-02"))
    client.force_login(world.citizen)

    page = client.get(reverse("cases:my_case", args=[case.number])).content.decode()

    assert "提交补正材料" in page and "重新提交申请" in page
    assert _offered(page) == {"submit", "withdraw", "add_material"}


def test_an_act_the_applicant_may_no_longer_take_is_neither_offered_nor_done(client, world):
    case = case_in_state(world, State.DELIVERED, when=at("2025-09-02"))
    client.force_login(world.citizen)
    url = reverse("cases:my_case", args=[case.number])
    assert _offered(client.get(url).content.decode()) == set()

    response = client.post(url, {"action": "withdraw", "expected_version": case.version, "reason": "不再需要"})

    assert response.status_code == 409
    page = response.content.decode()
    assert "撤回申请" in page and 'value="withdraw"' not in page, "the refused form is not shown again"
    assert Case.objects.get(pk=case.pk).state == State.DELIVERED


def test_another_persons_case_cannot_be_acted_on(client, world):
    case = case_in_state(world, State.SUBMITTED, when=at("2025-09-02"))
    client.force_login(world.citizen2)

    response = client.post(reverse("cases:my_case", args=[case.number]),
                           {"action": "withdraw", "expected_version": case.version})

    assert response.status_code == 404
    assert Case.objects.get(pk=case.pk).state == State.SUBMITTED
