"""Materials: files are checked by content (PDF, JPEG, PNG, OFD), size and emptiness; government-issued
materials can be fetched by data sharing; verified materials can be reused by the same applicant."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from onewindow.cases import services
from onewindow.cases.models import CaseMaterial
from onewindow.cases.tests.factories import JPEG, PDF, PNG, at, case_in_state, new_case
from onewindow.cases.uploads import InvalidUpload
from onewindow.core.errors import Conflict, InvalidInput
from onewindow.core.services import create_token


def _ofd(with_manifest: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if with_manifest:
            archive.writestr("OFD.xml", "<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'/>")
        archive.writestr("Doc_0/Document.xml", "<Document/>")
    return buffer.getvalue()


def _upload(case, by, content, filename, material_name="申请书"):
    material = case.item_version.materials.get(name=material_name)
    return services.add_material(case, by=by, content=content, filename=filename, material_id=material.pk)


@pytest.mark.parametrize(("content", "filename", "content_type"), [
    (PDF, "申请书.pdf", "application/pdf"),
    (JPEG, "photo.JPG", "image/jpeg"),
    (PNG, "scan.png", "image/png"),
    (_ofd(), "e-licence.ofd", "application/ofd"),
    (PDF, "no-extension", "application/pdf"),
])
def test_pdf_jpeg_png_and_ofd_are_accepted_by_their_content(world, content, filename, content_type):
    case = new_case(world)
    row = _upload(case, world.citizen, content, filename)
    assert row.content_type == content_type
    assert row.size == len(content)
    import hashlib

    assert row.sha256 == hashlib.sha256(content).hexdigest()
    assert row.file.read() == content


@pytest.mark.parametrize(("content", "filename", "problem"), [
    (b"MZ\x90\x00 this is an exe", "申请书.pdf", "type"),
    (b"<html>not a pdf</html>", "申请书.pdf", "type"),
    (_ofd(with_manifest=False), "licence.ofd", "type"),
    (PNG, "申请书.pdf", "type_mismatch"),
    (b"", "empty.pdf", "empty"),
])
def test_a_wrong_type_behind_a_right_name_or_an_empty_file_is_refused(world, content, filename, problem):
    case = new_case(world)
    with pytest.raises(InvalidUpload) as refused:
        _upload(case, world.citizen, content, filename)
    assert refused.value.fields["file"] == problem
    assert not CaseMaterial.objects.exists()


def test_a_file_over_the_size_limit_is_refused(world, settings):
    settings.MAX_UPLOAD_BYTES = 1024
    case = new_case(world)
    with pytest.raises(InvalidUpload) as refused:
        _upload(case, world.citizen, PDF + b"0" * 1024, "big.pdf")
    assert refused.value.fields["file"] == "too_large"
    _upload(case, world.citizen, PDF, "small.pdf")


def test_the_api_upload_is_multipart_and_refuses_a_disguised_file_with_422(world):
    case = new_case(world)
    material = case.item_version.materials.get(name="申请书")
    _, token = create_token(world.citizen)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    bad = client.post(f"/api/v1/cases/{case.number}/materials",
                      data={"file": SimpleUploadedFile("申请书.pdf", b"GIF89a..."), "material_id": material.pk})
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "invalid_upload"
    good = client.post(f"/api/v1/cases/{case.number}/materials",
                       data={"file": SimpleUploadedFile("申请书.pdf", PDF), "material_id": material.pk})
    assert good.status_code == 201, good.content
    assert good.json()["content_type"] == "application/pdf"
    assert CaseMaterial.objects.count() == 1


def test_a_material_of_another_item_is_refused(world):
    case = new_case(world)
    foreign = world.item_b.published_version.materials.first()
    with pytest.raises(InvalidInput):
        services.add_material(case, by=world.citizen, content=PDF, filename="a.pdf", material_id=foreign.pk)


def test_materials_cannot_be_added_to_a_closed_case(world):
    case = case_in_state(world, "withdrawn")
    with pytest.raises(Conflict):
        _upload(case, world.citizen, PDF, "a.pdf")


def test_a_government_issued_material_is_fetched_by_data_sharing_and_others_are_not(world):
    case = new_case(world)
    household = case.item_version.materials.get(name="户籍证明")
    row = services.fetch_shared_material(case, by=world.clerk_a, material_id=household.pk)
    assert (row.provision, row.verified, row.file.name) == ("shared", True, "")
    application = case.item_version.materials.get(name="申请书")
    with pytest.raises(InvalidInput):
        services.fetch_shared_material(case, by=world.clerk_a, material_id=application.pk)


def test_a_citizens_earlier_verified_material_is_reused_without_uploading_again(world):
    earlier = case_in_state(world, "accepted", n=1)
    verified = earlier.materials.get(name="申请书")
    assert verified.verified
    later = new_case(world, n=1, when=at("2025-09-03"))
    row = services.reuse_material(later, by=world.citizen, source_id=verified.pk)
    assert (row.provision, row.reused_from, row.sha256, row.material.name) == ("reused", verified, verified.sha256,
                                                                               "申请书")
    stranger = new_case(world, n=2, when=at("2025-09-03"))
    with pytest.raises(InvalidInput):
        services.reuse_material(stranger, by=world.clerk_a, source_id=verified.pk)


def test_an_unverified_material_cannot_be_reused(world):
    earlier = new_case(world, n=1)
    unverified = _upload(earlier, world.citizen, PDF, "a.pdf")
    later = new_case(world, n=1)
    with pytest.raises(InvalidInput):
        services.reuse_material(later, by=world.citizen, source_id=unverified.pk)
