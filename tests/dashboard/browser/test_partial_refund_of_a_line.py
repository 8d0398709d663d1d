"""Seed scenario "partial refund of one line", walked in the browser by the marketplace owner.

The owner refunds one unit of one line of a delivered order, putting it back on sale; the money
block, the seller's part and the timeline show the refund, the buyer sees it too, and the unit is
back in stock (read through the API, as the catalogue has no dashboard page).
"""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

from tests.builders import ApiClient, World, listing_id
from tests.dashboard.browser.helpers import screenshot, sign_in, switch_to
from tests.payments.flows import delivered_order, reference_of


def _stock(api: ApiClient, world: World, sku: str) -> int:
    response = api.get(f"/listings/{listing_id(world, sku)}", world.owner.key)
    assert response.status == 200, response
    return int(response.json()["stock_quantity"])


def _money(page: Page, term: str) -> Locator:
    """One figure of the order's Payment card, by its term ("Refunded")."""
    payment = page.get_by_role("region", name="Payment")
    return payment.locator("dl.money dt", has_text=term).locator("xpath=following-sibling::dd[1]")


def test_owner_refunds_one_unit_of_a_line_and_puts_it_back_on_sale(
    page: Page, world: World, api: ApiClient
) -> None:
    # given two mugs and a bowl delivered to John, $5.50 shipping; one mug came as the wrong one
    bundle = delivered_order(world, {"MUG": 2, "BOWL": 1}, shipping={"acme": 550})
    number, reference = bundle.order.number, reference_of(bundle)
    mugs_in_stock = _stock(api, world, "MUG")
    bowls_in_stock = _stock(api, world, "BOWL")

    # when the owner opens the order
    sign_in(page, world.owner.user, start_at=f"/dashboard/orders/{number}/")

    # then the payment is captured in full and nothing is refunded yet
    expect(_money(page, "Total")).to_have_text("$60.50")
    expect(_money(page, "Captured")).to_have_text("$60.50")
    expect(_money(page, "Refunded")).to_have_text("$0.00")
    part = page.locator(f"#so-{reference}")
    form = part.locator("form", has=page.get_by_role("heading", name=f"Refund part of {reference}"))
    screenshot(page, "partial-owner-order-delivered")

    # when the owner refunds one mug, back on sale, as the wrong item
    form.get_by_label("Reason").select_option(label="Wrong item")
    form.get_by_label("Mug item (MUG)").fill("1")
    form.get_by_label("Put refunded units back on sale").check()
    form.get_by_label("Note", exact=True).fill(
        "Sent a blue mug instead of red; the buyer returned it."
    )
    form.get_by_role("button", name="Issue refund").click()

    # then the refund is the mug and its share of shipping (1250 of 5500 of $5.50 = $1.25)
    expect(page.get_by_role("status")).to_contain_text(f"{reference}: refund issued.")
    refunds = part.locator("ul.refunds")
    expect(refunds.get_by_role("listitem")).to_have_count(1)
    expect(refunds).to_contain_text(
        "$13.75 · Wrong item · 1 \N{MULTIPLICATION SIGN} MUG (back on sale)"
        " — Sent a blue mug instead of red; the buyer returned it."
    )
    expect(_money(page, "Refunded")).to_have_text("$13.75")
    expect(page.get_by_role("region", name="Payment").locator(".badge")).to_have_text(
        "Partially refunded"
    )
    # the seller order is not refunded as a whole: only part of it is
    expect(part.locator(".section-head .badge")).to_have_text("Delivered")
    expect(part.locator("tfoot")).to_contain_text("reversed")
    timeline = page.get_by_role("region", name="Timeline")
    expect(timeline).to_contain_text(f"{reference}: refunded $13.75 for 1 x MUG (wrong_item).")
    expect(timeline).to_contain_text("Paid → Partially refunded")
    screenshot(page, "partial-owner-refunded-one-mug")

    # and the mug is back on sale, the bowl untouched
    assert _stock(api, world, "MUG") == mugs_in_stock + 1
    assert _stock(api, world, "BOWL") == bowls_in_stock

    # when the form is offered again, it offers only the one mug left to refund
    form = part.locator("form", has=page.get_by_role("heading", name=f"Refund part of {reference}"))
    expect(form.get_by_label("Mug item (MUG)")).to_have_attribute("max", "1")
    expect(form.get_by_label("Bowl item (BOWL)")).to_have_attribute("max", "1")

    # when John opens his order
    switch_to(page, world.buyers["john"].user, start_at=f"/dashboard/orders/{number}/")

    # then he sees the same refund and figures, without the marketplace's commission
    part = page.locator(f"#so-{reference}")
    expect(part.locator("ul.refunds")).to_contain_text("$13.75 · Wrong item")
    expect(_money(page, "Refunded")).to_have_text("$13.75")
    expect(part.locator("tfoot")).not_to_contain_text("commission")
    screenshot(page, "partial-buyer-sees-refund")
