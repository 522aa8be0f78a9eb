"""No online application dead-ends in the demo: for every item of the demo catalog that accepts online
applications, a demo citizen applies, some demo account may accept it and does, and some demo account may decide
it and does — each step through the case services, with the accounts `onewindow demo` prints."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate

from onewindow.cases import services as case_services
from onewindow.cases.actions import ACTIONS
from onewindow.cases.lifecycle import State
from onewindow.cases.models import DeliveryMethod
from onewindow.catalog.importexport import import_catalog
from onewindow.catalog.models import ServiceItem
from onewindow.core.models import User
from onewindow.demo import services
from onewindow.demo.district import build_district

PDF = b"%PDF-1.4\n% onewindow test material\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def demo_staff(calendar_loaded, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    import_catalog(build_district(2018), by=None)
    services.ensure_admin()
    services.ensure_staff_accounts()
    accounts = services.listed_accounts()
    users = {u.username: u for u in User.objects.filter(username__in=[a.username for a in accounts])
             .select_related("assignment__department")}
    for account in accounts:
        assert authenticate(username=account.username, password=account.password) is not None, account.username
    return [users[a.username] for a in accounts]


def _apply(item: ServiceItem, citizen: User):
    version = item.published_version
    materials = [case_services.SuppliedMaterial(m.pk, case_services.Scan(PDF, f"{m.pk}.pdf"))
                 for m in version.materials.all() if not m.fetchable]
    method = (DeliveryMethod.PICKUP if version.delivery_pickup else
              DeliveryMethod.POST if version.delivery_post else DeliveryMethod.ELECTRONIC)
    delivery = case_services.Delivery(method, "重庆市渝中区民族路188号" if method == DeliveryMethod.POST else "")
    applicant = case_services.Applicant(kind="person", name=citizen.display_name, id_number=citizen.identity_number,
                                        mobile="13800000000")
    case, _ = case_services.apply_online(by=citizen, item=item, applicant=applicant, materials=materials,
                                         delivery=delivery)
    return case


def _first_who_may(action: str, case, staff: list[User]) -> User | None:
    return next((user for user in staff if ACTIONS[action].allows(case, user)), None)


def test_every_online_item_is_accepted_and_decided_by_some_demo_account(demo_staff):
    citizen = next(u for u in demo_staff if u.username == "citizen")
    staff = [u for u in demo_staff if u.role != "citizen"]
    items = list(ServiceItem.objects.filter(published_version__mode_online=True)
                 .select_related("published_version", "department").order_by("implementation_code"))
    assert len({i.department_id for i in items}) > 20, "the demo catalog should have online items in most departments"
    stuck = []
    for item in items:
        case = _apply(item, citizen)
        assert case.state == State.SUBMITTED
        acceptor = _first_who_may("accept", case, staff)
        if acceptor is None:
            stuck.append(f"{item.department.short_name} {item.name}: nobody may accept it")
            continue
        case = case_services.accept_case(case, by=acceptor)
        decider = _first_who_may("approve", case, staff)
        if decider is None:
            stuck.append(f"{item.department.short_name} {item.name}: accepted by {acceptor}, nobody may decide it")
            continue
        case = case_services.approve_case(case, by=decider)
        assert case.state == State.APPROVED
    assert stuck == [], "online applications no demo account can handle:\n" + "\n".join(stuck)
