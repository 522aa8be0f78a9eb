"""The prerequisite graph of a theme: cycles refused, order, the serial sum and the critical path (pure, no DB)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onewindow.catalog.dag import CycleError, critical_path, earliest_starts, find_cycle, serial_sum, topological_order

# 开饭店 as a hand-worked example: licence 3 days; environmental filing 1; food permit 10 after the licence;
# fire check 7 after the licence; drainage permit 5 after the licence and the filing.
RESTAURANT = {"licence": 3, "env": 1, "food": 10, "fire": 7, "drain": 5}
RESTAURANT_EDGES = [("licence", "food"), ("licence", "fire"), ("licence", "drain"), ("env", "drain")]


def test_a_graph_without_loops_has_no_cycle():
    assert find_cycle(RESTAURANT_EDGES) is None


def test_a_loop_of_three_items_is_reported_as_that_loop():
    cycle = find_cycle([("a", "b"), ("b", "c"), ("c", "a"), ("x", "a")])
    assert cycle is not None
    assert cycle[0] == cycle[-1]
    assert set(cycle) == {"a", "b", "c"}


def test_an_item_that_requires_itself_is_a_cycle():
    assert find_cycle([("a", "a")]) == ["a", "a"]


def test_a_long_chain_does_not_exhaust_the_stack():
    edges = [(i, i + 1) for i in range(20_000)]
    assert find_cycle(edges) is None
    assert find_cycle(edges + [(20_000, 0)]) is not None


def test_topological_order_puts_every_item_after_its_prerequisites():
    order = topological_order(RESTAURANT, RESTAURANT_EDGES)
    for before, after in RESTAURANT_EDGES:
        assert order.index(before) < order.index(after), f"{before} must come before {after}: {order}"


def test_topological_order_refuses_a_cycle_and_names_it():
    with pytest.raises(CycleError) as caught:
        topological_order(["a", "b"], [("a", "b"), ("b", "a")])
    assert "a" in str(caught.value) and "→" in str(caught.value)


def test_serial_sum_adds_every_limit():
    assert serial_sum(RESTAURANT) == 26


def test_critical_path_of_the_restaurant_is_licence_then_food_permit():
    # Hand-computed: licence→food 3+10=13; licence→fire 10; licence→drain 8; env→drain 6.
    assert critical_path(RESTAURANT, RESTAURANT_EDGES) == (13, ["licence", "food"])


def test_critical_path_of_the_construction_chain():
    # 备案 2 → 用地规划 10 → 工程规划 10 → 人防 5 → 施工许可 7; 环评 15 after 备案 also feeds 施工许可.
    durations = {"filing": 2, "land": 10, "plan": 10, "env": 15, "civil": 5, "permit": 7}
    edges = [
        ("filing", "land"),
        ("filing", "env"),
        ("land", "plan"),
        ("plan", "civil"),
        ("plan", "permit"),
        ("civil", "permit"),
        ("env", "permit"),
    ]
    # Chains: filing-land-plan-civil-permit = 2+10+10+5+7 = 34; filing-env-permit = 2+15+7 = 24.
    assert critical_path(durations, edges) == (34, ["filing", "land", "plan", "civil", "permit"])
    assert serial_sum(durations) == 49


def test_items_without_prerequisites_run_in_parallel_so_the_longest_one_counts():
    assert critical_path({"a": 4, "b": 9, "c": 2}, []) == (9, ["b"])


def test_an_empty_theme_takes_no_time():
    assert critical_path({}, []) == (0, [])


def test_critical_path_refuses_an_edge_to_an_item_without_a_limit():
    with pytest.raises(KeyError):
        critical_path({"a": 1}, [("a", "b")])


def test_a_negative_limit_is_refused():
    with pytest.raises(ValueError):
        critical_path({"a": -1}, [])


def test_earliest_start_of_a_dependent_is_when_its_slowest_prerequisite_ends():
    starts = earliest_starts(RESTAURANT, RESTAURANT_EDGES)
    assert starts == {"licence": 0, "env": 0, "food": 3, "fire": 3, "drain": 3}


@st.composite
def dags(draw):
    size = draw(st.integers(min_value=1, max_value=12))
    limits = draw(st.lists(st.integers(min_value=0, max_value=30), min_size=size, max_size=size))
    pairs = [(a, b) for a in range(size) for b in range(a + 1, size)]  # lower to higher: always acyclic
    flags = draw(st.lists(st.booleans(), min_size=len(pairs), max_size=len(pairs)))
    return dict(enumerate(limits)), [pair for pair, keep in zip(pairs, flags, strict=True) if keep]


# A shared CI box can be slow; the property, not the speed of drawing examples, is under test.
relaxed = settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)


@relaxed
@given(dags())
def test_critical_path_lies_between_the_longest_item_and_the_serial_sum(graph):
    durations, edges = graph
    days, chain = critical_path(durations, edges)
    assert max(durations.values()) <= days <= serial_sum(durations)
    assert sum(durations[n] for n in chain) == days
    for before, after in zip(chain, chain[1:], strict=False):
        assert (before, after) in edges, "the chain follows prerequisite edges"
    assert find_cycle(edges) is None


@relaxed
@given(dags())
def test_adding_a_back_edge_to_a_chain_makes_a_cycle(graph):
    durations, edges = graph
    if not edges:
        return
    first, last = edges[0]
    assert find_cycle(edges + [(last, first)]) is not None
