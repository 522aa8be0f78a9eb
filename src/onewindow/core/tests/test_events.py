"""Declared events: in-transaction receivers share the act's fate; after-commit receivers never undo it."""

from dataclasses import dataclass

import pytest
from django.db import transaction

from onewindow.core.events import Event, after_commit
from onewindow.core.models import User

pytestmark = pytest.mark.django_db(transaction=True)


@dataclass(frozen=True)
class Renamed:
    user_id: int
    name: str


def _renamed_event() -> Event[Renamed]:
    return Event("test.renamed", Renamed, "A user was renamed (test).")


def _rename(event: Event[Renamed], user: User, name: str) -> None:
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(display_name=name)
        event.send(Renamed(user.pk, name))


def test_an_in_transaction_receiver_runs_before_commit_and_its_failure_rolls_the_act_back():
    event = _renamed_event()
    user = User.objects.create(username="u1", display_name="旧名")
    seen = []

    def keep_consistent(payload: Renamed) -> None:
        seen.append(transaction.get_connection().in_atomic_block)
        if payload.name == "坏名":
            raise ValueError("the dependent state cannot follow")

    event.connect(keep_consistent, uid="test.keep")
    _rename(event, user, "新名")
    assert seen == [True] and User.objects.get(pk=user.pk).display_name == "新名"
    with pytest.raises(ValueError):
        _rename(event, user, "坏名")
    assert User.objects.get(pk=user.pk).display_name == "新名", "the act rolled back with its receiver"


def test_an_after_commit_receiver_runs_only_after_commit_and_its_failure_undoes_nothing(caplog):
    event = _renamed_event()
    user = User.objects.create(username="u1", display_name="旧名")
    delivered = []

    def broken_board(payload: Renamed) -> None:
        raise ConnectionError("the board is offline")

    def inbox(payload: Renamed) -> None:
        delivered.append((payload.name, transaction.get_connection().in_atomic_block))

    event.connect(broken_board, uid="test.board", after_commit=True)
    event.connect(inbox, uid="test.inbox", after_commit=True)
    _rename(event, user, "新名")
    assert User.objects.get(pk=user.pk).display_name == "新名"
    assert delivered == [("新名", False)], "the second receiver ran although the first failed"
    assert "broken_board" in caplog.text and "test.renamed" in caplog.text


def test_nothing_is_sent_after_a_rollback():
    event = _renamed_event()
    user = User.objects.create(username="u1", display_name="旧名")
    delivered = []
    event.connect(lambda payload: delivered.append(payload), uid="test.inbox", after_commit=True)
    with pytest.raises(RuntimeError), transaction.atomic():
        User.objects.filter(pk=user.pk).update(display_name="新名")
        event.send(Renamed(user.pk, "新名"))
        raise RuntimeError("the act fails after sending")
    assert delivered == [] and User.objects.get(pk=user.pk).display_name == "旧名"


def test_a_receiver_connected_twice_under_one_uid_runs_once_and_can_be_disconnected():
    event = _renamed_event()
    user = User.objects.create(username="u1")
    calls = []

    def receiver(payload: Renamed) -> None:
        calls.append(payload.name)

    event.connect(receiver, uid="test.once")
    event.connect(receiver, uid="test.once")
    _rename(event, user, "一")
    event.disconnect(uid="test.once")
    _rename(event, user, "二")
    assert calls == ["一"]


def test_an_event_refuses_a_payload_of_another_type():
    with pytest.raises(TypeError, match="Renamed"):
        _renamed_event().send({"user_id": 1})


def test_after_commit_work_that_fails_is_logged_with_its_name(caplog):
    with transaction.atomic():
        after_commit(lambda: 1 / 0, what="cases notice 2025")
    assert "cases notice 2025" in caplog.text
