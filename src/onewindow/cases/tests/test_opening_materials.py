"""Uploaded materials open from the case page and from "my case" for those who may see the case — PDF and images in
the browser, anything else as a download, with a safe name and no sniffing — and for nobody else, whatever address
they try: the answer is the same 404 as for a material that does not exist."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from onewindow.cases import services
from onewindow.cases.lifecycle import State
from onewindow.cases.models import CaseMaterial
from onewindow.cases.tests.factories import JPEG, PDF, PNG, case_in_state, new_case


def _ofd() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("OFD.xml", "<ofd/>")
    return buffer.getvalue()


def _upload(case, world, content=PDF, filename="营业执照.pdf") -> CaseMaterial:
    return services.add_material(case, by=world.clerk_a, content=content, filename=filename,
                                 material_id=case.item_version.materials.order_by("order").first().pk)


def _get(user, url) -> object:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(url)


def _staff_url(row: CaseMaterial) -> str:
    return reverse("cases:material", args=[row.case.number, row.pk])


def _my_url(row: CaseMaterial) -> str:
    return reverse("cases:my_material", args=[row.case.number, row.pk])


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("who", ["clerk_a", "reviewer_a", "leader_a", "supervisor", "admin"])
def test_those_who_may_see_the_case_open_its_pdf_in_the_browser(world, who):
    row = _upload(new_case(world), world)

    response = _get(getattr(world, who), _staff_url(row))

    assert response.status_code == 200, f"{who} opens the material"
    assert _body(response) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_the_applicant_opens_their_own_material_from_my_case(world):
    row = _upload(new_case(world), world, content=PNG, filename="photo.png")

    response = _get(world.citizen, _my_url(row))

    assert response.status_code == 200
    assert _body(response) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")


def test_a_jpeg_opens_inline_and_an_ofd_document_downloads(world):
    case = new_case(world)
    jpeg = _upload(case, world, content=JPEG, filename="scan.jpg")
    ofd = _upload(case, world, content=_ofd(), filename="证明.ofd")

    shown = _get(world.clerk_a, _staff_url(jpeg))
    downloaded = _get(world.clerk_a, _staff_url(ofd))

    assert shown["Content-Type"] == "image/jpeg" and shown["Content-Disposition"].startswith("inline;")
    assert downloaded["Content-Type"] == "application/ofd"
    assert downloaded["Content-Disposition"].startswith("attachment;")
    assert downloaded["X-Content-Type-Options"] == "nosniff"


def test_the_name_in_the_header_has_no_path_quotes_or_control_characters_and_the_sniffed_extension(world):
    row = _upload(new_case(world), world, filename='..\\..\\a"b\r\nc;d.pdf')
    CaseMaterial.objects.filter(pk=row.pk).update(original_name='../../ev"il\r\nname.pdf')

    disposition = _get(world.clerk_a, _staff_url(row))["Content-Disposition"]

    assert "\r" not in disposition and "\n" not in disposition
    assert "/" not in disposition.split("filename", 1)[1].replace("utf-8''", "")
    assert disposition.count('"') in (0, 2), disposition
    assert disposition.rstrip('"').endswith(".pdf"), disposition


@pytest.mark.parametrize("who", ["clerk_b", "reviewer_b", "leader_b", "citizen2", None])
def test_nobody_else_opens_it_and_learns_nothing_from_trying(world, who):
    row = _upload(new_case(world), world)
    user = getattr(world, who) if who else None
    missing = reverse("cases:material", args=[row.case.number, row.pk + 1000])
    no_case = reverse("cases:material", args=["SC20250901999999", row.pk])

    for url in (_staff_url(row), _my_url(row), missing, no_case):
        response = _get(user, url)
        assert response.status_code == 404, f"{who or 'a visitor'} at {url}: {response.status_code}"
        assert PDF not in response.content


def test_a_material_is_not_opened_through_another_case_the_person_may_see(world):
    first = new_case(world, n=1)
    other = new_case(world, n=3)
    row = _upload(first, world)

    response = _get(world.clerk_a, reverse("cases:material", args=[other.number, row.pk]))

    assert response.status_code == 404, "a material belongs to its own case's address only"


def test_another_departments_case_stays_closed_even_to_a_reviewer_with_its_number(world):
    case = case_in_state(world, State.IN_REVIEW)
    row = case.materials.exclude(file="").first()

    assert _get(world.reviewer_a, _staff_url(row)).status_code == 200
    assert _get(world.reviewer_b, _staff_url(row)).status_code == 404


def test_a_material_fetched_by_data_sharing_has_no_file_to_open(world):
    case = case_in_state(world, State.ACCEPTED)
    shared = case.materials.filter(file="").first()
    assert shared is not None, "the test item's government-issued material was fetched by data sharing"

    assert _get(world.clerk_a, _staff_url(shared)).status_code == 404


def test_the_case_page_and_my_case_link_each_uploaded_material(world):
    case = new_case(world)
    row = _upload(case, world)

    staff_page = _get(world.reviewer_a, reverse("cases:case", args=[case.number])).content.decode()
    my_page = _get(world.citizen, reverse("cases:my_case", args=[case.number])).content.decode()

    assert f'href="{_staff_url(row)}"' in staff_page
    assert f'href="{_my_url(row)}"' in my_page
