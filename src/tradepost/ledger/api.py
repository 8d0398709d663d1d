"""Reports API: the revenue report."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from tradepost.accounts.auth import request_actor
from tradepost.core.schemas import READ_ERRORS
from tradepost.ledger.schemas import RevenueQuery, RevenueReportOut
from tradepost.ledger.selectors import RevenueReport, report_period, revenue_report

router = Router(tags=["reports"])


@router.get("/reports/revenue", response={200: RevenueReportOut, **READ_ERRORS}, by_alias=True)
def revenue(request: HttpRequest, query: Query[RevenueQuery]) -> RevenueReport:
    """Owner: the marketplace's sales, commission, refunds and payment statuses over whole UTC
    days, per seller and per day. Seller: its own figures. At most 366 days."""
    actor = request_actor(request)
    date_from, date_to = report_period(date_from=query.date_from, date_to=query.date_to)
    return revenue_report(
        actor=actor, date_from=date_from, date_to=date_to, currency=query.currency
    )
