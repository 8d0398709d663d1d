"""Where each role lands after signing in, and the seller's work queue."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from tradepost.core.actors import Actor, Role
from tradepost.dashboard.access import with_actor
from tradepost.orders.selectors import attention_counts, seller_order_queue
from tradepost.orders.status import FulfilmentStatus


@with_actor()
def home(request: HttpRequest, actor: Actor) -> HttpResponse:
    if actor.role is Role.SELLER:
        return redirect("dashboard:seller_queue")
    return redirect("dashboard:orders")


@with_actor(Role.SELLER)
def seller_queue(request: HttpRequest, actor: Actor) -> HttpResponse:
    """New orders to acknowledge (with the SLA time left) and orders to ship, late ones first."""
    context = {
        "counts": attention_counts(actor=actor),
        "to_acknowledge": seller_order_queue(actor=actor, status=FulfilmentStatus.PENDING),
        "to_ship": seller_order_queue(actor=actor, status=FulfilmentStatus.PROCESSING),
    }
    return render(request, "dashboard/seller_queue.html", context)
