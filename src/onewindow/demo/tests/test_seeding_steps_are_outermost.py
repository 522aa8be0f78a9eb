"""Each seeding step of the demo is one public service, the outermost transaction: inside another transaction it
refuses and writes nothing; what it records cannot be deleted in the admin (a second run would seed twice)."""

import sys
import types

import pytest
from django.db import transaction

from onewindow.core.models import AuditEvent, User
from onewindow.demo import services
from onewindow.demo.models import DemoSeed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_var(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def fake_seeder(monkeypatch):
    module = types.ModuleType("onewindow_fake_demo")
    module.seed_fake_demo = lambda *, seed: {"made": User.objects.create(username=f"fake-{seed}").pk}
    monkeypatch.setitem(sys.modules, "onewindow_fake_demo", module)


STEPS = {
    "seed_catalog": lambda: services.seed_catalog(seed=1),
    "seed_optional": lambda: services.seed_optional("fake", "onewindow_fake_demo", "seed_fake_demo", seed=1),
    "ensure_admin": lambda: services.ensure_admin(),
    "ensure_staff_accounts": lambda: services.ensure_staff_accounts(),
}


@pytest.mark.parametrize("step", sorted(STEPS))
def test_a_seeding_step_inside_another_transaction_refuses_and_writes_nothing(step, fake_seeder):
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        STEPS[step]()

    assert not User.objects.exists() and not DemoSeed.objects.exists() and not AuditEvent.objects.exists()
    assert not services.passwords_path().exists(), "no password written for an account that was never made"


def test_a_seeder_that_fails_leaves_nothing_of_its_step(monkeypatch):
    module = types.ModuleType("onewindow_broken_seeder")

    def seed_broken_demo(*, seed):
        User.objects.create(username="half-made")
        raise ValueError("演示数据生成失败")

    module.seed_broken_demo = seed_broken_demo
    monkeypatch.setitem(sys.modules, "onewindow_broken_seeder", module)

    with pytest.raises(ValueError):
        services.seed_optional("broken", "onewindow_broken_seeder", "seed_broken_demo", seed=1)

    assert not User.objects.filter(username="half-made").exists() and not DemoSeed.objects.exists()


def test_the_record_of_a_seeded_part_is_read_only_in_the_admin(admin_client, fake_seeder):
    services.seed_optional("fake", "onewindow_fake_demo", "seed_fake_demo", seed=1)
    record = DemoSeed.objects.get(part="fake")

    assert admin_client.get(f"/admin/demo/demoseed/{record.pk}/change/").status_code == 200
    assert admin_client.post(f"/admin/demo/demoseed/{record.pk}/delete/", {"post": "yes"}).status_code == 403
    assert DemoSeed.objects.filter(pk=record.pk).exists()
