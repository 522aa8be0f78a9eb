"""The service kit: durable public services, composable acts, the moment of an act, checks, versioned updates."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from onewindow.core import kit
from onewindow.core.errors import (
    Conflict,
    ErrorCode,
    InvalidInput,
    NotAuthenticated,
    PermissionDenied,
    VersionConflict,
)
from onewindow.core.models import Role, User

pytestmark = pytest.mark.django_db


@kit.composable
def _rename(user: User, *, name: str) -> User:
    User.objects.filter(pk=user.pk).update(display_name=name)
    return user


_rename_service = kit.service(_rename)


def test_a_public_service_commits_its_own_transaction():
    user = User.objects.create(username="u1")
    _rename_service(user, name="张三")
    assert User.objects.get(pk=user.pk).display_name == "张三"


def test_a_public_service_called_inside_another_transaction_is_refused():
    user = User.objects.create(username="u1")
    with pytest.raises(RuntimeError), transaction.atomic(durable=True):
        # Inside a durable block (what another public service is), a nested durable block is an error.
        _rename_service(user, name="张三")


def test_a_composable_act_outside_any_transaction_is_refused(django_db_blocker):
    user = User.objects.create(username="u1")
    connection = transaction.get_connection()
    # Leave the test's own transaction to see what a caller without one would get.
    atomic_blocks, connection.in_atomic_block = connection.in_atomic_block, False
    try:
        with pytest.raises(RuntimeError, match="public service"):
            _rename(user, name="张三")
    finally:
        connection.in_atomic_block = atomic_blocks


@kit.composable
def _rename_unless_taken(user: User, *, name: str) -> User:
    if User.objects.filter(display_name=name).exists():
        raise Conflict(f"{name} 已被使用")
    User.objects.filter(pk=user.pk).update(display_name=name)
    return user


def test_an_act_done_to_several_rows_goes_all_or_none():
    rename_all = kit.service(kit.each(_rename_unless_taken))
    first, second = User.objects.create(username="u1"), User.objects.create(username="u2")

    with pytest.raises(Conflict):
        rename_all([first, second], name="张三")  # the second finds the name the first just took
    assert not User.objects.filter(display_name="张三").exists(), "the first rename was undone with the second"

    assert rename_all([first], name="张三") == 1
    assert rename_all.__name__ == "each(_rename_unless_taken)"
    connection = transaction.get_connection()
    atomic_blocks, connection.in_atomic_block = connection.in_atomic_block, False
    try:
        with pytest.raises(RuntimeError, match=r"each\(_rename_unless_taken\) runs inside"):
            kit.each(_rename_unless_taken)([second], name="李四")
    finally:
        connection.in_atomic_block = atomic_blocks


def test_the_moment_of_an_act_is_aware_and_dated_in_beijing():
    late_utc = dt.datetime(2025, 3, 3, 17, 30, tzinfo=dt.UTC)  # 01:30 on 4 March in Beijing
    when, day = kit.moment(late_utc)
    assert when == late_utc and day == dt.date(2025, 3, 4)
    naive, naive_day = kit.moment(dt.datetime(2025, 3, 3, 23, 0))
    assert naive.tzinfo is not None and naive_day == dt.date(2025, 3, 3)


def test_required_text_is_stripped_and_refused_when_empty_or_too_long():
    assert kit.require_text("  理由  ", "reason", "理由") == "理由"
    with pytest.raises(InvalidInput) as empty:
        kit.require_text("   ", "reason", "理由")
    assert empty.value.fields == {"reason": "required"} and "理由" in empty.value.message
    with pytest.raises(InvalidInput) as long:
        kit.require_text("长" * 11, "reason", "理由", max_length=10)
    assert long.value.fields == {"reason": "too_long"}


def test_signed_in_and_role_checks():
    clerk = User.objects.create(username="clerk", role=Role.CLERK)
    gone = User.objects.create(username="gone", role=Role.CLERK, is_active=False)
    for nobody in (None, AnonymousUser(), gone):
        with pytest.raises(NotAuthenticated):
            kit.require_signed_in(nobody)
    kit.require_role(clerk, {Role.CLERK}, "只有窗口人员")
    with pytest.raises(PermissionDenied, match="只有督查人员"):
        kit.require_role(clerk, {Role.SUPERVISOR}, "只有督查人员")


def test_error_codes_are_an_enumeration_and_a_free_string_is_refused():
    assert Conflict("x", code=ErrorCode.WINDOW_BUSY).code == "window_busy"
    assert VersionConflict("x").code == ErrorCode.VERSION_CONFLICT and VersionConflict("x").status == 409
    with pytest.raises(ValueError):
        Conflict("x", code="too_early")
    assert len({c.value for c in ErrorCode}) == len(ErrorCode), "one code, one meaning"


@pytest.mark.parametrize("invisible", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", " \u200b\u3000\ufeff "])
def test_a_text_of_only_invisible_characters_is_not_filled_in(invisible):
    with pytest.raises(InvalidInput) as refused:
        kit.require_text(invisible, "applicant.name", "申请人名称")
    assert refused.value.fields == {"applicant.name": "required"}
    assert kit.require_text(f"{invisible}张三{invisible}", "applicant.name", "申请人名称") == "张三"
