"""What open returns hold of a seller order, as the refund paths must see it.

A unit in a return (open, or ended in an exchange) is the return's to settle: refunding it by
line as well would pay for it twice, or pay for a unit the buyer got again. A refund by amount
cannot say which units it covers, so it waits until no return is still undecided.

The returns app builds on payments, so its tables are read here inside the functions.
"""

from __future__ import annotations

from tradepost.core.errors import Conflict
from tradepost.orders.models import SellerOrder


def units_held_by_returns(seller_order: SellerOrder) -> dict[int, int]:
    """By line id: the units of the seller order that returns hold."""
    from tradepost.returns.selectors import held_quantities

    return held_quantities([seller_order.pk])


def refuse_amount_while_return_open(seller_order: SellerOrder) -> None:
    """A 409 while a return on the seller order is not decided yet."""
    from tradepost.returns.models import ReturnRequest
    from tradepost.returns.status import OPEN

    ret = (
        ReturnRequest.objects.filter(seller_order=seller_order, status__in=OPEN)
        .order_by("id")
        .first()
    )
    if ret is not None:
        raise Conflict(
            f"{seller_order.reference} has a return that is {ret.status}; finish the return "
            "first (refund, exchange or decline it), or refund other units by line.",
            current_status=seller_order.status,
        )
