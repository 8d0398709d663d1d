"""A seller fulfils an order and the buyer confirms it, in the browser, as each of them sees it."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from tests.builders import World, pay, place_order
from tests.dashboard.browser.helpers import DESKTOP, MOBILE, screenshot, sign_in
from tradepost.orders.services import Parcel, seller_order_acknowledge, shipment_create


def _paid(world: World, lines: dict[str, int], buyer: str = "john") -> tuple[str, str]:
    """A paid order from one seller: its number and its seller order's reference."""
    bundle = pay(world, place_order(world, lines, buyer=buyer))
    return bundle.order.number, bundle.seller_orders[0].seller_order.reference


def _part(page: Page, reference: str) -> Locator:
    """One seller's section of the order page."""
    return page.locator(f"#so-{reference}")


def _status(part: Locator) -> Locator:
    """The status badge in the heading of a seller's section."""
    return part.locator(".section-head .badge")


def test_seller_acknowledges_from_the_queue_and_ships_with_tracking(
    page: Page, world: World
) -> None:
    # given a new paid order for Acme
    number, reference = _paid(world, {"MUG": 2})

    # when Acme's member signs in
    sign_in(page, world.members["acme"].user)

    # then the seller lands on the work queue with the order to acknowledge
    expect(page).to_have_url(re.compile(r"/dashboard/queue/$"))
    to_acknowledge = page.get_by_role("region", name="New orders to acknowledge")
    expect(to_acknowledge.get_by_role("link", name=f"#{number}")).to_be_visible()
    expect(to_acknowledge).to_contain_text("2 \N{MULTIPLICATION SIGN} Mug item")
    expect(page.get_by_role("region", name="Orders to ship")).to_contain_text("Nothing to ship.")
    screenshot(page, "seller-queue-new-order")

    # when the seller acknowledges it with one click
    page.get_by_role("button", name=f"Acknowledge {reference}").click()

    # then the queue says so and the order waits to be shipped
    expect(page.get_by_role("status")).to_contain_text(
        f"{reference}: acknowledged; it is now processing."
    )
    expect(to_acknowledge).to_contain_text("Nothing to acknowledge.")
    to_ship = page.get_by_role("region", name="Orders to ship")
    expect(to_ship.get_by_role("link", name=f"#{number}")).to_be_visible()
    screenshot(page, "seller-queue-acknowledged")

    # when the seller opens the order and ships it with carrier, tracking number and URL
    to_ship.get_by_role("link", name=f"#{number}").click()
    part = _part(page, reference)
    expect(_status(part)).to_have_text("Processing")
    screenshot(page, "seller-order-processing")
    form = part.locator("form", has=page.get_by_role("heading", name="Ship a parcel"))
    form.get_by_label("Carrier").fill("UPS")
    form.get_by_label("Tracking number").fill("1Z999AA10123456784")
    form.get_by_label("Tracking URL").fill("https://track.example/1Z999AA10123456784")
    form.get_by_role("button", name="Ship").click()

    # then the order shows shipped, with the parcel's tracking link
    expect(page.get_by_role("status")).to_contain_text(f"{reference}: parcel recorded.")
    expect(_status(part)).to_have_text("Shipped")
    tracking = part.get_by_role("link", name="1Z999AA10123456784")
    expect(tracking).to_have_attribute("href", "https://track.example/1Z999AA10123456784")
    expect(part.locator(".parcels")).to_contain_text("UPS")
    expect(part.get_by_role("button", name="Mark delivered")).to_be_visible()
    screenshot(page, "seller-order-shipped")


def test_buyer_follows_the_parcel_and_confirms_delivery(page: Page, world: World) -> None:
    # given an order Acme has shipped with tracking
    number, reference = _paid(world, {"BOWL": 1})
    seller = world.members["acme"].actor
    seller_order_acknowledge(actor=seller, reference=reference)
    shipment_create(
        actor=seller,
        reference=reference,
        parcel=Parcel("DHL", "JD014600006281", "https://track.example/JD014600006281"),
    )
    sign_in(page, world.buyers["john"].user)
    expect(page.get_by_role("heading", name="My orders")).to_be_visible()
    screenshot(page, "buyer-my-orders")

    # when the buyer opens the order
    page.get_by_role("link", name=f"#{number}").click()

    # then the progress line stands at shipped, with the carrier and the tracking link
    part = _part(page, reference)
    progress = part.get_by_role("list", name=f"Progress of {reference}")
    expect(progress.locator('[aria-current="step"]')).to_have_text("Shipped")
    expect(part.locator(".parcels")).to_contain_text("DHL")
    expect(part.get_by_role("link", name="JD014600006281")).to_have_attribute(
        "href", "https://track.example/JD014600006281"
    )
    screenshot(page, "buyer-order-shipped")
    page.set_viewport_size(MOBILE)
    screenshot(page, "buyer-order-shipped-mobile-390")
    page.set_viewport_size(DESKTOP)

    # when the buyer confirms delivery
    part.get_by_role("button", name="Confirm delivery").click()

    # then the order is completed
    expect(page.get_by_role("status")).to_contain_text(f"{reference}: delivery confirmed")
    expect(page.locator(".page-head .badge").first).to_have_text("Completed")
    expect(progress.locator('[aria-current="step"]')).to_have_text("Completed")
    expect(part.get_by_role("button", name="Confirm delivery")).to_have_count(0)
    screenshot(page, "buyer-order-completed")


def test_a_seller_cannot_open_another_sellers_order(page: Page, world: World) -> None:
    # given an order only Bolt sells into
    number, _ = _paid(world, {"TEE": 1}, buyer="jane")
    sign_in(page, world.members["acme"].user)

    # when Acme's member types its address
    response = page.goto(f"/dashboard/orders/{number}/")

    # then there is nothing there for them
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(number)
    expect(page.locator("main")).not_to_contain_text("Jane")
    screenshot(page, "seller-other-sellers-order-not-found")


def test_form_errors_show_next_to_their_field(page: Page, world: World) -> None:
    # given an order Acme has acknowledged
    number, reference = _paid(world, {"MUG": 1})
    seller_order_acknowledge(actor=world.members["acme"].actor, reference=reference)
    sign_in(page, world.members["acme"].user, start_at=f"/dashboard/orders/{number}/")
    part = _part(page, reference)
    ship = part.locator("form", has=page.get_by_role("heading", name="Ship a parcel"))
    cancel = part.locator("form", has=page.get_by_role("heading", name="Cancel", exact=True))

    # when the seller ships without a carrier
    ship.get_by_role("button", name="Ship").click()

    # then the browser stops at the carrier field and nothing is sent
    carrier = ship.get_by_label("Carrier")
    assert carrier.evaluate("field => field.validationMessage")
    expect(carrier).to_be_focused()
    expect(page).to_have_url(re.compile(rf"/dashboard/orders/{number}/$"))

    # when the seller ships with a carrier but no tracking number (this marketplace needs one)
    carrier.fill("UPS")
    ship.get_by_role("button", name="Ship").click()

    # then the tracking number field says why, and the order is still processing
    tracking = ship.get_by_label("Tracking number")
    expect(tracking).to_have_attribute("aria-invalid", "true")
    tracking_error = ship.locator(f"#{reference}-tracking_number-error")
    expect(tracking_error).to_have_text("Tracking number is required by this marketplace.")
    expect(tracking).to_have_attribute("aria-describedby", f"{reference}-tracking_number-error")
    expect(carrier).to_have_value("UPS")
    expect(_status(part)).to_have_text("Processing")
    screenshot(page, "seller-ship-error-tracking-number")

    # when the seller cancels without giving a reason
    cancel.get_by_role("button", name=f"Cancel {reference}").click()

    # then the reason field says it is required, and nothing was canceled
    reason = cancel.get_by_label("Reason")
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(cancel.locator(f"#{reference}-reason-error")).to_contain_text("is required")
    expect(_status(part)).to_have_text("Processing")
    screenshot(page, "seller-cancel-error-reason")
