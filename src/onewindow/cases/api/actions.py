"""The actions on a case through the API: one POST per entry of the action registry (`cases.actions`), with the
entry's input schema, calling its service — `/api/v1/cases/{number}/<action>` (`request-correction`,
`issue-result`…). Send `expected_version` or `If-Match: <version>` to refuse acting on a stale view (409).

(No `from __future__ import annotations` here: each endpoint's annotations name its schema at definition time.)
"""

from django.http import HttpRequest
from ninja import Body, Router

from onewindow.cases import selectors
from onewindow.cases.actions import ACTIONS, Action, ActionIn
from onewindow.cases.acts.acceptance import known_after_acceptance
from onewindow.cases.acts.base import fields_renamed
from onewindow.cases.api.base import VERSION_FIELDS, detail, expected_version, user_of
from onewindow.cases.api.schemas import CaseOut
from onewindow.cases.lifecycle import State

router = Router()


def _perform(request: HttpRequest, number: str, action: Action, payload: ActionIn) -> dict:
    user = user_of(request)
    case = selectors.get_case_for(user, number)
    state, version = case.state, case.version
    with fields_renamed(VERSION_FIELDS):
        action.perform(case, by=user, arguments=payload.arguments(),
                       expected_version=expected_version(request, payload.expected_version))
    if action.name == "accept" and state == State.SUBMITTED:
        known_after_acceptance(case, version)
    # The case as the act left it (every act sets what it writes on the instance); related rows the act did not
    # read are read by `detail`.
    return detail(case, user)


def _publish(action: Action) -> None:
    """POST /{number}/<path> for `action`; its body may be left out when every field of its schema has a default."""
    schema = action.schema
    if all(not field.is_required() for field in schema.model_fields.values()):
        def endpoint(request: HttpRequest, number: str, payload: schema | None = Body(None)):  # noqa: B008
            return _perform(request, number, action, payload or schema())
    else:
        def endpoint(request: HttpRequest, number: str, payload: schema):
            return _perform(request, number, action, payload)
    router.post(
        f"/{{number}}/{action.path}", response=CaseOut, summary=action.summary, operation_id=f"cases_{action.name}",
        description=f"{action.summary}. Allowed when `allowed_actions` of the case lists `{action.name}`; "
                    "otherwise 403 (role or department), 404 (outside the caller's scope) or 409 (state).",
    )(endpoint)


for _action in ACTIONS.values():
    if _action.schema is not None:
        _publish(_action)
