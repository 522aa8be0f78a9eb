"""How the forms follow the catalog: a new draft of an item gets a copy of its published version's form."""

from __future__ import annotations

from onewindow.catalog import events
from onewindow.forms import acts


def _copy_into_draft(payload: events.VersionDrafted) -> None:
    acts.copy_form(payload.source, payload.draft, by=payload.by)


def connect() -> None:
    events.version_drafted.connect(_copy_into_draft, uid="forms.copy_into_draft")
