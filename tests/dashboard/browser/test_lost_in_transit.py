"""Seed scenario "lost in transit", walked in the browser: the buyer reports the parcel lost, the
seller resolves the case by sending it again with new tracking; that parcel is lost too, so the
buyer reopens the case and the owner resolves it with a full refund.
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from tests.builders import World
from tests.dashboard.browser.helpers import screenshot, sign_in, switch_to
from tests.disputes.flows import reference_of, shipped_order


def _step(page: Page, action: str) -> Locator:
    steps = page.get_by_role("region", name="What you can do")
    return steps.locator("form", has=page.get_by_role("heading", name=action, exact=True))


def test_reship_with_new_tracking_then_reopened_and_refunded_in_full(
    page: Page, world: World
) -> None:
    # given two mugs Acme shipped to John with UPS 1Z-FIRST, which never arrived
    bundle = shipped_order(world, {"MUG": 2})
    number, reference = bundle.order.number, reference_of(bundle)
    order_page = f"/dashboard/orders/{number}/"

    # when John reports the parcel lost from his order page
    sign_in(page, world.buyers["john"].user, start_at=order_page)
    part = page.locator(f"#so-{reference}")
    expect(part.locator(".parcels")).to_contain_text("UPS · 1Z-FIRST")
    part.get_by_text("Report a problem").click()
    part.get_by_label("What went wrong").select_option(label="Lost in transit")
    part.get_by_label("Describe the problem").fill("Tracking has not moved for ten days.")
    part.get_by_role("button", name="Open a case").click()

    # then the case is open and waits on the seller
    expect(page.get_by_role("heading", name="Lost in transit case")).to_be_visible()
    expect(page.locator("#case-turn")).to_contain_text("Waiting on the seller")
    case_url = page.url
    screenshot(page, "lost-buyer-case-opened")

    # when Acme's member opens the case and resolves it by sending the mugs again
    switch_to(page, world.members["acme"].user, start_at=case_url)
    resolve = _step(page, "Resolve")
    resolve.get_by_label("Outcome").select_option(label="Reship")
    resolve.get_by_label("Carrier (reship, exchange)").fill("DHL")
    resolve.get_by_label("Tracking number").fill("JD-RESHIP-0002")
    resolve.get_by_label("Tracking URL").fill("https://track.example/JD-RESHIP-0002")
    resolve.get_by_label("Note").fill("Sent again, insured this time.")
    resolve.get_by_role("button", name="Resolve").click()

    # then the case is resolved with the new parcel, and no money moved
    expect(page.get_by_role("status")).to_contain_text("Case: resolved.")
    expect(page.locator(".page-head")).to_contain_text("Outcome: Reship")
    expect(page.get_by_role("region", name="Resolutions")).to_contain_text(
        "Reship · new parcel DHL JD-RESHIP-0002 — Sent again, insured this time."
    )
    screenshot(page, "lost-seller-reshipped")

    # when John opens the case
    switch_to(page, world.buyers["john"].user, start_at=case_url)

    # then he can follow the new parcel from the case, beside the first one
    parcels = page.get_by_role("region", name=reference).locator(".parcels")
    expect(parcels).to_contain_text("UPS · 1Z-FIRST")
    expect(parcels.get_by_role("link", name="JD-RESHIP-0002")).to_have_attribute(
        "href", "https://track.example/JD-RESHIP-0002"
    )
    expect(parcels).to_contain_text("Reship: DHL")
    screenshot(page, "lost-buyer-sees-new-tracking")

    # when the reshipped parcel is lost too, and John reopens the case
    reopen = _step(page, "Reopen")
    reopen.get_by_label("Why the outcome did not work").fill(
        "The second parcel is lost as well: DHL says it is gone."
    )
    reopen.get_by_role("button", name="Reopen").click()

    # then the marketplace must decide
    expect(page.get_by_role("status")).to_contain_text("Case: reopened.")
    expect(page.locator("#case-turn")).to_contain_text("Waiting on the owner")
    expect(page.locator(".page-head .badge").first).to_have_text("Under review")

    # when the owner opens it from the disputes waiting on the marketplace
    switch_to(page, world.owner.user, start_at="/dashboard/disputes/?awaiting=owner")
    row = page.get_by_role("row", name=re.compile(f"#{number}"))
    row.get_by_role("link", name="Lost in transit").click()

    # then the owner reads the whole story before deciding
    conversation = page.get_by_role("region", name="Conversation")
    expect(conversation).to_contain_text("The second parcel is lost as well")
    expect(page.get_by_role("region", name="Resolutions")).to_contain_text("Reship")
    history = page.get_by_role("region", name="Order history")
    expect(history).to_contain_text("lost in transit case resolved → under review (reopen)")
    screenshot(page, "lost-owner-reviews")

    # when the owner resolves it with a full refund
    resolve = _step(page, "Resolve")
    resolve.get_by_label("Outcome").select_option(label="Full refund")
    resolve.get_by_label("Note").fill("Both parcels lost: refunded in full.")
    resolve.get_by_role("button", name="Resolve").click()

    # then the money is back with John and the seller order is refunded
    expect(page.get_by_role("status")).to_contain_text("Case: resolved.")
    resolutions = page.get_by_role("region", name="Resolutions").get_by_role("listitem")
    expect(resolutions).to_have_count(2)
    expect(resolutions.nth(1)).to_contain_text("Full refund $25.00 — Both parcels lost")
    part = page.get_by_role("region", name=reference)
    expect(part.locator("h2 .badge")).to_have_text("Refunded")
    expect(part.locator("dl.money")).to_contain_text("Refunded$25.00")

    # when John looks at his order
    switch_to(page, world.buyers["john"].user, start_at=order_page)

    # then the order and its payment are refunded, and the case shows its outcome
    expect(page.locator(".page-head .badge").first).to_have_text("Refunded")
    payment = page.get_by_role("region", name="Payment")
    expect(payment.locator(".badge")).to_have_text("Refunded")
    expect(payment).to_contain_text("Refunded$25.00")
    cases = page.locator(f"#cases-{reference}")
    expect(cases).to_contain_text("Lost in transit")
    expect(cases).to_contain_text("Full refund")
    expect(page.get_by_role("region", name="Timeline")).to_contain_text(
        f"{reference}: refunded $25.00"
    )
    screenshot(page, "lost-buyer-refunded")
