"""Prerequisites of a 一件事 theme as a directed acyclic graph, pure: cycles, order, serial sum, critical path.

No Django import. A node is any hashable key (an implementation code, a ThemeItem id); an edge
`(prerequisite, dependent)` says the dependent's review starts only once the prerequisite's result exists.
Durations are working days (integers). Orders are deterministic: ties are broken by first appearance.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

Node = TypeVar("Node", bound=Hashable)


class CycleError(ValueError):
    """The prerequisites loop back on themselves (前置事项存在循环); `cycle` lists it, first node repeated last."""

    def __init__(self, cycle: Sequence[Hashable]):
        self.cycle = list(cycle)
        super().__init__("前置事项存在循环：" + " → ".join(str(n) for n in self.cycle))


def _graph(edges: Iterable[tuple[Node, Node]], nodes: Iterable[Node] = ()) -> dict[Node, list[Node]]:
    """Adjacency (prerequisite → dependents) keeping first-appearance order of nodes and edges."""
    graph: dict[Node, list[Node]] = {}
    for node in nodes:
        graph.setdefault(node, [])
    for before, after in edges:
        graph.setdefault(before, [])
        graph.setdefault(after, [])
        if after not in graph[before]:
            graph[before].append(after)
    return graph


def find_cycle(edges: Iterable[tuple[Node, Node]]) -> list[Node] | None:
    """One cycle among `(prerequisite, dependent)` edges as `[a, b, …, a]`, or None when the graph is a DAG.

    A self-loop `(a, a)` is the cycle `[a, a]`. Iterative depth-first search, so deep chains do not recurse.
    """
    graph = _graph(edges)
    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(graph, white)
    for root in graph:
        if colour[root] != white:
            continue
        path: list[Node] = [root]
        stack = [iter(graph[root])]
        colour[root] = grey
        while stack:
            advanced = False
            for child in stack[-1]:
                if colour[child] == grey:
                    return path[path.index(child):] + [child]
                if colour[child] == white:
                    colour[child] = grey
                    path.append(child)
                    stack.append(iter(graph[child]))
                    advanced = True
                    break
            if not advanced:
                colour[path.pop()] = black
                stack.pop()
    return None


def topological_order(nodes: Iterable[Node], edges: Iterable[tuple[Node, Node]]) -> list[Node]:
    """Every node after all its prerequisites (Kahn's algorithm, stable); CycleError if there is a loop."""
    edges = list(edges)
    graph = _graph(edges, nodes)
    indegree = dict.fromkeys(graph, 0)
    for dependents in graph.values():
        for node in dependents:
            indegree[node] += 1
    ready = [n for n in graph if indegree[n] == 0]
    order: list[Node] = []
    while ready:
        node = ready.pop(0)
        order.append(node)
        for child in graph[node]:
            indegree[child] -= 1
            if indegree[child] == 0:
                ready.append(child)
    if len(order) != len(graph):
        raise CycleError(find_cycle(edges) or [])
    return order


def serial_sum(durations: Mapping[Node, int]) -> int:
    """The working days if every item ran one after another (串联办理): the plain sum of the limits."""
    return sum(_days(node, days) for node, days in durations.items())


def critical_path(durations: Mapping[Node, int], edges: Iterable[tuple[Node, Node]]) -> tuple[int, list[Node]]:
    """The longest chain of working days through the prerequisites, and that chain (关键路径).

    Items without a path between them run in parallel, so the theme takes as long as its longest chain.
    Every node of `edges` must have a duration. Empty input gives `(0, [])`.
    """
    edges = list(edges)
    unknown = {n for edge in edges for n in edge if n not in durations}
    if unknown:
        raise KeyError(f"前置关系中的事项没有时限：{', '.join(sorted(map(str, unknown)))}")
    order = topological_order(durations, edges)
    prerequisites: dict[Node, list[Node]] = {n: [] for n in order}
    for before, after in edges:
        if before not in prerequisites[after]:
            prerequisites[after].append(before)
    finish: dict[Node, int] = {}
    previous: dict[Node, Node | None] = {}
    for node in order:
        best: Node | None = None
        for before in prerequisites[node]:
            if best is None or finish[before] > finish[best]:
                best = before
        finish[node] = _days(node, durations[node]) + (finish[best] if best is not None else 0)
        previous[node] = best
    if not finish:
        return 0, []
    end = max(order, key=lambda n: finish[n])  # max() keeps the first of equals: deterministic
    chain: list[Node] = []
    node: Node | None = end
    while node is not None:
        chain.append(node)
        node = previous[node]
    return finish[end], chain[::-1]


def earliest_starts(durations: Mapping[Node, int], edges: Iterable[tuple[Node, Node]]) -> dict[Node, int]:
    """Working day offset at which each item can start when every prerequisite takes its full limit."""
    edges = list(edges)
    order = topological_order(durations, edges)
    start: dict[Node, int] = dict.fromkeys(order, 0)
    for node in order:
        for before, after in edges:
            if after == node:
                start[node] = max(start[node], start[before] + _days(before, durations[before]))
    return start


def _days(node: Hashable, days: int) -> int:
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise ValueError(f"事项 {node} 的时限应为非负整数个工作日：{days!r}")
    return days
