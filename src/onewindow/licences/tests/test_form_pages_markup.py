"""The licence forms as a screen reader meets them — revoking and cancelling on the register page, renewing on
mine: no id twice though the page holds several forms, every field labelled, every error linked and read."""

import time_machine

from onewindow.cases.tests.factories import at
from onewindow.core.tests.html_checks import accessibility_problems, attributes_of, error_summary_links
from onewindow.licences.tests.factories import issued_licence, signed_in

BASIS = "《中华人民共和国行政许可法》第六十九条第一款第（四）项"


def test_the_register_pages_forms_are_whole_and_a_refused_revocation_links_its_error(world):
    licence = issued_licence(world)
    leader = signed_in(world.leader_a)
    page = leader.get(f"/workbench/licences/{licence.pk}/")
    assert page.status_code == 200 and accessibility_problems(page.content.decode()) == []

    refused = leader.post(f"/workbench/licences/{licence.pk}/", {"action": "revoke", "revoke-reason": "",
                                                                  "revoke-legal_basis": BASIS})
    html = refused.content.decode()

    assert refused.status_code == 422 and accessibility_problems(html) == []
    assert "#id_revoke-reason" in error_summary_links(html)
    assert attributes_of(html, "id_revoke-reason")["aria-invalid"] == "true"


def test_my_licence_page_with_its_renewal_form_is_whole(world):
    licence = issued_licence(world)
    with time_machine.travel(at("2026-07-20"), tick=False):
        page = signed_in(world.citizen).get(f"/my/licences/{licence.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and 'value="renew"' in html
    assert accessibility_problems(html) == []
