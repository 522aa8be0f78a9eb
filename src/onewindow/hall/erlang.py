"""Erlang C (M/M/c) staffing arithmetic for the hall. Pure functions; no framework import.

Notation: arrivals per hour λ, average service time in minutes s, offered load a = λ·s/60 erlangs,
c open windows. Erlang C is the probability an arriving person has to wait at all; the probability of
waiting longer than t is C·exp(−(c − a)·t / s).
"""

from __future__ import annotations

import math
from dataclasses import dataclass


def offered_load(arrivals_per_hour: float, service_minutes: float) -> float:
    """Offered traffic in erlangs."""
    if arrivals_per_hour < 0 or service_minutes < 0:
        raise ValueError("arrival rate and service time must not be negative")
    return arrivals_per_hour * service_minutes / 60.0


def erlang_b(servers: int, load: float) -> float:
    """Blocking probability, by the stable recurrence B(0)=1, B(k)=a·B(k−1)/(k + a·B(k−1))."""
    if servers < 0 or load < 0:
        raise ValueError("servers and load must not be negative")
    b = 1.0
    for k in range(1, servers + 1):
        b = load * b / (k + load * b)
    return b


def erlang_c(servers: int, load: float) -> float:
    """Probability of waiting (Erlang C); 1.0 when the windows cannot keep up (a ≥ c)."""
    if servers <= 0:
        return 1.0
    if load <= 0:
        return 0.0
    if load >= servers:
        return 1.0
    b = erlang_b(servers, load)
    return servers * b / (servers - load * (1 - b))


def prob_wait_longer(servers: int, arrivals_per_hour: float, service_minutes: float, target_minutes: float) -> float:
    """P(wait > target) for c windows."""
    load = offered_load(arrivals_per_hour, service_minutes)
    if load == 0:
        return 0.0
    if load >= servers:
        return 1.0
    c = erlang_c(servers, load)
    return c * math.exp(-(servers - load) * target_minutes / service_minutes)


def average_wait_minutes(servers: int, arrivals_per_hour: float, service_minutes: float) -> float:
    """Average speed of answer (ASA): C·s / (c − a); infinite when overloaded."""
    load = offered_load(arrivals_per_hour, service_minutes)
    if load == 0:
        return 0.0
    if load >= servers:
        return math.inf
    return erlang_c(servers, load) * service_minutes / (servers - load)


@dataclass(frozen=True)
class Staffing:
    windows: int
    load: float
    prob_wait: float
    prob_wait_longer: float
    average_wait_minutes: float


def windows_needed(
    arrivals_per_hour: float,
    service_minutes: float,
    *,
    target_minutes: float = 20.0,
    max_probability: float = 0.2,
    max_windows: int = 1000,
) -> Staffing:
    """Fewest open windows such that P(wait > target) ≤ max_probability (at least one when anyone arrives)."""
    if not 0 < max_probability < 1:
        raise ValueError("max_probability must be between 0 and 1")
    if target_minutes < 0:
        raise ValueError("target_minutes must not be negative")
    load = offered_load(arrivals_per_hour, service_minutes)
    if load == 0:
        return Staffing(0, 0.0, 0.0, 0.0, 0.0)
    servers = max(math.floor(load) + 1, 1)
    while servers <= max_windows:
        longer = prob_wait_longer(servers, arrivals_per_hour, service_minutes, target_minutes)
        if longer <= max_probability:
            return Staffing(
                servers, load, erlang_c(servers, load), longer,
                average_wait_minutes(servers, arrivals_per_hour, service_minutes),
            )
        servers += 1
    raise ValueError(f"more than {max_windows} windows would be needed")
