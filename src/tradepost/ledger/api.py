"""Reports API (the revenue report) and the ledger's: balances and payouts."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Query, Router

from tradepost.accounts.auth import request_actor
from tradepost.core.schemas import READ_ERRORS, WRITE_ERRORS
from tradepost.ledger import balances, payouts
from tradepost.ledger.representation import balances_data, payout_data
from tradepost.ledger.schemas import (
    BalanceQuery,
    BalancesOut,
    PayoutCreateIn,
    PayoutListQuery,
    PayoutMarkFailedIn,
    PayoutMarkPaidIn,
    PayoutOut,
    PayoutPageOut,
    PayoutsCreatedOut,
    RevenueQuery,
    RevenueReportOut,
)
from tradepost.ledger.selectors import Interval, RevenueReport, report_period, revenue_report

router = Router(tags=["reports"])


@router.get("/reports/revenue", response={200: RevenueReportOut, **READ_ERRORS}, by_alias=True)
def revenue(request: HttpRequest, query: Query[RevenueQuery]) -> RevenueReport:
    """Owner: the marketplace's sales, commission, refunds, chargebacks, net and payouts from
    the ledger, and payment statuses, over whole UTC days, per seller and per day, week or
    month. Seller: its own figures. At most 366 days."""
    actor = request_actor(request)
    date_from, date_to = report_period(date_from=query.date_from, date_to=query.date_to)
    return revenue_report(
        actor=actor,
        date_from=date_from,
        date_to=date_to,
        currency=query.currency,
        interval=Interval(query.interval),
    )


@router.get("/balances", response={200: BalancesOut, **READ_ERRORS}, tags=["payouts"])
def get_balances(request: HttpRequest, query: Query[BalanceQuery]) -> dict[str, Any]:
    """Sums of the ledger: each seller's pending, available, owed, in-transit and paid-out money
    (a seller: its own), and for the owner the marketplace's accounts."""
    actor = request_actor(request)
    found = balances.balances_get(
        actor=actor, currency=query.currency or "", seller_slug=query.seller
    )
    return balances_data(found)


@router.post("/payouts", response={201: PayoutsCreatedOut, **WRITE_ERRORS}, tags=["payouts"])
def create_payouts(request: HttpRequest, payload: PayoutCreateIn) -> tuple[int, dict[str, Any]]:
    """Owner: pay a seller its available balance (or ``amount`` of it), or, with no seller,
    every seller with an available balance. 409 when nothing is due."""
    made = payouts.payout_create(
        actor=request_actor(request),
        seller_slug=payload.seller.strip(),
        amount=payload.amount,
        currency=payload.currency or "",
    )
    return 201, {"items": [payout_data(payout) for payout in made]}


@router.get("/payouts", response={200: PayoutPageOut, **READ_ERRORS}, tags=["payouts"])
def list_payouts(request: HttpRequest, query: Query[PayoutListQuery]) -> dict[str, Any]:
    """Payouts you may see, newest first: ``status=pending`` are the upcoming ones."""
    page = balances.payout_list(
        actor=request_actor(request),
        seller=query.seller,
        status=query.status,
        limit=query.limit,
        cursor=query.cursor,
    )
    return {"items": [payout_data(p) for p in page.items], "next_cursor": page.next_cursor}


@router.get("/payouts/{payout_id}", response={200: PayoutOut, **READ_ERRORS}, tags=["payouts"])
def get_payout(request: HttpRequest, payout_id: UUID) -> dict[str, Any]:
    return payout_data(balances.payout_get(actor=request_actor(request), payout_id=payout_id))


@router.post(
    "/payouts/{payout_id}/mark-paid", response={200: PayoutOut, **WRITE_ERRORS}, tags=["payouts"]
)
def mark_payout_paid(
    request: HttpRequest, payout_id: UUID, payload: PayoutMarkPaidIn
) -> dict[str, Any]:
    """Owner: the transfer went out, with its reference."""
    paid = payouts.payout_mark_paid(
        actor=request_actor(request), payout_id=payout_id, reference=payload.reference
    )
    return payout_data(paid)


@router.post(
    "/payouts/{payout_id}/mark-failed", response={200: PayoutOut, **WRITE_ERRORS}, tags=["payouts"]
)
def mark_payout_failed(
    request: HttpRequest, payout_id: UUID, payload: PayoutMarkFailedIn
) -> dict[str, Any]:
    """Owner: the transfer failed; the amount is available to the seller again."""
    failed = payouts.payout_mark_failed(
        actor=request_actor(request), payout_id=payout_id, reason=payload.reason
    )
    return payout_data(failed)
