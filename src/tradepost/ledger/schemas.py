"""Request and response shapes of the reports API."""

from __future__ import annotations

from datetime import date
from typing import Literal

from ninja import Field, Schema

from tradepost.core.schemas import InputSchema, StrictInt

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
    interval: Literal["day", "week", "month"] = Field(
        "day", description="What `periods` adds up: UTC days, ISO weeks (from Monday), months."
    )


class RevenueFiguresOut(Schema):
    sales_amount: Amount = Field(description="Captured by payments made in the period.")
    commission_earned_amount: Amount = Field(description="Commission fixed on those sales.")
    commission_reversed_amount: Amount = Field(
        description="Commission given back by refunds and lost chargebacks in the period."
    )
    commission_amount: Amount = Field(description="Earned less reversed; may be negative.")
    refunds_amount: Amount = Field(description="Refunds sent to buyers in the period.")
    chargebacks_amount: Amount = Field(description="Taken back by chargebacks lost in the period.")
    net_amount: Amount = Field(description="Sales less refunds and chargebacks; may be negative.")
    payouts_paid_amount: Amount = Field(description="Payouts marked paid in the period.")


# Pydantic lists the fields of the last base first: these keep the key ahead of the figures.
class _DayKey(Schema):
    day: date


class _PeriodKey(Schema):
    start: date = Field(description="First day, included (the report's first day at the most).")
    end: date = Field(description="Last day, included (the report's last day at the most).")


class SellerRefOut(Schema):
    slug: str
    name: str


class _SellerKey(Schema):
    seller: SellerRefOut


class RevenueDayOut(RevenueFiguresOut, _DayKey):
    """One day's figures."""


class RevenuePeriodOut(RevenueFiguresOut, _PeriodKey):
    """One day's, week's or month's figures."""


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
    interval: Literal["day", "week", "month"]
    totals: RevenueFiguresOut
    payment_statuses: list[PaymentStatusShareOut]
    sellers: list[SellerRevenueOut] = Field(
        description="Each seller with money moving in the period; a seller sees only itself."
    )
    daily: list[RevenueDayOut] = Field(description="Every day of the period, oldest first.")
    periods: list[RevenuePeriodOut] = Field(
        description="Every day, week or month (`interval`) of the period, oldest first."
    )


class BalanceQuery(Schema):
    currency: str | None = Field(
        None, pattern=r"^[A-Z]{3}$", description="ISO 4217. Default: the marketplace's currency."
    )
    seller: str = Field("", max_length=50, description="Owner: one seller's balance (a slug).")


class SellerBalanceOut(Schema):
    seller: SellerRefOut
    currency: str
    pending_amount: Amount = Field(description="Net of sales not completed yet.")
    available_amount: Amount = Field(description="Net of completed sales, payable now; >= 0.")
    owed_amount: Amount = Field(
        description="Refunded or charged back after it was available; repaid from the next "
        "completed sales before anything becomes available."
    )
    in_transit_amount: Amount = Field(description="Payouts created, not yet paid.")
    paid_out_amount: Amount = Field(description="Payouts paid, ever.")


class MarketplaceBalanceOut(Schema):
    currency: str
    provider_clearing_amount: Amount = Field(
        description="Held at the provider: captured less refunds, chargebacks and paid payouts."
    )
    commission_amount: Amount = Field(description="Commission earned less reversed.")
    sellers_pending_amount: Amount
    sellers_available_amount: Amount
    sellers_owed_amount: Amount
    payouts_in_transit_amount: Amount
    paid_out_amount: Amount


class BalancesOut(Schema):
    currency: str
    sellers: list[SellerBalanceOut] = Field(
        description="Sellers with money in the ledger, most available first; a seller: itself."
    )
    marketplace: MarketplaceBalanceOut | None = Field(description="The owner's view only.")


class PayoutCreateIn(InputSchema):
    seller: str = Field(
        "", max_length=50, description="Pay this seller (a slug); leave out to pay all that is due."
    )
    amount: StrictInt | None = Field(
        None, ge=1, le=10**13, description="With a seller: pay this much of its available balance."
    )
    currency: str | None = Field(None, pattern=r"^[A-Z]{3}$")


class PayoutMarkPaidIn(InputSchema):
    reference: str = Field(min_length=1, max_length=200, description="The transfer's reference.")


class PayoutMarkFailedIn(InputSchema):
    reason: str = Field(min_length=1, max_length=500)


class PayoutListQuery(Schema):
    seller: str = Field("", max_length=50)
    status: Literal["pending", "paid", "failed"] | None = None
    limit: int = Field(50, ge=1, le=100)
    cursor: str | None = None


class PayoutOut(Schema):
    id: str
    seller: SellerRefOut
    amount: Amount
    currency: str
    status: Literal["pending", "paid", "failed"]
    reference: str
    failure_reason: str
    created_by: str
    created_at: str
    paid_at: str | None
    failed_at: str | None


class PayoutPageOut(Schema):
    items: list[PayoutOut]
    next_cursor: str | None


class PayoutsCreatedOut(Schema):
    items: list[PayoutOut]
