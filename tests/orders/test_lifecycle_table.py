"""The lifecycle table: the whole from x to matrix, role checks, and the derived order status."""

from __future__ import annotations

import itertools

import pytest

from tests.builders import ApiClient
from tradepost.core.actors import Actor, Role
from tradepost.core.errors import InvalidTransition, PermissionDenied
from tradepost.orders.lifecycle import check_transition
from tradepost.orders.lifecycle_table import lifecycle_markdown
from tradepost.orders.status import (
    FULFILMENT,
    PAYMENT,
    FulfilmentStatus,
    Lifecycle,
    PaymentStatus,
    derive_order_status,
)
from tradepost.payments.status import REFUND_REQUEST, RefundRequestStatus

F, P = FulfilmentStatus, PaymentStatus
# DESIGN.md's tables, written out independently so a change to status.py must be deliberate.
EXPECTED_FULFILMENT = {
    (F.AWAITING_PAYMENT, F.PENDING): {"system"},
    (F.AWAITING_PAYMENT, F.CANCELED): {"buyer", "owner", "system"},
    (F.PENDING, F.PROCESSING): {"seller", "owner"},
    # The system cancels what was never acknowledged, when the auto-cancel setting is on.
    (F.PENDING, F.CANCELED): {"seller", "owner", "buyer", "system"},
    (F.PROCESSING, F.CANCELED): {"seller", "owner"},
    (F.PROCESSING, F.SHIPPED): {"seller", "owner"},
    (F.SHIPPED, F.DELIVERED): {"seller", "owner", "system"},
    (F.SHIPPED, F.COMPLETED): {"buyer", "owner", "system"},
    (F.DELIVERED, F.COMPLETED): {"buyer", "owner", "system"},
    (F.SHIPPED, F.REFUNDED): {"owner", "system"},
    (F.DELIVERED, F.REFUNDED): {"owner", "system"},
    (F.COMPLETED, F.REFUNDED): {"owner", "system"},
}
EXPECTED_PAYMENT = {
    (P.PENDING, P.PAID): {"owner", "system"},
    (P.PENDING, P.FAILED): {"owner", "system"},
    (P.FAILED, P.PENDING): {"buyer", "owner"},
    (P.PAID, P.PARTIALLY_REFUNDED): {"owner", "system"},
    (P.PAID, P.REFUNDED): {"owner", "system"},
    (P.PARTIALLY_REFUNDED, P.PARTIALLY_REFUNDED): {"owner", "system"},
    (P.PARTIALLY_REFUNDED, P.REFUNDED): {"owner", "system"},
}

R = RefundRequestStatus
EXPECTED_REFUND_REQUEST = {
    (R.REQUESTED, R.APPROVED): {"seller", "owner"},
    (R.REQUESTED, R.DECLINED): {"seller", "owner"},
}


def _actor(role: Role) -> Actor:
    return Actor(role=role, label=role.value, user_id=1, seller_id=1, buyer_id=1)


@pytest.mark.parametrize(
    ("lifecycle", "expected"),
    [
        (FULFILMENT, EXPECTED_FULFILMENT),
        (PAYMENT, EXPECTED_PAYMENT),
        (REFUND_REQUEST, EXPECTED_REFUND_REQUEST),
    ],
)
def test_every_source_target_role_combination(lifecycle: Lifecycle, expected: dict) -> None:
    statuses = [value for value, _ in lifecycle.statuses.choices]
    for source, target, role in itertools.product(statuses, statuses, Role):
        allowed_roles = expected.get((source, target), set())
        if role.value in allowed_roles:
            assert check_transition(lifecycle, current=source, target=target, actor=_actor(role))
            continue
        error = InvalidTransition if not allowed_roles else PermissionDenied
        with pytest.raises(error) as raised:
            check_transition(lifecycle, current=source, target=target, actor=_actor(role))
        assert raised.value.extra["current_status"] == source
        assert raised.value.extra["allowed_next_statuses"] == lifecycle.allowed_targets(
            source, role
        )


def test_terminal_statuses_allow_nothing() -> None:
    for terminal in (F.CANCELED, F.REFUNDED):
        assert FULFILMENT.allowed_targets(terminal) == []


@pytest.mark.parametrize(
    ("statuses", "derived"),
    [
        ([F.SHIPPED, F.PENDING], F.PENDING),
        ([F.COMPLETED, F.DELIVERED], F.DELIVERED),
        ([F.CANCELED, F.SHIPPED], F.SHIPPED),
        ([F.CANCELED, F.CANCELED], F.CANCELED),
        ([F.CANCELED, F.REFUNDED], F.REFUNDED),
        ([F.REFUNDED, F.COMPLETED], F.COMPLETED),
        ([F.AWAITING_PAYMENT], F.AWAITING_PAYMENT),
    ],
)
def test_order_status_is_the_least_advanced_live_seller_order(statuses, derived) -> None:
    assert derive_order_status(statuses) == derived


def test_api_serves_the_table(db: None) -> None:
    response = ApiClient().get("/lifecycle", None)
    assert response.status == 200
    body = response.json()
    served = {
        (t["source"], t["target"]): set(t["roles"]) for t in body["fulfilment"]["transitions"]
    }
    assert served == {(str(s), str(t)): roles for (s, t), roles in EXPECTED_FULFILMENT.items()}
    assert {s["value"] for s in body["payment"]["statuses"]} == set(PaymentStatus.values)
    assert all(s["meaning"] for s in body["fulfilment"]["statuses"])


def test_docs_lifecycle_page_is_generated_from_the_table() -> None:
    from pathlib import Path

    page = Path(__file__).resolve().parents[2] / "docs" / "lifecycle.md"
    assert page.read_text() == lifecycle_markdown(), "run `make docs` to regenerate it"
