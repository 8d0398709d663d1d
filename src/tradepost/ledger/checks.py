"""Proving the books: every journal balances, no balance is where it must not be, and the ledger
says what the orders say.

``tradepost ledger_check`` runs ``ledger_check()`` and prints its report. Seller orders are read
in chunks of ids, each chunk with a fixed number of GROUP BY queries, so a check of millions of
orders needs the memory of one chunk.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, Sum

from tradepost.disputes.models import Chargeback
from tradepost.disputes.status import ChargebackStatus
from tradepost.ledger.balances import account_sums
from tradepost.ledger.models import Account, Entry, Journal, Payout
from tradepost.ledger.status import NORMAL_SIDE, AccountCode, JournalKind, PayoutStatus, Side
from tradepost.orders.models import Order, SellerOrder
from tradepost.payments.chargebacks import CHARGEBACK_REASON
from tradepost.payments.models import Refund

A, K = AccountCode, JournalKind
CHUNK = 2_000
# Balances that must never be below zero (on their normal side).
NEVER_NEGATIVE = (
    A.SELLER_PENDING,
    A.SELLER_AVAILABLE,
    A.SELLER_RECEIVABLE,
    A.SELLER_PAYOUTS_IN_TRANSIT,
)
# Per seller order: the ledger figure, read as (journal kind, account, sign), and what the
# orders say it must be.
FIGURES: dict[str, tuple[str, str, int]] = {
    "captured": (K.PAYMENT_CAPTURED, A.PROVIDER_CLEARING, 1),
    "refunded": (K.REFUND, A.PROVIDER_CLEARING, -1),
    "charged_back": (K.CHARGEBACK, A.PROVIDER_CLEARING, -1),
    "commission_earned": (K.COMMISSION_EARNED, A.COMMISSION, -1),
    "commission_reversed": (K.COMMISSION_REVERSED, A.COMMISSION, 1),
}


@dataclass
class CheckReport:
    journals: int = 0
    entries: int = 0
    seller_orders: int = 0
    payouts: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def ledger_check() -> CheckReport:
    report = CheckReport(journals=Journal.objects.count(), entries=Entry.objects.count())
    report.problems += _unbalanced_journals()
    report.problems += _negative_balances()
    report.problems += _account_total_problems()
    for ids in _seller_order_chunks():
        report.seller_orders += len(ids)
        report.problems += _seller_order_problems(ids)
    report.problems += _order_problems()
    payouts, problems = _payout_problems()
    report.payouts = payouts
    report.problems += problems
    return report


def _unbalanced_journals() -> list[str]:
    sums = (
        Entry.objects.values("journal_id", "currency")
        .annotate(total=Sum("amount"))
        .exclude(total=0)
        .order_by("journal_id")
    )
    problems = [
        f"journal {row['journal_id']} does not balance in {row['currency']}: "
        f"its entries sum to {row['total']}"
        for row in sums
    ]
    thin = Journal.objects.annotate(legs=Count("entries")).filter(legs__lt=2).order_by("id")
    problems += [f"journal {j.pk} ({j.kind} {j.source}) has fewer than two entries" for j in thin]
    mixed = Entry.objects.exclude(currency=F("journal__currency")).values_list(
        "journal_id", flat=True
    )
    problems += [f"journal {pk} has an entry in another currency" for pk in mixed.distinct()]
    return problems


def _negative_balances() -> list[str]:
    rows = (
        Entry.objects.filter(account__code__in=NEVER_NEGATIVE)
        .values("account_id", "account__code", "account__seller__slug", "currency")
        .annotate(total=Sum("amount"))
        .order_by("account_id")
    )
    problems = []
    for row in rows:
        code = row["account__code"]
        balance = row["total"] if NORMAL_SIDE[code] is Side.DEBIT else -row["total"]
        if balance < 0:
            problems.append(
                f"{row['account__seller__slug']}: {code} is {balance} {row['currency']}, below zero"
            )
    return problems


def _account_total_problems() -> list[str]:
    """The account totals plus the queued entries (what balances read) are the entries' sums."""
    entries = (
        Entry.objects.values_list("account_id", "journal__kind")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    counted = {(account_id, kind): int(total) for account_id, kind, total in entries}
    read = account_sums(Account.objects.all())
    return [
        f"account {account_id}: its {kind} entries sum to {counted.get((account_id, kind), 0)}, "
        f"its balance reads {read.get((account_id, kind), 0)}"
        for account_id, kind in sorted(set(counted) | set(read))
        if counted.get((account_id, kind), 0) != read.get((account_id, kind), 0)
    ]


def _seller_order_chunks() -> Any:
    """Ids of the seller orders that took money (commission is fixed at payment), in chunks."""
    paid = SellerOrder.objects.filter(commission_amount__isnull=False).order_by("id")
    last = 0
    while True:
        ids = list(paid.filter(id__gt=last).values_list("id", flat=True)[:CHUNK])
        if not ids:
            return
        yield ids
        last = ids[-1]


def _ledger_figures(ids: list[int]) -> dict[int, dict[str, int]]:
    figures: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(FIGURES, 0))
    by_key = {(kind, account): (name, sign) for name, (kind, account, sign) in FIGURES.items()}
    rows = (
        Entry.objects.filter(
            seller_order_id__in=ids, account__code__in=(A.PROVIDER_CLEARING, A.COMMISSION)
        )
        .values("seller_order_id", "journal__kind", "account__code")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in rows:
        name, sign = by_key.get((row["journal__kind"], row["account__code"]), (None, 0))
        if name is not None:
            figures[row["seller_order_id"]][name] += sign * int(row["total"])
    return figures


def _expected_figures(ids: list[int]) -> dict[int, dict[str, int]]:
    seller_orders = SellerOrder.objects.filter(id__in=ids).values(
        "id", "total_amount", "commission_amount", "commission_reversed_amount", "refunded_amount"
    )
    expected: dict[int, dict[str, int]] = {
        row["id"]: {
            "captured": row["total_amount"],
            "refunded": 0,
            "charged_back": 0,
            "commission_earned": int(row["commission_amount"] or 0),
            "commission_reversed": row["commission_reversed_amount"],
            "refunded_total": row["refunded_amount"],
        }
        for row in seller_orders
    }
    refunds = (
        Refund.objects.filter(seller_order_id__in=ids)
        .values("seller_order_id")
        .annotate(
            charged_back=Sum("amount", filter=Q(reason=CHARGEBACK_REASON)),
            refunded=Sum("amount", filter=~Q(reason=CHARGEBACK_REASON)),
        )
        .order_by()
    )
    for row in refunds:
        expected[row["seller_order_id"]]["refunded"] = int(row["refunded"] or 0)
        expected[row["seller_order_id"]]["charged_back"] = int(row["charged_back"] or 0)
    return expected


def _seller_order_problems(ids: list[int]) -> list[str]:
    ledger, expected = _ledger_figures(ids), _expected_figures(ids)
    references = dict(SellerOrder.objects.filter(id__in=ids).values_list("id", "reference"))
    problems = []
    for pk in ids:
        want, have = expected[pk], ledger[pk]
        for name in FIGURES:
            if have[name] != want[name]:
                problems.append(
                    f"{references[pk]}: {name.replace('_', ' ')} is {have[name]} in the ledger, "
                    f"{want[name]} in the orders"
                )
        if want["refunded"] + want["charged_back"] != want["refunded_total"]:
            problems.append(
                f"{references[pk]}: refunds and chargebacks come to "
                f"{want['refunded'] + want['charged_back']}, the seller order says "
                f"{want['refunded_total']} refunded"
            )
    problems += _chargeback_problems(ids, ledger, references)
    problems += _release_problems(ids, references)
    return problems


def _chargeback_problems(
    ids: list[int], ledger: dict[int, dict[str, int]], references: dict[int, str]
) -> list[str]:
    taken = dict(
        Chargeback.objects.filter(seller_order_id__in=ids, status=ChargebackStatus.LOST)
        .values("seller_order_id")
        .annotate(total=Sum("taken_back_amount"))
        .values_list("seller_order_id", "total")
        .order_by()
    )
    return [
        f"{references[pk]}: lost chargebacks took {taken.get(pk) or 0}, "
        f"the ledger charged back {ledger[pk]['charged_back']}"
        for pk in ids
        if (taken.get(pk) or 0) != ledger[pk]["charged_back"]
    ]


def _release_problems(ids: list[int], references: dict[int, str]) -> list[str]:
    """A completed sale's money was released (its pending share is zero); no other was."""
    released = set(
        Journal.objects.filter(seller_order_id__in=ids, kind=K.FUNDS_RELEASED).values_list(
            "seller_order_id", flat=True
        )
    )
    completed = set(
        SellerOrder.objects.filter(id__in=ids, completed_at__isnull=False).values_list(
            "id", flat=True
        )
    )
    pending = dict(
        Entry.objects.filter(seller_order_id__in=ids, account__code=A.SELLER_PENDING)
        .values("seller_order_id")
        .annotate(total=Sum("amount"))
        .values_list("seller_order_id", "total")
        .order_by()
    )
    problems = [
        f"{references[pk]}: funds released but the seller order never completed"
        for pk in sorted(released - completed)
    ]
    problems += [
        f"{references[pk]}: completed but {-(pending.get(pk) or 0)} is still pending"
        for pk in sorted(completed)
        if pending.get(pk)
    ]
    return problems


def _order_problems() -> list[str]:
    """Each order's captured and refunded amounts are the ledger's, summed over its parts."""
    ledger = (
        Entry.objects.filter(account__code=A.PROVIDER_CLEARING, seller_order__isnull=False)
        .values("journal__order_id")
        .annotate(
            captured=Sum("amount", filter=Q(journal__kind=K.PAYMENT_CAPTURED)),
            returned=Sum("amount", filter=Q(journal__kind__in=(K.REFUND, K.CHARGEBACK))),
        )
        .order_by()
    )
    figures = {
        row["journal__order_id"]: (int(row["captured"] or 0), -int(row["returned"] or 0))
        for row in ledger
    }
    problems = []
    orders = Order.objects.filter(Q(captured_amount__gt=0) | Q(pk__in=list(figures)))
    for number, pk, captured, refunded in orders.values_list(
        "number", "pk", "captured_amount", "refunded_amount"
    ).iterator():
        have = figures.get(pk, (0, 0))
        if have != (captured, refunded):
            problems.append(
                f"{number}: the ledger has {have[0]} captured and {have[1]} refunded, the order "
                f"{captured} captured and {refunded} refunded"
            )
    return problems


def _payout_problems() -> tuple[int, list[str]]:
    """Each payout posted what its status says: created, then paid or failed."""
    expected = {
        PayoutStatus.PENDING: {K.PAYOUT_CREATED},
        PayoutStatus.PAID: {K.PAYOUT_CREATED, K.PAYOUT_PAID},
        PayoutStatus.FAILED: {K.PAYOUT_CREATED, K.PAYOUT_FAILED},
    }
    posted: dict[int, dict[str, int]] = defaultdict(dict)
    in_transit = (
        Entry.objects.filter(
            journal__payout__isnull=False, account__code=A.SELLER_PAYOUTS_IN_TRANSIT
        )
        .values_list("journal__payout_id", "journal__kind", "amount")
        .order_by()
    )
    for payout_id, kind, amount in in_transit:
        posted[payout_id][kind] = abs(int(amount))
    problems, count = [], 0
    for payout in Payout.objects.order_by("id").iterator():
        count += 1
        kinds = posted.get(payout.pk, {})
        if set(kinds) != expected[PayoutStatus(payout.status)]:
            problems.append(
                f"payout {payout.public_id} is {payout.status} but posted {sorted(kinds) or 'none'}"
            )
        wrong = {kind: amount for kind, amount in kinds.items() if amount != payout.amount}
        if wrong:
            problems.append(f"payout {payout.public_id} of {payout.amount} posted {wrong}")
    return count, problems
