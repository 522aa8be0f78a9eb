"""The API's edge: who is answered 401 and who 403, and every error in Chinese with a code of `ErrorCode`.

The clients here check CSRF as a browser's server would (`enforce_csrf_checks=True`): Django's test client skips
the check by default, which is how a POST without credentials once looked like a 401 in tests and was a 403
"CSRF check Failed" for every real client.
"""

from __future__ import annotations

import json
import re

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from onewindow.cases.models import Case
from onewindow.core.errors import ErrorCode
from onewindow.core.models import AuditEvent, Role, User
from onewindow.core.services import create_token

pytestmark = pytest.mark.django_db

HAN = re.compile(r"[\u3400-\u9fff]")
INTAKE = "/api/v1/cases/intake"
APPROVE = "/api/v1/cases/SC20250901000001/approve"


def clerk() -> User:
    return User.objects.create_user("clerk", password="pass-word-123", role=Role.CLERK)


def plain_client() -> Client:
    """A client as a script or another system is: no cookies, and CSRF checked as for any real request."""
    return Client(enforce_csrf_checks=True)


def session_client(user: User) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def token_client(user: User) -> Client:
    _, token = create_token(user)
    return Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {token}")


def error_of(response) -> dict:
    assert response["Content-Type"].startswith("application/json"), response.content
    return response.json()["error"]


def nothing_written() -> tuple[int, int]:
    return Case.objects.count(), AuditEvent.objects.count()


# -- no credentials: 401, whatever the method -------------------------------------------------------------------
@pytest.mark.parametrize("path", [INTAKE, APPROVE, "/api/v1/cases/apply"])
def test_a_post_without_any_credentials_is_401_not_authenticated_not_a_csrf_refusal(path):
    response = plain_client().post(path)

    assert response.status_code == 401, response.content
    error = error_of(response)
    assert error["code"] == "not_authenticated"
    assert error["message"] == "需要登录或有效的 API 令牌"
    assert response["WWW-Authenticate"].startswith("Bearer"), "the answer says which credentials to send"


def test_a_stale_session_cookie_is_no_credential_and_is_answered_401():
    client = plain_client()
    client.cookies[settings.SESSION_COOKIE_NAME] = "a-session-that-expired-long-ago"

    response = client.post(INTAKE)

    assert response.status_code == 401 and error_of(response)["code"] == "not_authenticated"


def test_an_anonymous_session_posting_is_answered_401():
    session = SessionStore()
    session["django_language"] = "zh-hans"  # a visitor's session with no one signed in
    session.create()
    client = plain_client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key

    for path in (INTAKE, APPROVE):
        response = client.post(path, data="{}", content_type="application/json")
        assert response.status_code == 401 and error_of(response)["code"] == "not_authenticated", path


def test_a_get_without_credentials_is_401_as_before():
    response = plain_client().get("/api/v1/cases")

    assert response.status_code == 401 and error_of(response)["code"] == "not_authenticated"


# -- a signed-in session: CSRF as for the page forms ------------------------------------------------------------
def test_a_signed_in_session_posting_without_its_csrf_token_is_refused_403_in_chinese_and_nothing_is_done():
    client = session_client(clerk())
    before = nothing_written()

    response = client.post(INTAKE, data={"payload": "{}"})

    assert response.status_code == 403
    error = error_of(response)
    assert error["code"] == "csrf_failed"
    assert "CSRF" in error["message"] and "X-CSRFToken" in error["message"] and HAN.search(error["message"])
    assert error["fields"] == {"X-CSRFToken": "invalid"}
    assert nothing_written() == before


def test_a_signed_in_session_with_its_csrf_token_gets_past_the_check():
    client = session_client(clerk())
    client.get("/")  # a page with a form sets the csrftoken cookie, as in the browser
    token = client.cookies[settings.CSRF_COOKIE_NAME].value

    response = client.post(INTAKE, data={}, HTTP_X_CSRFTOKEN=token)

    assert response.status_code == 422, "the session is accepted; only the missing input is refused"
    assert error_of(response)["fields"] == {"payload": "required"}


def test_a_bearer_token_needs_no_csrf_token():
    response = token_client(clerk()).post(INTAKE, data={})

    assert response.status_code == 422 and error_of(response)["code"] == "invalid"


# -- unreadable input: Chinese, naming the part -----------------------------------------------------------------
def test_a_body_that_is_not_json_is_400_malformed_json_saying_where_it_breaks():
    response = token_client(clerk()).post(APPROVE, data='{"reason": ', content_type="application/json")

    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "malformed_json"
    assert error["message"] == "请求正文不是有效的 JSON（第 1 行第 12 列）"
    assert error["fields"] == {"body": "malformed_json"}


def test_a_multipart_payload_part_that_is_not_json_is_400_naming_the_part():
    client = token_client(clerk())
    before = nothing_written()

    response = client.post(INTAKE, data={"payload": "{'item_code': 'SC-0001'}",
                                         "files": [SimpleUploadedFile("申请书.pdf", b"%PDF-1.7")]})

    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "malformed_json"
    assert error["message"].startswith("请求的 payload 部分不是有效的 JSON")
    assert error["fields"] == {"payload": "malformed_json"}
    assert nothing_written() == before


def test_a_missing_multipart_part_is_422_naming_the_part_in_chinese():
    response = token_client(clerk()).post(INTAKE, data={"files": [SimpleUploadedFile("申请书.pdf", b"%PDF-1.7")]})

    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid"
    assert error["message"] == "请求参数有误：缺少 payload"
    assert error["fields"] == {"payload": "required"}


def test_fields_inside_the_payload_are_named_by_their_path_with_what_is_wrong():
    payload = {"item_code": "SC-0001", "applicant": {"kind": "person"}, "decision": {"kind": "approve"},
               "materials": [{"material_id": "first", "status": "received"}]}

    response = token_client(clerk()).post(INTAKE, data={"payload": json.dumps(payload)})

    error = error_of(response)
    assert response.status_code == 422 and error["code"] == "invalid"
    assert error["fields"] == {"applicant.name": "required", "applicant.id_number": "required",
                               "materials.0.material_id": "int_parsing", "decision.kind": "choice"}
    assert error["message"] == ("请求参数有误：缺少 applicant.name；缺少 applicant.id_number；"
                                "materials.0.material_id 格式不正确；decision.kind 不是可选的值")


# -- every error of the edge: a code of the enumeration and a Chinese message -------------------------------------
def test_every_error_the_api_edge_answers_has_an_enumerated_code_and_a_chinese_message():
    user = clerk()
    answers = {
        "no credentials": plain_client().post(INTAKE),
        "no csrf token": session_client(user).post(INTAKE),
        "not json": token_client(user).post(APPROVE, data="{", content_type="application/json"),
        "missing part": token_client(user).post(INTAKE, data={}),
        "bad query": plain_client().get("/api/v1/calendar/due?start=soon&days=1"),
        "unknown case": token_client(user).post(APPROVE, data="{}", content_type="application/json"),
        "unknown address": plain_client().get("/api/v1/no-such-endpoint"),
        "unknown method": plain_client().delete("/api/v1/items"),
    }
    codes = {member.value for member in ErrorCode}
    for what, response in answers.items():
        error = error_of(response)
        assert response.status_code >= 400, what
        assert error["code"] in codes and error["code"] != "http_error", (what, error)
        assert HAN.search(error["message"]), (what, error)
    assert "DELETE" in error_of(answers["unknown method"])["message"], "the refused method is named"
