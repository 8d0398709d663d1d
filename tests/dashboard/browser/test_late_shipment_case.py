"""Seed scenario "late shipments", walked in the browser: the owner sees a seller order past its
ship-by time counted as late; the buyer opens a late-shipment case; the seller answers in the
case, ships with tracking and the buyer, seeing the parcel, resolves and closes the case. A
second walk has the owner mediate a case the seller asks the marketplace to decide.

The order is paid and acknowledged days ago under a frozen clock, so it is late now; the pages
themselves run on the real clock.
"""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import Locator, Page, expect

from tests import clock
from tests.builders import World, pay, place_order
from tests.dashboard.browser.helpers import screenshot, sign_in, switch_to
from tests.payments.flows import reference_of
from tradepost.orders.selectors import OrderBundle
from tradepost.orders.services import seller_order_acknowledge


def _late_order(world: World) -> OrderBundle:
    """Two mugs paid five days ago and acknowledged at once, never shipped: Acme ships within
    three days, so the seller order is two days past its ship-by time."""
    with clock.earlier(timedelta(days=5)):
        bundle = pay(world, place_order(world, {"MUG": 2}))
        seller_order_acknowledge(actor=world.members["acme"].actor, reference=reference_of(bundle))
    return bundle


def _counter(page: Page, name: str) -> Locator:
    return page.get_by_role("list", name="Needs attention").get_by_role(
        "link", name=re.compile(name)
    )


def _step(page: Page, action: str) -> Locator:
    """The form of one case step in "What you can do", by its heading."""
    steps = page.get_by_role("region", name="What you can do")
    return steps.locator("form", has=page.get_by_role("heading", name=action, exact=True))


def _open_case(page: Page, reference: str, description: str) -> None:
    """On the order page: "Report a problem" under the seller's part, a late shipment."""
    part = page.locator(f"#so-{reference}")
    part.get_by_text("Report a problem").click()
    part.get_by_label("What went wrong").select_option(label="Late shipment")
    part.get_by_label("Describe the problem").fill(description)
    part.get_by_role("button", name="Open a case").click()


def test_buyer_opens_a_case_the_seller_ships_and_the_buyer_closes_it(
    page: Page, world: World
) -> None:
    # given Acme's part of John's order is past its ship-by time
    bundle = _late_order(world)
    number, reference = bundle.order.number, reference_of(bundle)

    # when the owner looks at the orders list
    sign_in(page, world.owner.user)

    # then the counters show one late seller order, and following it lists this order
    late = _counter(page, "late")
    expect(late).to_have_text("1 late (past SLA)")
    late.click()
    expect(page.locator(".order-row .number")).to_have_text([f"#{number}"])
    screenshot(page, "late-owner-counters")

    # when John opens his order and reports the late shipment
    switch_to(page, world.buyers["john"].user, start_at=f"/dashboard/orders/{number}/")
    _open_case(page, reference, "Ordered five days ago and it still has not shipped.")

    # then he is on the case, which waits on the seller
    expect(page.get_by_role("status")).to_contain_text(f"{reference}: case opened.")
    expect(page.get_by_role("heading", name="Late shipment case")).to_be_visible()
    expect(page.locator("#case-turn")).to_contain_text("Waiting on the seller")
    expect(page.get_by_role("region", name=reference)).to_contain_text("Not shipped yet.")
    case_url = page.url
    screenshot(page, "late-buyer-case-opened")

    # when Acme's member finds the case among its disputes and answers it
    switch_to(page, world.members["acme"].user, start_at="/dashboard/disputes/")
    row = page.get_by_role("row", name=re.compile(f"#{number}"))
    expect(row.get_by_role("cell")).to_contain_text(["Late shipment", "Acme", "Open", "Seller"])
    row.get_by_role("link", name="Late shipment").click()
    expect(page.get_by_role("region", name="The claim")).to_contain_text(
        "Ordered five days ago and it still has not shipped."
    )
    answer = _step(page, "Answer")
    answer.get_by_label("Message").fill("Sorry for the delay: it leaves today with UPS.")
    answer.get_by_role("button", name="Answer").click()

    # then the turn passes to the buyer
    expect(page.get_by_role("status")).to_contain_text("Case: answer sent.")
    expect(page.locator("#case-turn")).to_contain_text("Waiting on the buyer")
    screenshot(page, "late-seller-answered")

    # when the seller goes to the order from the case and ships it with tracking
    page.get_by_role("link", name=f"#{number}").click()
    ship = page.locator(f"#so-{reference}").locator(
        "form", has=page.get_by_role("heading", name="Ship a parcel")
    )
    ship.get_by_label("Carrier").fill("UPS")
    ship.get_by_label("Tracking number").fill("1Z-LATE-0001")
    ship.get_by_role("button", name="Ship").click()
    expect(page.get_by_role("status")).to_contain_text(f"{reference}: parcel recorded.")

    # when John opens the case again
    switch_to(page, world.buyers["john"].user, start_at=case_url)

    # then he reads the seller's answer and sees the parcel with its tracking number
    conversation = page.get_by_role("region", name="Conversation")
    expect(conversation).to_contain_text("Sorry for the delay: it leaves today with UPS.")
    expect(page.get_by_role("region", name=reference).locator(".parcels")).to_contain_text(
        "UPS · 1Z-LATE-0001"
    )
    screenshot(page, "late-buyer-sees-tracking")

    # when he resolves the case (nothing more to do) and closes it
    resolve = _step(page, "Resolve")
    expect(resolve.get_by_label("Outcome").locator("option")).to_have_text(["No action"])
    expect(resolve.get_by_label(re.compile("Amount|Carrier|Tracking"))).to_have_count(0)
    resolve.get_by_label("Note").fill("It is on its way, thank you.")
    resolve.get_by_role("button", name="Resolve").click()
    expect(page.get_by_role("status")).to_contain_text("Case: resolved.")
    expect(page.get_by_role("region", name="Resolutions")).to_contain_text(
        "No action — It is on its way, thank you."
    )
    page.get_by_role("button", name="Close the case").click()

    # then the case is closed and nothing is left to do on it
    expect(page.get_by_role("status")).to_contain_text("Case: closed.")
    expect(page.locator(".page-head .badge").first).to_have_text("Closed")
    expect(page.get_by_role("region", name="What you can do")).to_have_count(0)
    screenshot(page, "late-buyer-closed")

    # when the owner looks at the orders list again
    switch_to(page, world.owner.user)

    # then nothing is late any more and no dispute is open
    expect(_counter(page, "late")).to_have_text("0 late (past SLA)")
    expect(_counter(page, "open disputes")).to_have_text("0 open disputes")
    timeline_page = f"/dashboard/orders/{number}/"
    page.goto(timeline_page)
    timeline = page.get_by_role("region", name="Timeline")
    expect(timeline).to_contain_text("late shipment case")
    expect(timeline).to_contain_text(f"{reference}: Processing → Shipped")


def test_the_owner_mediates_when_the_seller_asks_the_marketplace_to_decide(
    page: Page, world: World
) -> None:
    # given a late order, and a late-shipment case John opened on it
    bundle = _late_order(world)
    number, reference = bundle.order.number, reference_of(bundle)
    sign_in(page, world.buyers["john"].user, start_at=f"/dashboard/orders/{number}/")
    _open_case(page, reference, "Still nothing after five days.")
    case_url = page.url

    # when Acme says it cannot send it and asks the marketplace to decide
    switch_to(page, world.members["acme"].user, start_at=case_url)
    escalate = _step(page, "Ask the marketplace to decide")
    escalate.get_by_label("Why the owner should decide").fill("Out of stock; we cannot ship.")
    escalate.get_by_role("button", name="Ask the marketplace to decide").click()
    expect(page.locator("#case-turn")).to_contain_text("Waiting on the owner")

    # then the owner finds it waiting on the marketplace, with both parties' record
    switch_to(page, world.owner.user, start_at="/dashboard/disputes/?awaiting=owner")
    page.get_by_role("row", name=re.compile(f"#{number}")).get_by_role(
        "link", name="Late shipment"
    ).click()
    records = page.get_by_role("region", name="The parties' record")
    expect(records).to_contain_text("Seller: Acme")
    expect(records).to_contain_text("Late rate")
    screenshot(page, "late-owner-mediates")

    # when the owner decides on a full refund
    resolve = _step(page, "Resolve")
    resolve.get_by_label("Outcome").select_option(label="Full refund")
    resolve.get_by_label("Note").fill("The seller cannot ship; John gets his money back.")
    resolve.get_by_role("button", name="Resolve").click()

    # then the unshipped seller order is canceled and refunded in full
    expect(page.get_by_role("status")).to_contain_text("Case: resolved.")
    expect(page.get_by_role("region", name="Resolutions")).to_contain_text("Full refund $25.00")
    part = page.get_by_role("region", name=reference)
    expect(part.locator("h2 .badge")).to_have_text("Canceled")
    expect(part.locator("dl.money")).to_contain_text("Refunded$25.00")

    # and John sees his order canceled and the payment refunded
    switch_to(page, world.buyers["john"].user, start_at=f"/dashboard/orders/{number}/")
    expect(page.locator(".page-head .badge").first).to_have_text("Canceled")
    expect(page.get_by_role("region", name="Payment").locator(".badge")).to_have_text("Refunded")
    screenshot(page, "late-buyer-refunded")
