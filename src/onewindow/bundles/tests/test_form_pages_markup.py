"""The 一件事 application form as a screen reader meets it: the same labelled fields, hints and error summary as
the single-item form; a refused application marks its fields invalid and links to them."""

from django.test import Client

from onewindow.core.tests.html_checks import accessibility_problems, attributes_of, error_summary_links


def test_the_package_form_is_whole_and_a_refused_one_links_its_errors_to_the_fields(world):
    client = Client()
    client.force_login(world.citizen)
    page = client.get("/bundles/themes/restaurant/apply/")
    html = page.content.decode()
    assert page.status_code == 200 and accessibility_problems(html) == []

    refused = client.post("/bundles/themes/restaurant/apply/", {"applicant_kind": "person", "applicant_name": "",
                                                                "applicant_id_number": ""})
    html = refused.content.decode()

    assert accessibility_problems(html) == []
    assert {"#id_applicant_name", "#id_applicant_id_number"} <= set(error_summary_links(html))
    assert attributes_of(html, "id_applicant_id_number")["aria-invalid"] == "true"


def test_the_window_intake_of_a_package_uses_the_same_whole_form(world):
    client = Client()
    client.force_login(world.window)
    page = client.get("/bundles/themes/restaurant/intake/")
    assert page.status_code == 200 and accessibility_problems(page.content.decode()) == []
