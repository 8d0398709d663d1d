"""Durations (paid to acknowledged, paid to first parcel) kept as counts per bucket.

A median cannot be added up from per-day medians, and keeping every duration would make the day
rows as big as the orders they summarise. Counts per bucket add up across days and sellers, and a
median read from them is exact to within its bucket. The edges grow by about half each step, so
the error bound stays proportionate: within 5 minutes under an hour, within 2 hours around a day,
within 12 hours around three days (docs/performance.md). Changing the edges changes what a bucket
number means: rebuild the figures (``tradepost stats_rebuild``) in the same release.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping

MINUTE, HOUR, DAY = 60, 3600, 86400

# Lower edges in seconds; bucket i holds durations in [EDGES[i], EDGES[i + 1]), the last is open.
EDGES: tuple[int, ...] = (
    0,
    5 * MINUTE,
    10 * MINUTE,
    15 * MINUTE,
    30 * MINUTE,
    45 * MINUTE,
    1 * HOUR,
    90 * MINUTE,
    2 * HOUR,
    3 * HOUR,
    4 * HOUR,
    6 * HOUR,
    8 * HOUR,
    12 * HOUR,
    16 * HOUR,
    20 * HOUR,
    24 * HOUR,
    30 * HOUR,
    36 * HOUR,
    42 * HOUR,
    48 * HOUR,
    60 * HOUR,
    72 * HOUR,
    84 * HOUR,
    4 * DAY,
    5 * DAY,
    6 * DAY,
    7 * DAY,
    10 * DAY,
    14 * DAY,
    21 * DAY,
    30 * DAY,
)


def bucket_of(seconds: int) -> int:
    """The bucket a duration falls in; a negative duration (clock skew) counts as zero."""
    return bisect_right(EDGES, max(seconds, 0)) - 1


def bucket_bounds(bucket: int) -> tuple[int, int | None]:
    """``[low, high)`` in seconds; ``high`` is None for the last, open bucket."""
    high = EDGES[bucket + 1] if bucket + 1 < len(EDGES) else None
    return EDGES[bucket], high


def median_seconds(counts: Mapping[int, int]) -> int | None:
    """The median of the durations counted per bucket, interpolated inside its bucket.

    The durations of a bucket are taken as spread evenly over it, so the result lies in the
    bucket that holds the true median (the lower middle one for an even count). In the open last
    bucket it is that bucket's lower edge. None when nothing was counted.
    """
    total = sum(counts.values())
    if not total:
        return None
    rank = (total + 1) // 2  # the lower middle for an even count: a duration that happened
    seen = 0
    for bucket in sorted(counts):
        count = counts[bucket]
        if not count:
            continue
        if seen + count >= rank:
            low, high = bucket_bounds(bucket)
            if high is None:
                return low
            # The rank-th of `count` evenly spread durations, at the middle of its share.
            return low + (high - low) * (2 * (rank - seen) - 1) // (2 * count)
        seen += count
    raise AssertionError("unreachable: the ranks add up to the total")
