"""Reads of balances and payouts, scoped to the actor: every balance is a sum of entries.

The owner sees every seller and the marketplace's own accounts; a seller only itself; a buyer
nothing (404). A balance is read from the account totals of ``ledger.rollup`` and the entries of
the journals not rolled up yet, in one statement, so it costs the same after a million orders
as after ten.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import F, QuerySet, Sum

from tradepost.catalog.models import Seller
from tradepost.catalog.selectors import marketplace_get
from tradepost.core.actors import Actor, Role
from tradepost.core.errors import NotFound
from tradepost.core.pagination import Page, paginate
from tradepost.ledger.models import Account, AccountTotal, Entry, JournalPendingRollup, Payout
from tradepost.ledger.status import NORMAL_SIDE, AccountCode, JournalKind, Side

A = AccountCode


@dataclass(frozen=True, kw_only=True)
class SellerBalance:
    """A seller's money in one currency, in minor units."""

    slug: str
    name: str
    currency: str
    pending_amount: int = 0  # sales not completed yet
    available_amount: int = 0  # payable now
    owed_amount: int = 0  # refunded or charged back after it was available: repaid first
    in_transit_amount: int = 0  # payouts created, not yet paid
    paid_out_amount: int = 0  # payouts paid, ever


@dataclass(frozen=True, kw_only=True)
class MarketplaceBalance:
    currency: str
    provider_clearing_amount: int  # held at the provider: captured less refunds and payouts
    commission_amount: int  # earned less reversed
    sellers_pending_amount: int
    sellers_available_amount: int
    sellers_owed_amount: int
    payouts_in_transit_amount: int
    paid_out_amount: int


@dataclass(frozen=True)
class Balances:
    currency: str
    sellers: list[SellerBalance]
    marketplace: MarketplaceBalance | None  # the owner's view only


FIELD_FOR = {
    A.SELLER_PENDING: "pending_amount",
    A.SELLER_AVAILABLE: "available_amount",
    A.SELLER_RECEIVABLE: "owed_amount",
    A.SELLER_PAYOUTS_IN_TRANSIT: "in_transit_amount",
}


def payouts_visible_to(actor: Actor) -> QuerySet[Payout]:
    if actor.role is Role.SELLER:
        return Payout.objects.filter(seller_id=actor.seller_pk)
    if actor.role is Role.BUYER:
        return Payout.objects.none()
    return Payout.objects.all()


def balances_get(*, actor: Actor, currency: str = "", seller_slug: str = "") -> Balances:
    """Each seller's balance (a seller: its own), sellers with no money moved left out unless
    asked for by ``seller_slug``; the owner also gets the marketplace's totals."""
    if actor.role is Role.BUYER:
        raise NotFound("No balances.")
    currency = currency or marketplace_get().default_currency
    sellers = Seller.objects.all()
    if actor.role is Role.SELLER:
        sellers = sellers.filter(pk=actor.seller_pk)
    if seller_slug:
        sellers = sellers.filter(slug=seller_slug)
        if not sellers.exists():
            raise NotFound(f"No seller {seller_slug}.")
    rows = _seller_sums(currency, sellers)
    if seller_slug or actor.role is Role.SELLER:
        for seller in sellers:
            rows.setdefault(seller.pk, _empty(seller, currency))
    listed = sorted(rows.values(), key=lambda row: (-row.available_amount, row.slug))
    marketplace = _marketplace(currency, listed) if actor.role is not Role.SELLER else None
    return Balances(currency, listed, marketplace)


def seller_balance_get(*, actor: Actor, currency: str = "") -> SellerBalance:
    """A seller's own balance (sellers only)."""
    if actor.role is not Role.SELLER:
        raise NotFound("No balance.")
    return balances_get(actor=actor, currency=currency).sellers[0]


def payout_list(
    *,
    actor: Actor,
    seller: str = "",
    status: str | None = None,
    limit: int,
    cursor: str | None,
) -> Page[Payout]:
    """Newest first; two queries for a page, whatever its size."""
    payouts = payouts_visible_to(actor).select_related("seller")
    if seller:
        payouts = payouts.filter(seller__slug=seller)
    if status:
        payouts = payouts.filter(status=status)
    return paginate(payouts, sort="-created_at", limit=limit, cursor=cursor)


def payout_get(*, actor: Actor, payout_id: UUID) -> Payout:
    payout = payouts_visible_to(actor).select_related("seller").filter(public_id=payout_id).first()
    if payout is None:
        raise NotFound(f"No payout {payout_id}.")
    return payout


def _empty(seller: Seller, currency: str) -> SellerBalance:
    return SellerBalance(slug=seller.slug, name=seller.name, currency=currency)


def _signed(code: str, total: int) -> int:
    return total if NORMAL_SIDE[code] is Side.DEBIT else -total


def account_sums(accounts: QuerySet[Account]) -> dict[tuple[int, str], int]:
    """The entries of these accounts summed by (account id, journal kind): the account totals
    and the entries of queued journals, in one statement (one snapshot: see ``ledger.rollup``)."""
    totals = (
        AccountTotal.objects.filter(account__in=accounts)
        .values("account_id", "kind")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    queued = (
        Entry.objects.filter(
            account__in=accounts,
            journal_id__in=JournalPendingRollup.objects.values("journal_id"),
        )
        .values("account_id", kind=F("journal__kind"))
        .annotate(total=Sum("amount"))
        .order_by()
    )
    sums: dict[tuple[int, str], int] = defaultdict(int)
    for row in totals.union(queued, all=True):
        sums[row["account_id"], row["kind"]] += int(row["total"])
    return sums


def _by_account(sums: dict[tuple[int, str], int]) -> dict[int, int]:
    balances: dict[int, int] = defaultdict(int)
    for (account_id, _), amount in sums.items():
        balances[account_id] += amount
    return balances


def _seller_sums(currency: str, sellers: QuerySet[Seller]) -> dict[int, SellerBalance]:
    """The sellers whose accounts ever moved money, with their balances."""
    accounts = Account.objects.filter(currency=currency, seller__in=sellers)
    sums = account_sums(accounts)
    balances = _by_account(sums)
    moved = {account_id for account_id, _ in sums}
    held: dict[Seller, list[Account]] = defaultdict(list)
    for account in accounts.select_related("seller").order_by("id"):
        if account.pk in moved and account.seller is not None:
            held[account.seller].append(account)
    return {
        seller.pk: SellerBalance(
            slug=seller.slug,
            name=seller.name,
            currency=currency,
            paid_out_amount=sum(
                sums.get((account.pk, JournalKind.PAYOUT_PAID), 0)
                for account in own
                if account.code == A.SELLER_PAYOUTS_IN_TRANSIT
            ),
            **{
                FIELD_FOR[A(account.code)]: _signed(account.code, balances[account.pk])
                for account in own
                if account.code in FIELD_FOR
            },
        )
        for seller, own in held.items()
    }


def _marketplace(currency: str, sellers: list[SellerBalance]) -> MarketplaceBalance:
    accounts = Account.objects.filter(currency=currency, seller__isnull=True)
    balances = _by_account(account_sums(accounts))
    code_of = dict(accounts.values_list("pk", "code"))
    held = defaultdict(int, {code_of[pk]: amount for pk, amount in balances.items()})
    return MarketplaceBalance(
        currency=currency,
        provider_clearing_amount=held[A.PROVIDER_CLEARING],
        commission_amount=-held[A.COMMISSION],
        sellers_pending_amount=sum(s.pending_amount for s in sellers),
        sellers_available_amount=sum(s.available_amount for s in sellers),
        sellers_owed_amount=sum(s.owed_amount for s in sellers),
        payouts_in_transit_amount=sum(s.in_transit_amount for s in sellers),
        paid_out_amount=sum(s.paid_out_amount for s in sellers),
    )


def payout_export(*, actor: Actor, seller: str = "", status: str | None = None) -> Any:
    """Every payout the list would show, newest first, read in chunks (for CSV)."""
    payouts = payouts_visible_to(actor).select_related("seller")
    if seller:
        payouts = payouts.filter(seller__slug=seller)
    if status:
        payouts = payouts.filter(status=status)
    return payouts.order_by("-created_at", "-id").iterator(chunk_size=2000)
