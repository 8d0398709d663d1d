"""CSV of payouts, written line by line for a streaming response."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from tradepost.dashboard.exports import _decimal, _Line, _text

HEADER = [
    "id",
    "created_at",
    "seller",
    "status",
    "currency",
    "amount",
    "reference",
    "paid_at",
    "failed_at",
    "failure_reason",
]


def payout_csv_lines(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """Amounts as decimals in the payout's currency (``27.00``), never floats."""
    writer = csv.writer(_Line())
    yield writer.writerow(HEADER)
    for row in rows:
        yield writer.writerow(
            [
                row["id"],
                row["created_at"],
                _text(row["seller"]["slug"]),
                row["status"],
                row["currency"],
                _decimal(row["amount"], row["currency"]),
                _text(row["reference"]),
                row["paid_at"] or "",
                row["failed_at"] or "",
                _text(row["failure_reason"]),
            ]
        )
