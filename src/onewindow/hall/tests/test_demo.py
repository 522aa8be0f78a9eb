import pytest

from onewindow.catalog.models import Level
from onewindow.hall.demo import seed_hall_demo
from onewindow.hall.models import FoundItem, ServiceCategory, Ticket, TicketState, Window
from onewindow.hall.tests.factories import HallFactory, ServicePointFactory


@pytest.mark.django_db
def test_demo_seeds_every_hall_with_tickets_in_every_state_and_is_idempotent():
    district = ServicePointFactory(level=Level.DISTRICT)
    street = ServicePointFactory(level=Level.STREET, parent=district)
    HallFactory(service_point=district)
    HallFactory(service_point=street)
    HallFactory(service_point=district, self_service=True)

    first = seed_hall_demo(seed=7)
    assert first["halls"] == 2, "self-service areas have no queue"
    states = set(Ticket.objects.values_list("state", flat=True))
    assert states == set(TicketState.values), f"missing states: {set(TicketState.values) - states}"
    counts = (ServiceCategory.objects.count(), Window.objects.count(), Ticket.objects.count(),
              FoundItem.objects.count())

    seed_hall_demo(seed=7)
    assert (ServiceCategory.objects.count(), Window.objects.count(), Ticket.objects.count(),
            FoundItem.objects.count()) == counts, "a second run adds nothing"
