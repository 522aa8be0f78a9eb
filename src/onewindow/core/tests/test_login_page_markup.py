"""The sign-in page as a screen reader meets it: labelled fields, a skip link first, and after a refused
sign-in an error summary that the fields point at and that links to the first field."""

from __future__ import annotations

import pytest

from onewindow.core.tests.html_checks import accessibility_problems, error_summary_links

pytestmark = pytest.mark.django_db


def test_the_sign_in_page_has_labelled_fields_and_a_skip_link_first(client):
    page = client.get("/accounts/login/")

    assert page.status_code == 200
    assert accessibility_problems(page.content.decode()) == []


def test_a_refused_sign_in_marks_both_fields_invalid_and_links_the_summary_to_the_user_name(client):
    from onewindow.core.models import Role, User

    User.objects.create_user("citizen1", password="pass-word-123", role=Role.CITIZEN)
    page = client.post("/accounts/login/", {"username": "citizen1", "password": "wrong"})
    html = page.content.decode()

    assert accessibility_problems(html) == []
    assert html.count('aria-invalid="true"') == 2
    assert error_summary_links(html) == ["#id_username"]
