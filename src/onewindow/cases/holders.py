"""Cases held by a larger application (一件事): an app above cases that applies for several cases at once and drives
them (submits, corrects, delivers them together) registers a `Holder` here, as it subscribes to the case events.

The applicant's pages then list that application as one entry instead of its parts, and offer on a part none of the
applicant's acts the application performs for it (`HELD_ACTIONS`): its materials, its (re)submission and its
withdrawal go through the application's own page. A part keeps its true state, its notices and its hearings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Protocol

from django.db.models import QuerySet

from onewindow.cases.models import Case

# The applicant's acts on a case that a holder performs for its parts.
HELD_ACTIONS = frozenset({"submit", "withdraw", "add_material"})


@dataclass(frozen=True)
class HeldEntry:
    """One whole application as the applicant's list shows it: its number and title, the applicant, its state,
    its promised date (a Beijing date, or None before acceptance), and the address of its page."""

    number: str
    title: str
    applicant_name: str
    state_label: str
    due_on: dt.date | None
    url: str


class Holder(Protocol):
    def held(self) -> QuerySet[Any]:
        """The ids of every case it holds, as a query (used as a subquery: no rows are fetched)."""

    def entries_for(self, user: Any) -> list[HeldEntry]:
        """The applications the citizen `user` applied for, newest first, in a constant number of queries."""

    def entry_of(self, case: Case) -> HeldEntry | None:
        """The application holding `case`, or None."""


_holders: list[Holder] = []


def register(holder: Holder) -> None:
    """Add a holder (once: a second ready() registers nothing new)."""
    if not any(type(h) is type(holder) for h in _holders):
        _holders.append(holder)


def without_held(cases: QuerySet[Case]) -> QuerySet[Case]:
    """`cases` without the parts of a larger application."""
    for holder in _holders:
        cases = cases.exclude(pk__in=holder.held())
    return cases


def entries_for(user: Any) -> list[HeldEntry]:
    """Every larger application the citizen `user` applied for."""
    return [entry for holder in _holders for entry in holder.entries_for(user)]


def entry_of(case: Case) -> HeldEntry | None:
    """The larger application holding `case`, or None."""
    return next((entry for holder in _holders if (entry := holder.entry_of(case)) is not None), None)
