"""API tokens: printed once, stored hashed, revocable."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from onewindow.core.auth import digest_token, user_for_token
from onewindow.core.models import ApiToken, User

pytestmark = pytest.mark.django_db


def test_token_create_prints_a_token_that_authenticates_and_is_stored_hashed(capsys):
    user = User.objects.create(username="reviewer1", role="reviewer")
    call_command("token", "create", "reviewer1")
    value = capsys.readouterr().out.strip()
    assert value.startswith("ow_")
    row = ApiToken.objects.get(user=user)
    assert row.digest == digest_token(value) and value not in (row.digest, row.prefix * 2)
    assert user_for_token(value) == user


def test_a_revoked_token_no_longer_authenticates(capsys):
    User.objects.create(username="reviewer1", role="reviewer")
    call_command("token", "create", "reviewer1")
    value = capsys.readouterr().out.strip()
    call_command("token", "revoke", value[:8])
    assert user_for_token(value) is None
    with pytest.raises(CommandError, match="没有找到"):
        call_command("token", "revoke", value[:8])


def test_token_for_an_unknown_user_is_refused():
    with pytest.raises(CommandError, match="用户不存在"):
        call_command("token", "create", "nobody")
    assert not ApiToken.objects.exists()
