"""The window's item picker and the citizen's online list search as the catalog does (issue 10 §3): every reading
of a polyphonic name, several words as an AND, the implementation code."""

import pytest
from django.urls import reverse

from onewindow.catalog.tests.factories import ServiceItemFactory

pytestmark = pytest.mark.django_db
LOAN = "商业贷款还款提取住房公积金"
STREET = "朝阳街道社区服务站设立登记"


@pytest.fixture
def items(world):
    return [ServiceItemFactory(name=name, department=world.dept_a, publish__mode_online=True,
                               publish__central_acceptance=False) for name in (LOAN, STREET)]


@pytest.mark.parametrize(("q", "found", "missed"), [("huan kuan", LOAN, STREET), ("chaoyang", STREET, LOAN),
                                                    ("还款 公积金", LOAN, STREET), ("社区 登记", STREET, LOAN)])
def test_the_intake_picker_finds_items_by_how_clerks_type(client, world, items, q, found, missed):
    client.force_login(world.clerk_a)
    body = client.get(reverse("cases:intake_items"), {"q": q}).content.decode()
    assert found in body and missed not in body


def test_the_intake_picker_finds_an_item_by_part_of_its_implementation_code(client, world, items):
    client.force_login(world.clerk_a)
    body = client.get(reverse("cases:intake_items"), {"q": items[1].implementation_code[-6:]}).content.decode()
    assert STREET in body and LOAN not in body


@pytest.mark.parametrize(("q", "found", "missed"), [("huankuan", LOAN, STREET), ("chao yang", STREET, LOAN)])
def test_the_online_list_finds_items_by_how_citizens_type(client, world, items, q, found, missed):
    client.force_login(world.citizen)
    body = client.get(reverse("cases:apply_items"), {"q": q}).content.decode()
    assert found in body and missed not in body
