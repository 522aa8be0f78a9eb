"""The package application form looks and behaves like the single-item form: the same field partials and marks,
the applicant filled in from the signed-in account, a person's account applying as a person by default."""

import re

from django.test import Client

from onewindow.bundles.models import Package
from onewindow.core.models import Role, User


def _page(user, page: str = "apply") -> str:
    client = Client()
    client.force_login(user)
    response = client.get(f"/bundles/themes/restaurant/{page}/")
    assert response.status_code == 200
    return response.content.decode()


def _checked_kind(html: str) -> str:
    return re.search(r'<input type="radio" name="applicant_kind" value="(\w+)"[^>]*checked', html)[1]


def _value(html: str, name: str) -> str:
    field = re.search(rf'<input type="text" name="{name}"[^>]*>', html)[0]
    value = re.search(r'value="([^"]*)"', field)
    return value[1] if value else ""


def test_a_persons_account_applies_as_a_person_with_its_name_and_identity_filled_in(world):
    person = User.objects.create(username="zhang", role=Role.CITIZEN, display_name="张三",
                                 identity_number="11010519491231002X", mobile="13800138001")
    html = _page(person)
    assert _checked_kind(html) == "person", "a person is not offered as an organisation"
    assert _value(html, "applicant_name") == "张三"
    assert _value(html, "applicant_id_number") == "11010519491231002X"
    assert _value(html, "applicant_mobile") == "13800138001"


def test_a_legal_persons_account_starts_as_an_organisation(world):
    assert _checked_kind(_page(world.citizen)) == "organization"


def test_the_form_uses_the_single_item_forms_fields_and_required_marks(world):
    html = _page(world.citizen)
    assert html.count('<div class="field') >= 6, "each field in the shared field partial"
    assert re.search(r'for="id_applicant_name">[^<]+<span class="error" aria-hidden="true">\*</span>', html), \
        "required fields are marked"
    assert "cases/cases.css" in html, "the single-item form's styles"
    assert 'name="idempotency_key"' in html, "a second click does not apply twice"


def test_a_window_clerk_starts_from_a_blank_applicant(world):
    html = _page(world.window, "intake")
    assert _value(html, "applicant_name") == "" and _checked_kind(html) == "person"


def test_an_organisation_without_legal_representative_is_told_so_and_nothing_is_applied_for(world):
    client = Client()
    client.force_login(world.citizen)
    response = client.post("/bundles/themes/restaurant/apply/", {
        "applicant_kind": "organization", "applicant_name": "渝中味道餐饮有限公司",
        "applicant_id_number": world.citizen.identity_number, "delivery_method": "pickup"})
    assert response.status_code == 422
    assert "法人或其他组织须填写法定代表人" in response.content.decode()
    assert not Package.objects.exists()


def test_files_chosen_on_a_refused_package_form_come_back_attached_and_go_to_the_package_on_the_next_submit(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from onewindow.bundles.models import PackageMaterial
    from onewindow.bundles.tests.factories import PDF

    client = Client()
    client.force_login(world.citizen)
    fields = {"applicant_kind": "organization", "applicant_name": "渝中味道餐饮有限公司",
              "applicant_id_number": world.citizen.identity_number, "delivery_method": "pickup"}
    refused = client.post("/bundles/themes/restaurant/apply/",
                          {**fields, "material_0": SimpleUploadedFile("lease.pdf", PDF + b"lease")})
    assert refused.status_code == 422 and not Package.objects.exists()
    html = refused.content.decode()
    token = re.search(r'name="material_0__staged" value="([^"]+)"', html)
    assert token, "the chosen file is kept with the form shown again"
    assert "lease.pdf" in html, "the kept file is named on the form"

    done = client.post("/bundles/themes/restaurant/apply/",
                       {**fields, "legal_representative": "李四", "material_0__staged": token[1]})
    assert done.status_code == 302, done.content.decode()[:500]
    package = Package.objects.get()
    assert PackageMaterial.objects.filter(package=package, original_name="lease.pdf").exists(), \
        "the kept file reached the package without being chosen again"
