"""A transaction that dies of a deadlock or a serialization failure: an API write is run again
whole and answers as if nothing happened; one that keeps failing answers 503 problem+json with
Retry-After, at COMMIT too; a dashboard page answers a plain "try again" page. Never a 500."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import psycopg.errors
import pytest
from django.db import OperationalError

from tests.builders import ApiClient, World, pay, place_order
from tests.dashboard.pages import signed_in
from tradepost.core import idempotency, transactions
from tradepost.dashboard.views import orders as order_pages
from tradepost.orders import services
from tradepost.orders.models import OrderEvent, SellerOrder

pytestmark = pytest.mark.django_db


def deadlock() -> OperationalError:
    """What Django raises when PostgreSQL picks the transaction as a deadlock's victim."""
    error = OperationalError("deadlock detected")
    error.__cause__ = psycopg.errors.DeadlockDetected("deadlock detected")
    return error


def failing(times: int, real: Callable[..., Any]) -> Callable[..., Any]:
    """``real``, which does its work and then dies of a deadlock the first ``times`` calls."""
    calls = {"n": 0}

    def call(**kwargs: Any) -> Any:
        calls["n"] += 1
        result = real(**kwargs)
        if calls["n"] <= times:
            raise deadlock()
        return result

    return call


def _paid_reference(world: World) -> str:
    return pay(world, place_order(world, {"MUG": 1})).seller_orders[0].seller_order.reference


class TestApiWrites:
    def test_a_deadlock_victim_is_run_again_and_answers_once(
        self, api: ApiClient, world: World, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # given: the acknowledgement dies of a deadlock after writing, twice
        reference = _paid_reference(world)
        real = services.seller_order_acknowledge
        monkeypatch.setattr(services, "seller_order_acknowledge", failing(2, real))
        # when
        response = api.post(f"/seller-orders/{reference}/acknowledge", world.members["acme"].key)
        # then: the third run answered; the two dead ones left nothing behind
        assert response.status == 200, response
        assert SellerOrder.objects.get(reference=reference).status == "processing"
        assert OrderEvent.objects.filter(to_status="processing").count() == 1

    def test_one_that_keeps_failing_answers_503_with_retry_after_and_changes_nothing(
        self, api: ApiClient, world: World, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        reference = _paid_reference(world)
        real = services.seller_order_acknowledge
        monkeypatch.setattr(services, "seller_order_acknowledge", failing(99, real))
        response = api.post(
            f"/seller-orders/{reference}/acknowledge",
            world.members["acme"].key,
            idempotency_key="ack-1",
        )
        assert response.status == 503, response
        assert response.headers["Content-Type"] == "application/problem+json"
        assert response.headers["Retry-After"] == "1"
        assert response.json()["code"] == "busy"
        assert SellerOrder.objects.get(reference=reference).status == "pending"
        # and the key is free: the same request, sent again once the database copes, goes through
        monkeypatch.setattr(services, "seller_order_acknowledge", real)
        again = api.post(
            f"/seller-orders/{reference}/acknowledge",
            world.members["acme"].key,
            idempotency_key="ack-1",
        )
        assert again.status == 200, again

    def test_a_deadlock_at_commit_is_run_again_not_an_html_page(
        self, api: ApiClient, world: World, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # given: the first COMMIT of the request's transaction is refused
        reference = _paid_reference(world)
        commits = {"n": 0}
        real = transactions.request_transaction

        @contextlib.contextmanager
        def refused_once() -> Iterator[None]:
            with real():
                yield
                commits["n"] += 1
                if commits["n"] == 1:
                    raise deadlock()  # leaves the block as the COMMIT's failure would

        monkeypatch.setattr(idempotency, "request_transaction", refused_once)
        # when
        response = api.post(f"/seller-orders/{reference}/acknowledge", world.members["acme"].key)
        # then
        assert response.status == 200, response
        assert commits["n"] == 2
        assert OrderEvent.objects.filter(to_status="processing").count() == 1

    def test_any_other_failure_at_commit_is_problem_json(
        self, api: ApiClient, world: World, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        reference = _paid_reference(world)
        real = transactions.request_transaction

        @contextlib.contextmanager
        def broken() -> Iterator[None]:
            with real():
                yield
                raise OperationalError("server closed the connection unexpectedly")

        monkeypatch.setattr(idempotency, "request_transaction", broken)
        response = api.post(f"/seller-orders/{reference}/acknowledge", world.members["acme"].key)
        assert response.status == 500, response
        assert response.headers["Content-Type"] == "application/problem+json"
        assert SellerOrder.objects.get(reference=reference).status == "pending"


def test_a_dashboard_page_answers_a_plain_try_again_page(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def dead(**kwargs: Any) -> Any:
        raise deadlock()

    monkeypatch.setattr(order_pages, "order_list", dead)
    response = signed_in(world.owner).get("/dashboard/orders/")
    assert response.status_code == 503
    assert response["Retry-After"] == "1"
    assert "Busy, try again" in response.content.decode()
