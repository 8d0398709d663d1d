"""Money splits always add up, commission never takes more than its share."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradepost.core.money import BASIS_POINTS, Money, allocate, commission_for, format_money

amounts = st.integers(min_value=0, max_value=10**12)


@given(total=amounts, weights=st.lists(st.integers(0, 10**9), min_size=1, max_size=12))
def test_allocate_sums_to_the_total_and_follows_the_weights(total: int, weights: list[int]):
    shares = allocate(total, weights)
    assert sum(shares) == total
    assert all(share >= 0 for share in shares)
    base = sum(weights) or len(weights)
    for share, weight in zip(shares, weights or [1], strict=False):
        exact = total * (weight if sum(weights) else 1) / base
        assert abs(share - exact) < 1 + 1e-9


@given(amount=amounts, rate=st.integers(0, BASIS_POINTS))
def test_commission_rounds_down_and_the_net_keeps_the_rest(amount: int, rate: int):
    commission = commission_for(amount, rate)
    assert 0 <= commission <= amount
    assert commission <= amount * rate / BASIS_POINTS < commission + 1
    assert commission + (amount - commission) == amount


def test_money_refuses_mixed_currencies_and_floats():
    with pytest.raises(ValueError, match="cannot mix"):
        Money(100, "USD") + Money(100, "EUR")
    with pytest.raises(TypeError):
        Money(1.5, "USD")  # type: ignore[arg-type]
    assert Money(100, "USD") + Money(250, "USD") == Money(350, "USD")


def test_format_money_uses_the_currency_precision():
    assert format_money(8500, "USD") == "$85.00"
    assert format_money(8500, "JPY") == "¥8,500"
