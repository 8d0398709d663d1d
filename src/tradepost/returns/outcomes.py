"""After inspection: the returned lines are refunded, or a replacement parcel ships.

A refund goes through payments.issuing like every other refund (the provider with a key of its
own, commission reversed pro rata, payment status, ``refund.created``), by the lines-and-quantity
rule of payments.refund_lines, so refunded never passes captured and an order whose every unit
came back is refunded exactly. An exchange sends the same units again: a real ``Shipment`` of the
seller order, taken from the listings' stock, so it shows with the parcels and its tracking link.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.db.models import F

from tradepost.catalog.models import Listing
from tradepost.catalog.selectors import marketplace_get
from tradepost.core.actors import Actor
from tradepost.core.errors import Conflict, OutOfStock, ValidationFailed
from tradepost.core.transactions import unit_of_work
from tradepost.disputes.selectors import open_chargeback_amount
from tradepost.orders.lifecycle import check_transition
from tradepost.orders.models import OrderLine, SellerOrder, Shipment, ShipmentLine
from tradepost.payments.issuing import (
    RefundDraft,
    commit_refund_change,
    lock_lines,
    refund_issue_locked,
)
from tradepost.payments.policy import is_refundable_status
from tradepost.payments.refund_lines import line_refund_amounts
from tradepost.returns.models import ReturnRequest
from tradepost.returns.services import (
    LockedReturn,
    ReturnParcel,
    commit_return_change,
    lock_return,
    move_return,
    published,
)
from tradepost.returns.status import RETURN, ReturnStatus


@dataclass(frozen=True)
class Inspection:
    """What the seller found when the items came back."""

    note: str
    restock: bool = False  # refund only: put the returned units back on sale


def return_refund(*, actor: Actor, return_id: UUID | str, inspection: Inspection) -> ReturnRequest:
    """Seller or owner: the items are back and inspected; refund the returned lines."""
    with unit_of_work():
        locked = lock_return(actor=actor, return_id=return_id)
        ret, seller_order = locked.ret, locked.seller_order
        check_transition(RETURN, current=ret.status, target=ReturnStatus.REFUNDED, actor=actor)
        _check_seller_order_open(seller_order)
        _check_note(inspection)
        held = open_chargeback_amount(seller_order)
        if held:
            raise Conflict(
                f"{seller_order.reference} has an open chargeback of {held}; the bank decides "
                "that money, so no refund is issued until its outcome.",
                current_status=ret.status,
            )
        lines = lock_lines(seller_order)
        chosen = _returned_units(ret, lines)
        draft = RefundDraft(
            reason=ret.reason,
            note=f"Return inspected: {inspection.note.strip()}"[:1000],
            lines=line_refund_amounts(seller_order, lines, chosen),
            restock=inspection.restock,
            # A return is refunded once: its refund has a key of its own for the provider.
            idempotency_key=f"return-{ret.public_id}",
            proofs=list(ret.proofs.all()),
        )
        issued = refund_issue_locked(
            actor=actor,
            order=locked.order,
            seller_orders=locked.seller_orders,
            seller_order=seller_order,
            draft=draft,
        )
        ret.refund, ret.inspection_note = issued.refund, inspection.note.strip()
        ret.restocked = inspection.restock
        event = move_return(
            locked,
            actor,
            ReturnStatus.REFUNDED,
            "refund",
            "inspection_note",
            "restocked",
            note=f"Inspection: {ret.inspection_note}",
            details={"refund_id": str(issued.refund.public_id), "amount": issued.refund.amount},
        )
        commit_refund_change(
            locked.order,
            locked.seller_orders,
            seller_order,
            [event, *issued.events],
            issued.fully_refunded,
        )
        return published(locked.order, ret)


def return_exchange(
    *, actor: Actor, return_id: UUID | str, inspection: Inspection, parcel: ReturnParcel
) -> ReturnRequest:
    """Seller or owner: the items are back and inspected; send the same units again."""
    with unit_of_work():
        locked = lock_return(actor=actor, return_id=return_id)
        ret = locked.ret
        check_transition(RETURN, current=ret.status, target=ReturnStatus.EXCHANGED, actor=actor)
        _check_seller_order_open(locked.seller_order)
        _check_note(inspection)
        _check_parcel(parcel)
        chosen = _returned_units(ret, lock_lines(locked.seller_order))
        _take_stock(chosen)
        shipment = _replacement(locked, parcel, chosen)
        ret.replacement, ret.inspection_note = shipment, inspection.note.strip()
        event = move_return(
            locked,
            actor,
            ReturnStatus.EXCHANGED,
            "replacement",
            "inspection_note",
            note=f"Replacement parcel: {shipment}. Inspection: {ret.inspection_note}",
            details={
                "shipment_id": shipment.pk,
                "carrier": shipment.carrier,
                "tracking_number": shipment.tracking_number,
                "tracking_url": shipment.tracking_url,
                "lines": [{"sku": line.sku, "quantity": qty} for line, qty in chosen],
            },
        )
        return commit_return_change(locked, [event])


def _check_seller_order_open(seller_order: SellerOrder) -> None:
    """The seller order may have been refunded in full, or closed, while the parcel travelled:
    then neither the money nor a replacement is owed any more, and the return is declined."""
    if not is_refundable_status(seller_order.status):
        raise Conflict(
            f"{seller_order.reference} is {seller_order.status}: a return is settled only while "
            "the seller order can still be refunded. Decline the return instead.",
            current_status=seller_order.status,
        )
    # A free seller order (total 0) has nothing to refund, so it is never "refunded in full".
    if 0 < seller_order.total_amount <= seller_order.refunded_amount:
        raise Conflict(
            f"{seller_order.reference} is already refunded in full. Decline the return instead.",
            current_status=seller_order.status,
        )


def _check_note(inspection: Inspection) -> None:
    if not inspection.note.strip():
        raise ValidationFailed("inspection_note", "is required: what the inspection found")


def _check_parcel(parcel: ReturnParcel) -> None:
    if not parcel.carrier.strip():
        raise ValidationFailed("carrier", "is required: which carrier takes the replacement")
    if marketplace_get().tracking_required and not parcel.tracking_number.strip():
        raise ValidationFailed("tracking_number", "is required by this marketplace")
    url = parcel.tracking_url.strip()
    if url and not (url.startswith(("https://", "http://")) and " " not in url):
        raise ValidationFailed("tracking_url", "must be an http(s) address")


def _returned_units(ret: ReturnRequest, lines: list[OrderLine]) -> list[tuple[OrderLine, int]]:
    """The return's units, on the locked lines; refused if a refund took them meanwhile."""
    by_pk = {line.pk: line for line in lines}
    chosen = [(by_pk[item.line_id], item.quantity) for item in ret.lines.order_by("id")]
    for line, quantity in chosen:
        if quantity > line.quantity_refundable:
            raise Conflict(
                f"Only {line.quantity_refundable} of {line.sku} are left to refund; another "
                "refund took the returned units. Decline the return, giving that reason.",
                current_status=ret.status,
            )
    return chosen


def _take_stock(chosen: list[tuple[OrderLine, int]]) -> None:
    """The replacement units come off their listings' stock, locked in listing id order."""
    wanted: dict[int, int] = {}
    for line, quantity in chosen:
        wanted[line.listing_id] = wanted.get(line.listing_id, 0) + quantity
    listings = Listing.objects.select_for_update(no_key=True).filter(pk__in=wanted).order_by("id")
    for listing in listings:
        if listing.stock_quantity < wanted[listing.pk]:
            raise OutOfStock(
                sku=listing.sku, requested=wanted[listing.pk], available=listing.stock_quantity
            )
        Listing.objects.filter(pk=listing.pk).update(
            stock_quantity=F("stock_quantity") - wanted[listing.pk]
        )


def _replacement(
    locked: LockedReturn, parcel: ReturnParcel, chosen: list[tuple[OrderLine, int]]
) -> Shipment:
    """The replacement parcel. Its units were shipped once already: the lines' shipped counts,
    which say how much of the order left the seller, stay as they are."""
    shipment = Shipment.objects.create(
        seller_order=locked.seller_order,
        carrier=parcel.carrier.strip(),
        tracking_number=parcel.tracking_number.strip(),
        tracking_url=parcel.tracking_url.strip(),
    )
    ShipmentLine.objects.bulk_create(
        [ShipmentLine(shipment=shipment, line=line, quantity=qty) for line, qty in chosen]
    )
    return shipment
