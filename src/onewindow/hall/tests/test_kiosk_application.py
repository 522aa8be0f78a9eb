"""自助申报 at the kiosk: a signed-in citizen applies for an item in the kiosk's layout with the same form and the same
check as online; the case is filed on the channel `kiosk`, the applicant signed out after, and a refused
application keeps what was typed in the kiosk's layout."""

from __future__ import annotations

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from onewindow.cases.models import Case
from onewindow.cases.tests.factories import PDF, at, identity_number, make_world
from onewindow.cases.tests.with_forms import give_form, posted_answers
from onewindow.core.tests.html_checks import accessibility_problems, attributes_of, error_summary_links
from onewindow.hall.tests.factories import HallFactory


@pytest.fixture(autouse=True)
def _on_a_working_day(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "media")}}}
    with time_machine.travel(at("2025-09-01"), tick=False):
        yield


@pytest.fixture
def world(db):
    from onewindow.workdays.services import seed_from_package

    seed_from_package(years=[2025])
    world = make_world()
    give_form(world.item_a)
    return world


def _url(hall, world) -> str:
    return reverse("hall:kiosk_apply", kwargs={"hall": hall.code, "code": world.item_a.implementation_code})


def _application(world, **answers) -> dict:
    files = {f"file{m.pk}": SimpleUploadedFile(f"{m.name}.pdf", PDF)
             for m in world.item_a.published_version.materials.all() if not m.fetchable}
    return {"idempotency_key": "kiosk-1", "applicant_kind": "person", "applicant_name": "张三",
            "applicant_id_number": identity_number(1), "applicant_mobile": "13800138000", "intent": "submit",
            **posted_answers(**answers), **files}


def _signed_out(response) -> bool:
    """The kiosk's own sign-in screen, not the site's login page (which would lead out of kiosk mode)."""
    html = response.content.decode()
    return response.status_code == 200 and 'name="intent" value="sign_in"' in html and 'class="kiosk' in html


def test_the_kiosk_lists_the_items_and_asks_the_applicant_to_sign_in_on_the_kiosk(client, world):
    hall = HallFactory()
    listing = client.get(reverse("hall:kiosk_apply_items", kwargs={"hall": hall.code}))
    assert listing.status_code == 200 and _url(hall, world) in listing.content.decode()
    page = client.get(_url(hall, world))
    assert _signed_out(page), "a citizen signs in before applying, without leaving the kiosk"
    assert accessibility_problems(page.content.decode(), skip_link=False) == []


def test_a_citizen_signs_in_at_the_kiosk_and_staff_or_a_wrong_password_are_refused(client, world):
    hall = HallFactory()
    world.citizen.set_password("pass-word-123")
    world.citizen.save()
    world.clerk_a.set_password("pass-word-123")
    world.clerk_a.save()
    sign_in = {"intent": "sign_in", "username": "citizen", "password": "wrong"}
    assert client.post(_url(hall, world), sign_in).status_code == 403
    assert client.post(_url(hall, world), sign_in | {"username": world.clerk_a.username,
                                                     "password": "pass-word-123"}).status_code == 403
    response = client.post(_url(hall, world), sign_in | {"password": "pass-word-123"})
    assert response.status_code == 302 and response["Location"] == _url(hall, world)
    assert 'name="answers.floor_area"' in client.get(_url(hall, world)).content.decode()


def test_a_kiosk_application_is_filed_on_the_kiosk_channel_and_signs_the_applicant_out(client, world):
    hall = HallFactory()
    client.force_login(world.citizen)
    page = client.get(_url(hall, world)).content.decode()
    assert 'class="kiosk' in page and 'name="answers.floor_area"' in page
    assert accessibility_problems(page, skip_link=False) == []

    response = client.post(_url(hall, world), _application(world))

    assert response.status_code == 302 and response["Location"] == reverse("hall:kiosk", kwargs={"hall": hall.code})
    case = Case.objects.get()
    assert case.channel == "kiosk" and case.answers["floor_area"] == 120
    assert _signed_out(client.get(_url(hall, world))), "the next person at the kiosk is not signed in"


def test_a_refused_kiosk_application_keeps_what_was_typed_and_names_the_field(client, world):
    hall = HallFactory()
    client.force_login(world.citizen)
    response = client.post(_url(hall, world), _application(world, floor_area=0))
    html = response.content.decode()
    assert response.status_code == 422
    assert accessibility_problems(html, skip_link=False) == []
    assert 'class="kiosk' in html and "#answers-floor_area" in error_summary_links(html)
    assert attributes_of(html, "answers-staff-0-name")["value"] == "李四"
    assert Case.objects.count() == 0


def test_the_kiosks_start_screen_signs_out_an_applicant_who_walked_away(client, world):
    hall = HallFactory()
    client.force_login(world.citizen)
    page = client.get(_url(hall, world)).content.decode()
    assert 'name="answers.floor_area"' in page and 'data-idle-seconds="' in page, "the form returns when left"

    assert client.get(reverse("hall:kiosk", kwargs={"hall": hall.code})).status_code == 200

    assert _signed_out(client.get(_url(hall, world))), "the next person does not apply in the last one's name"


def test_a_draft_resumed_at_the_kiosk_on_a_newer_form_tells_the_applicant_to_check_it(client, world):
    hall = HallFactory()
    client.force_login(world.citizen)
    saved = client.post(_url(hall, world), _application(world, floor_area=85) | {"intent": "save_draft"})
    assert saved.status_code == 302
    assert "申请表已于暂存后更新" not in client.get(_url(hall, world)).content.decode()
    give_form(world.item_a)  # a new version of the item's form is published after the draft was saved
    html = client.get(_url(hall, world)).content.decode()
    note = html[html.index("draft-note"):html.index("discard_draft")]
    assert "暂存的内容" in note and "申请表已于暂存后更新，请核对各项内容" in note
    assert attributes_of(html, "answers-floor_area")["value"] == "85"
