"""Erlang C against published figures; no database."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onewindow.hall import erlang

# Call Centre Helper, "Erlang C Formula – Made Simple": 100 calls per 30 minutes (200 an hour), handling time
# 180 s, answer target 20 s → 10 erlangs. Columns: agents, probability of waiting, service level, ASA (s).
PUBLISHED = [
    (11, 0.6821, 0.3896, 122.8),
    (12, 0.4494, 0.6402, 40.4),
    (13, 0.2853, 0.7956, 17.1),
    (14, 0.1741, 0.8884, 7.8),
    (15, 0.1020, 0.9415, 3.7),
]


@pytest.mark.parametrize(("agents", "p_wait", "service_level", "asa_seconds"), PUBLISHED)
def test_erlang_c_matches_the_published_call_centre_table(agents, p_wait, service_level, asa_seconds):
    assert erlang.erlang_c(agents, 10.0) == pytest.approx(p_wait, abs=5e-5)
    within = 1 - erlang.prob_wait_longer(agents, 200, 3.0, 20 / 60)
    assert within == pytest.approx(service_level, abs=5e-4)
    assert erlang.average_wait_minutes(agents, 200, 3.0) * 60 == pytest.approx(asa_seconds, abs=0.05)


def test_textbook_mmc_values():
    # M/M/1: probability of waiting equals utilisation; M/M/3 with a = 2: P0 = 1/9, P(wait) = 4/9.
    assert erlang.erlang_c(1, 0.5) == pytest.approx(0.5)
    assert erlang.erlang_c(3, 2.0) == pytest.approx(4 / 9)
    assert erlang.erlang_b(2, 1.0) == pytest.approx(0.2)  # a²/2 / (1 + a + a²/2)


def test_windows_needed_for_the_published_eighty_percent_target():
    staffing = erlang.windows_needed(200, 3.0, target_minutes=20 / 60, max_probability=0.2)
    assert staffing.windows == 14, "13 agents answer 79.6 % within 20 s, just short of 80 %"
    assert staffing.prob_wait_longer <= 0.2


def test_no_arrivals_needs_no_window_and_overload_needs_more_than_the_load():
    assert erlang.windows_needed(0, 5).windows == 0
    staffing = erlang.windows_needed(60, 10, target_minutes=20, max_probability=0.1)
    assert staffing.windows > staffing.load == 10


def test_overloaded_windows_always_make_people_wait():
    assert erlang.erlang_c(5, 5.0) == 1.0
    assert erlang.prob_wait_longer(5, 60, 6, 20) == 1.0
    assert math.isinf(erlang.average_wait_minutes(5, 60, 6))


def test_bad_parameters_are_refused():
    with pytest.raises(ValueError):
        erlang.windows_needed(10, 5, max_probability=1.5)
    with pytest.raises(ValueError):
        erlang.offered_load(-1, 5)


@given(servers=st.integers(1, 60), load=st.floats(0.01, 59.0))
def test_probability_of_waiting_is_a_probability_and_falls_with_more_windows(servers, load):
    p = erlang.erlang_c(servers, load)
    assert 0.0 <= p <= 1.0
    assert erlang.erlang_c(servers + 1, load) <= p + 1e-12


@given(arrivals=st.floats(0.5, 400), service=st.floats(0.5, 30), target=st.floats(0, 60),
       level=st.floats(0.01, 0.99))
def test_windows_needed_is_the_smallest_count_meeting_the_level(arrivals, service, target, level):
    staffing = erlang.windows_needed(arrivals, service, target_minutes=target, max_probability=level)
    assert erlang.prob_wait_longer(staffing.windows, arrivals, service, target) <= level
    if staffing.windows - 1 > staffing.load:
        assert erlang.prob_wait_longer(staffing.windows - 1, arrivals, service, target) > level
