"""暂存: an applicant saves what they typed on an item's or a package's form and resumes it later."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from onewindow.catalog.models import ServiceItem, Theme
from onewindow.core import audit, kit
from onewindow.core.errors import InvalidInput
from onewindow.core.kit import composable
from onewindow.forms.models import Draft
from onewindow.forms.spec import too_large

# A draft is what a person typed, not yet checked: it is only kept within a size a form can have.
DRAFT_MAX_CHARS = 200_000


@composable
def save_draft(*, by: Any, answers: Mapping[str, Any], item: ServiceItem | None = None, theme: Theme | None = None,
               at: dt.datetime | None = None, form_version: int = 0) -> Draft:
    """Keep the answers typed so far (暂存) for `item` or `theme`, replacing the previous draft. InvalidInput (422,
    `answers`: invalid) when they are not an object or beyond what any form holds (`spec.too_large`: more values
    or deeper nesting than the check takes, or DRAFT_MAX_CHARS characters in all). `form_version` is the version of the form typed on (`FormSpec.version`),
    so that a draft resumed on a newer form says so."""
    kit.require_signed_in(by)
    if (item is None) == (theme is None):
        raise InvalidInput("草稿须对应一个事项或一个一件事主题", fields={"item": "required"})
    if not isinstance(answers, Mapping) or too_large(answers) or len(repr(answers)) > DRAFT_MAX_CHARS:
        raise InvalidInput("草稿内容应为对象，且不能过大", fields={"answers": "invalid"})
    when, _day = kit.moment(at)
    draft, _created = Draft.objects.update_or_create(user=by, item=item, theme=theme,
                                                     defaults={"answers": dict(answers), "saved_at": when,
                                                               "form_version": form_version})
    audit.record("forms.draft.save", obj=draft, by=by, after={"item": getattr(item, "pk", None),
                                                              "theme": getattr(theme, "pk", None)})
    return draft


@composable
def discard_form_draft(*, by: Any, item: ServiceItem | None = None, theme: Theme | None = None) -> None:
    """Drop the applicant's draft for `item` or `theme` (after submitting, or on request); nothing if none."""
    kit.require_signed_in(by)
    deleted, _ = Draft.objects.filter(user=by, item=item, theme=theme).delete()
    if deleted:
        audit.record("forms.draft.discard", object_type="forms.draft", object_id=f"{by.pk}", by=by,
                     before={"item": getattr(item, "pk", None), "theme": getattr(theme, "pk", None)})
