"""Request and response shapes of the reports API."""

from __future__ import annotations

from datetime import date

from ninja import Field, Schema

Amount = int


class RevenueQuery(Schema):
    # ``from`` is a Python keyword, so the fields go by an alias.
    date_from: date | None = Field(
        None, alias="from", description="First day, included (UTC). Default: 29 days before `to`."
    )
    date_to: date | None = Field(
        None, alias="to", description="Last day, included (UTC). Default: today."
    )
    currency: str | None = Field(
        None, pattern=r"^[A-Z]{3}$", description="ISO 4217. Default: the marketplace's currency."
    )


class RevenueFiguresOut(Schema):
    sales_amount: Amount = Field(description="Captured by payments made in the period.")
    commission_earned_amount: Amount = Field(description="Commission fixed on those sales.")
    commission_reversed_amount: Amount = Field(
        description="Commission given back by refunds issued in the period."
    )
    commission_amount: Amount = Field(description="Earned less reversed; may be negative.")
    refunds_amount: Amount = Field(description="Refunds issued in the period.")
    net_amount: Amount = Field(description="Sales less refunds; may be negative.")


# Pydantic lists the fields of the last base first: these keep the key ahead of the figures.
class _DayKey(Schema):
    day: date


class SellerRefOut(Schema):
    slug: str
    name: str


class _SellerKey(Schema):
    seller: SellerRefOut


class RevenueDayOut(RevenueFiguresOut, _DayKey):
    """One day's figures."""


class SellerRevenueOut(RevenueFiguresOut, _SellerKey):
    """One seller's figures."""


class PaymentStatusShareOut(Schema):
    payment_status: str
    orders: int = Field(description="Orders placed in the period now in this payment status.")
    total_amount: Amount = Field(description="Their totals (a seller: its parts' totals).")


class RevenueReportOut(Schema):
    date_from: date = Field(serialization_alias="from")
    date_to: date = Field(serialization_alias="to")
    currency: str
    totals: RevenueFiguresOut
    payment_statuses: list[PaymentStatusShareOut]
    sellers: list[SellerRevenueOut] = Field(
        description="Each seller that sold or refunded in the period; a seller sees only itself."
    )
    daily: list[RevenueDayOut] = Field(description="Every day of the period, oldest first.")
