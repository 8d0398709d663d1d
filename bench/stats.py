"""Latency percentiles, as every phase reports them."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Latency:
    count: int
    p50_ms: float
    p95_ms: float
    max_ms: float

    @classmethod
    def of(cls, seconds: Sequence[float]) -> Latency:
        if not seconds:
            return cls(0, float("nan"), float("nan"), float("nan"))
        if len(seconds) == 1:
            only = seconds[0] * 1000
            return cls(1, only, only, only)
        cuts = statistics.quantiles(seconds, n=100, method="inclusive")
        return cls(len(seconds), cuts[49] * 1000, cuts[94] * 1000, max(seconds) * 1000)
