"""The calendar API: answers, and 422 with the field named for every malformed request."""

import pytest

pytestmark = pytest.mark.django_db


def test_due_returns_start_days_and_due(client):
    response = client.get("/api/v1/calendar/due", {"start": "2025-09-30", "days": 1})
    assert response.status_code == 200
    assert response.json() == {"start": "2025-09-30", "days": 1, "due": "2025-10-09", "due_provisional": False}


def test_between_returns_the_working_days(client):
    response = client.get("/api/v1/calendar/between", {"start": "2026-02-13", "end": "2026-02-24"})
    assert response.json() == {"start": "2026-02-13", "end": "2026-02-24", "working_days": 2}


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/v1/calendar/due", {"start": "2025-02-30", "days": 1}, "start"),
        ("/api/v1/calendar/due", {"start": "tomorrow", "days": 1}, "start"),
        ("/api/v1/calendar/due", {"start": "2025-06-01", "days": -1}, "days"),
        ("/api/v1/calendar/due", {"start": "2025-06-01", "days": "x"}, "days"),
        ("/api/v1/calendar/due", {"days": 3}, "start"),
        ("/api/v1/calendar/between", {"start": "2025-06-01", "end": "2025/06/09"}, "end"),
    ],
)
def test_malformed_requests_get_422_naming_the_field(client, path, params, field):
    response = client.get(path, params)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert field in error["fields"]
    assert field in error["message"]


def test_a_year_not_loaded_gets_422_calendar_not_loaded(client):
    # 2027–2031 are provisional (five years after the last notice, 2026); 2032 is beyond them.
    response = client.get("/api/v1/calendar/due", {"start": "2032-03-02", "days": 5})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "calendar_not_loaded"
    assert "2032" in error["message"]
    assert error["fields"] == {"year": "2032"}


def test_a_date_counted_into_a_provisional_year_is_marked_provisional(client):
    official = client.get("/api/v1/calendar/due", {"start": "2026-12-10", "days": 5}).json()
    assert official == {"start": "2026-12-10", "days": 5, "due": "2026-12-17", "due_provisional": False}
    provisional = client.get("/api/v1/calendar/due", {"start": "2026-12-25", "days": 5}).json()
    assert provisional["due"] == "2027-01-04" and provisional["due_provisional"] is True
    assert client.get("/api/v1/calendar/check", {"day": "2027-01-01"}).json() == {
        "day": "2027-01-01", "working_day": False, "provisional": True}
