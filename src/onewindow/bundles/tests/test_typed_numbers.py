"""一件事 applications keep the applicant's credit code and mobile in their canonical ASCII form, however typed
(issue 10 §2)."""

import json

from django.test import Client

from onewindow.bundles.models import Package
from onewindow.bundles.tests.factories import credit_code
from onewindow.cases.models import Case
from onewindow.core.services import create_token
from onewindow.core.tests.typed import full_width, with_invisibles


def test_a_package_applied_for_with_a_full_width_lower_case_credit_code_stores_it_canonical(world):
    _, token = create_token(world.citizen)
    applicant = {"kind": "organization", "name": "渝中味道餐饮有限公司", "legal_representative": "李四",
                 "id_number": with_invisibles(full_width(credit_code(7).lower())), "mobile": "13" + full_width("800138000")}
    response = Client(HTTP_AUTHORIZATION=f"Bearer {token}").post(
        "/api/v1/packages", data=json.dumps({"theme": "restaurant", "channel": "online", "applicant": applicant}),
        content_type="application/json")
    assert response.status_code == 201, response.content
    package = Package.objects.get()
    assert (package.applicant_id_number, package.applicant_mobile) == (credit_code(7), "13800138000")
    assert set(Case.objects.values_list("applicant_id_number", flat=True)) == {credit_code(7)}
