"""Forms keep what was typed, files included: after an error on the online application, the window intake or the
corrections, the files already chosen are shown attached and need not be chosen again — kept for the person who
chose them, removable or replaceable, consumed by the submit that succeeds; a refused submit writes nothing to a
case, and nobody else's kept file can be claimed."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from onewindow.cases.lifecycle import State
from onewindow.cases.models import Case, CaseMaterial, StagedUpload
from onewindow.cases.tests.factories import PDF, PNG, at, case_in_state, identity_number
from onewindow.catalog.models import ItemVersion

TOKEN = re.compile(r'name="(\w+)__staged" value="([^"]+)"')


def _materials(world) -> dict:
    return {m.name: m for m in world.item_a.published_version.materials.all()}


def _kept(html: str) -> dict[str, str]:
    """field name → the token of the file kept for it, as the page sends it back."""
    return dict(TOKEN.findall(html))


def _apply(client, world, **fields):
    ItemVersion.objects.filter(pk=world.item_a.published_version_id).update(mode_online=True)
    data = {"idempotency_key": "web-1", "applicant_kind": "person", "applicant_name": "张三",
            "applicant_id_number": identity_number(1), "applicant_mobile": "13800138000", **fields}
    return client.post(reverse("cases:apply", args=[world.item_a.implementation_code]), data)


def _application_files(world, form=PDF, premises=PNG) -> dict:
    m = _materials(world)
    return {f"file{m['申请书'].pk}": SimpleUploadedFile("申请书.pdf", form),
            f"file{m['场地证明'].pk}": SimpleUploadedFile("场地.png", premises)}


def test_an_online_application_refused_for_a_typo_shows_the_chosen_files_attached_and_writes_nothing(client, world):
    client.force_login(world.citizen)

    response = _apply(client, world, applicant_mobile="1380013", **_application_files(world))

    page = response.content.decode()
    assert response.status_code == 422
    assert "已附：申请书.pdf" in page and "已附：场地.png" in page
    assert len(_kept(page)) == 2, "each chosen file comes back with the form"
    assert Case.objects.count() == 0 and CaseMaterial.objects.count() == 0


def test_submitting_again_without_choosing_the_files_uses_the_kept_ones_and_consumes_them(client, world):
    client.force_login(world.citizen)
    m = _materials(world)
    refused = _apply(client, world, applicant_mobile="1380013", **_application_files(world))
    kept = {f"{name}__staged": token for name, token in _kept(refused.content.decode()).items()}

    response = _apply(client, world, **kept)

    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get()
    uploaded = {row.material_id: row.sha256 for row in case.materials.exclude(file="")}
    assert uploaded == {m["申请书"].pk: hashlib.sha256(PDF).hexdigest(), m["场地证明"].pk: hashlib.sha256(PNG).hexdigest()}
    assert StagedUpload.objects.count() == 0, "the successful submit consumed the kept files"


def test_a_kept_file_can_be_removed_or_replaced(client, world):
    client.force_login(world.citizen)
    m = _materials(world)
    refused = _apply(client, world, applicant_mobile="1380013", **_application_files(world))
    kept = _kept(refused.content.decode())
    form_field, premises_field = f"file{m['申请书'].pk}", f"file{m['场地证明'].pk}"
    replacement = PDF + b"% signed"

    removed = _apply(client, world, **{f"{form_field}__staged": kept[form_field], f"{form_field}__remove": "1",
                                       f"{premises_field}__staged": kept[premises_field]})
    assert removed.status_code == 422 and "请上传这份必要材料" in removed.content.decode()
    assert form_field not in _kept(removed.content.decode()), "the removed file is no longer attached"
    kept = _kept(removed.content.decode())

    response = _apply(client, world, **{form_field: SimpleUploadedFile("申请书（签字）.pdf", replacement),
                                        f"{premises_field}__staged": kept[premises_field]})

    assert response.status_code == 302
    row = Case.objects.get().materials.get(material=m["申请书"])
    assert row.sha256 == hashlib.sha256(replacement).hexdigest()
    assert StagedUpload.objects.count() == 0


def test_another_persons_or_an_expired_kept_file_cannot_be_claimed(client, world):
    client.force_login(world.citizen)
    refused = _apply(client, world, applicant_mobile="1380013", **_application_files(world))
    kept = {f"{name}__staged": token for name, token in _kept(refused.content.decode()).items()}

    client.force_login(world.citizen2)
    theirs = _apply(client, world, applicant_id_number=identity_number(2), **kept)
    assert theirs.status_code == 422 and "请上传这份必要材料" in theirs.content.decode()
    assert not _kept(theirs.content.decode())

    StagedUpload.objects.update(expires_at=at("2025-01-01"))
    client.force_login(world.citizen)
    expired = _apply(client, world, **kept)
    assert expired.status_code == 422 and Case.objects.count() == 0


def test_a_bad_file_is_refused_on_its_field_and_not_kept(client, world):
    client.force_login(world.citizen)

    response = _apply(client, world, applicant_mobile="1380013",
                      **_application_files(world, premises=b"<html>not a scan</html>"))

    page = response.content.decode()
    assert response.status_code == 422
    assert "已附：申请书.pdf" in page and "已附：场地.png" not in page
    assert StagedUpload.objects.count() == 1


def test_a_window_intake_refused_keeps_the_scans_and_the_next_submit_takes_them(client, world):
    client.force_login(world.clerk_a)
    m = _materials(world)
    url = reverse("cases:intake", args=[world.item_a.implementation_code])
    data = {
        "idempotency_key": "k-1", "applicant_kind": "person", "applicant_name": "李四",
        "applicant_id_number": identity_number(7), "applicant_mobile": "13900139000",
        f"m{m['申请书'].pk}_status": "received", f"m{m['户籍证明'].pk}_status": "shared",
        f"m{m['场地证明'].pk}_status": "received", f"m{m['其他说明'].pk}_status": "missing",
    }

    refused = client.post(url, {**data, f"m{m['申请书'].pk}_file": SimpleUploadedFile("申请书.pdf", PDF),
                                f"m{m['场地证明'].pk}_file": SimpleUploadedFile("场地.png", PNG)})
    page = refused.content.decode()
    assert refused.status_code == 422, "no decision was chosen"
    assert "已附：申请书.pdf" in page and Case.objects.count() == 0
    kept = {f"{name}__staged": token for name, token in _kept(page).items()}

    done = client.post(url, {**data, **kept, "decision": "accept"})

    assert done.status_code == 302
    case = Case.objects.get()
    assert case.state == State.ACCEPTED
    assert case.materials.get(material=m["场地证明"]).sha256 == hashlib.sha256(PNG).hexdigest()
    assert StagedUpload.objects.count() == 0


def test_corrections_refused_keep_the_file_chosen_and_the_resubmit_takes_it(client, world):
    case = case_in_state(world, State.CORRECTION_REQUESTED, when=at("2025-09-02"))
    m = _materials(world)
    client.force_login(world.citizen)
    url = reverse("cases:my_case", args=[case.number])
    premises = f"file{m['场地证明'].pk}"

    refused = client.post(url, {"action": "submit", "expected_version": case.version,
                                premises: SimpleUploadedFile("场地.png", PNG)})
    page = refused.content.decode()
    assert refused.status_code == 422 and "请上传这份补正材料" in page
    assert "已附：场地.png" in page
    assert Case.objects.get(pk=case.pk).state == State.CORRECTION_REQUESTED
    assert not case.materials.exists(), "nothing was written to the case"

    done = client.post(url, {"action": "submit", "expected_version": case.version,
                             f"{premises}__staged": _kept(page)[premises],
                             f"file{m['申请书'].pk}": SimpleUploadedFile("申请书.pdf", PDF)})

    assert done.status_code == 302
    assert Case.objects.get(pk=case.pk).state == State.SUBMITTED
    assert case.materials.get(material=m["场地证明"]).sha256 == hashlib.sha256(PNG).hexdigest()
    assert StagedUpload.objects.count() == 0


def test_kept_files_expire_and_are_cleared_by_a_later_upload(client, world):
    client.force_login(world.citizen)
    _apply(client, world, applicant_mobile="1380013", **_application_files(world))
    StagedUpload.objects.update(expires_at=at("2025-01-01"))

    _apply(client, world, applicant_mobile="1380013", **_application_files(world))

    assert StagedUpload.objects.count() == 2, "the expired pair went when the new pair was kept"
    assert all(row.expires_at > at("2025-01-01") + dt.timedelta(days=1) for row in StagedUpload.objects.all())
