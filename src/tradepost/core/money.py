"""Money as integer minor units with an ISO 4217 currency; never floats.

Splits round down and hand the remainder out explicitly, so the parts always add up to the whole.
"""

from __future__ import annotations

from dataclasses import dataclass

from babel.numbers import format_currency, get_currency_precision

BASIS_POINTS = 10_000


@dataclass(frozen=True, slots=True)
class Money:
    amount: int
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, int) or isinstance(self.amount, bool):
            raise TypeError("Money.amount must be an int of minor units")
        if len(self.currency) != 3 or not self.currency.isupper():
            raise ValueError(f"not an ISO 4217 currency code: {self.currency!r}")

    def _same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise ValueError(f"cannot mix {self.currency} and {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount - other.amount, self.currency)

    def format(self, locale: str = "en_US") -> str:
        return format_money(self.amount, self.currency, locale)


def format_money(amount: int, currency: str, locale: str = "en_US") -> str:
    """Render minor units for people, e.g. 8500 USD -> "$85.00"; only at the edges."""
    digits = get_currency_precision(currency)
    return format_currency(amount / (10**digits), currency, locale=locale)


def commission_for(amount: int, rate_bps: int) -> int:
    """Commission rounds down, so the seller's net (amount - commission) never loses a cent."""
    if not 0 <= rate_bps <= BASIS_POINTS:
        raise ValueError("commission rate must be between 0 and 10000 basis points")
    return amount * rate_bps // BASIS_POINTS


def allocate(total: int, weights: list[int]) -> list[int]:
    """Split ``total`` in proportion to ``weights``; the largest remainders get the spare units.

    With all weights zero the total is split evenly. The result always sums to ``total``.
    """
    if not weights:
        raise ValueError("allocate needs at least one weight")
    if total < 0 or any(weight < 0 for weight in weights):
        raise ValueError("allocate works on non-negative amounts")
    base = sum(weights)
    if base == 0:
        weights, base = [1] * len(weights), len(weights)
    shares = [total * weight // base for weight in weights]
    remainders = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % base), i))
    for index in remainders[: total - sum(shares)]:
        shares[index] += 1
    return shares
