"""CSV of an orders list, written line by line for a streaming response."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from babel.numbers import get_currency_precision

HEADER = [
    "number",
    "created_at",
    "buyer_name",
    "status",
    "payment_status",
    "currency",
    "subtotal",
    "shipping",
    "tax",
    "discount",
    "total",
    "sellers",
]


class _Line:
    """A file-like object whose ``write`` hands back the line, so csv.writer feeds a generator."""

    def write(self, value: str) -> str:
        return value


def _decimal(amount: int, currency: str) -> str:
    digits = get_currency_precision(currency)
    if digits == 0:
        return str(amount)
    sign = "-" if amount < 0 else ""
    whole, part = divmod(abs(amount), 10**digits)
    return f"{sign}{whole}.{part:0{digits}d}"


def _text(value: str) -> str:
    # A cell starting with = + - @ is a formula to a spreadsheet: buyer-typed text must stay text.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def csv_lines(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """Amounts as decimals in the order's currency (``85.00``), never floats."""
    writer = csv.writer(_Line())
    yield writer.writerow(HEADER)
    for row in rows:
        currency = row["currency"]
        yield writer.writerow(
            [
                row["number"],
                row["created_at"],
                _text(row["buyer_name"]),
                row["status"],
                row["payment_status"],
                currency,
                _decimal(row["subtotal_amount"], currency),
                _decimal(row["shipping_amount"], currency),
                _decimal(row["tax_amount"], currency),
                _decimal(row["discount_amount"], currency),
                _decimal(row["total_amount"], currency),
                _text("; ".join(part["seller"]["name"] for part in row["seller_orders"])),
            ]
        )
