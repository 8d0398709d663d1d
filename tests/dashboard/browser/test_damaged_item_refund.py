"""Seed scenario "damaged item refunded with proof", walked in the browser by each party.

The buyer of a delivered order asks for a refund of the broken unit with a photo; the seller
opens the photo from the order page and approves; the buyer sees the refund and the payment
status move. Every step is a click or a form in the dashboard.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from tests.builders import World
from tests.dashboard.browser.helpers import screenshot, sign_in, switch_to
from tests.messaging import files
from tests.payments.flows import delivered_order, reference_of

PHOTO = files.png(width=4, height=3)


def _part(page: Page, reference: str) -> Locator:
    return page.locator(f"#so-{reference}")


def _form(part: Locator, heading: str) -> Locator:
    return part.locator("form", has=part.page.get_by_role("heading", name=heading, exact=True))


def test_buyer_sends_a_photo_seller_approves_and_the_buyer_is_refunded(
    page: Page, world: World
) -> None:
    # given two mugs delivered to John, one of them broken
    bundle = delivered_order(world, {"MUG": 2})
    number, reference = bundle.order.number, reference_of(bundle)
    order_page = f"/dashboard/orders/{number}/"

    # when John opens the order
    sign_in(page, world.buyers["john"].user, start_at=order_page)

    # then the refund policy and the time left to ask are on the page, with the request form
    expect(page.get_by_role("heading", name="Refund policy")).to_be_visible()
    expect(page.locator(".refund-policy")).to_contain_text("30 days after delivery")
    part = _part(page, reference)
    expect(part.locator(".refund-window")).to_contain_text("Refunds may be requested until")
    request_form = _form(part, "Request a refund")
    screenshot(page, "damaged-buyer-order-delivered")

    # when John asks for one mug back as damaged, with a photo of it
    request_form.get_by_label("Reason").select_option(label="Damaged")
    request_form.get_by_label("Mug item").fill("1")
    request_form.get_by_label("What happened?").fill("The handle came off in the box.")
    request_form.get_by_label("Photos or videos of the item").set_input_files(
        {"name": "broken-handle.png", "mimeType": "image/png", "buffer": PHOTO}
    )
    request_form.get_by_role("button", name="Send request").click()

    # then the request waits on the seller, with the photo, and no second request can be sent
    expect(page.get_by_role("status")).to_contain_text(
        f"{reference}: refund requested; the seller will answer."
    )
    pending = part.locator(".refund-request")
    expect(pending.locator(".badge")).to_have_text("Requested")
    expect(pending).to_contain_text("Damaged: 1 \N{MULTIPLICATION SIGN} Mug item")
    expect(pending.get_by_role("link", name="broken-handle.png")).to_be_visible()
    expect(_form(part, "Request a refund")).to_have_count(0)
    expect(page.locator(".page-head")).to_contain_text("Payment: Paid")
    screenshot(page, "damaged-buyer-request-sent")

    # when Acme's member opens the same order
    switch_to(page, world.members["acme"].user, start_at=order_page)

    # then the seller sees the request, the buyer's words and the photo, which downloads intact
    part = _part(page, reference)
    request = part.locator(".refund-request")
    expect(request).to_contain_text("The handle came off in the box.")
    with page.expect_download() as download_info:
        request.get_by_role("link", name="broken-handle.png").click()
    download = download_info.value
    assert download.suggested_filename == "broken-handle.png"
    assert Path(download.path()).read_bytes() == PHOTO
    screenshot(page, "damaged-seller-sees-request")

    # when the seller approves it with an apology
    approve = request.locator("form", has=page.get_by_role("button", name="Approve and refund"))
    approve.get_by_label("Note").fill("Sorry about that, refunded.")
    approve.get_by_role("button", name="Approve and refund").click()

    # then the refund is issued for one mug and the commission on it is reversed
    expect(page.get_by_role("status")).to_contain_text(
        f"{reference}: refund request approved; the refund is issued."
    )
    part = _part(page, reference)
    expect(part.locator(".refund-request .badge")).to_have_text("Approved")
    refunds = part.locator("ul.refunds")
    expect(refunds).to_contain_text("$12.50 · Damaged · 1 \N{MULTIPLICATION SIGN} MUG")
    expect(refunds.get_by_role("link", name="broken-handle.png")).to_be_visible()
    expect(part.locator("tfoot")).to_contain_text("$1.25 reversed")
    screenshot(page, "damaged-seller-approved")

    # when John looks at the order again
    switch_to(page, world.buyers["john"].user, start_at=order_page)

    # then he sees the refund, the money it gave back, and the payment partially refunded
    part = _part(page, reference)
    expect(part.locator("ul.refunds")).to_contain_text("$12.50")
    expect(part.locator(".refund-request")).to_contain_text("Approved: Sorry about that, refunded.")
    payment = page.get_by_role("region", name="Payment")
    expect(payment.locator("dt:has-text('Refunded') + dd")).to_have_text("$12.50")
    expect(payment.locator("dt:has-text('Captured') + dd")).to_have_text("$25.00")
    expect(payment.locator(".badge")).to_have_text("Partially refunded")
    expect(part.locator("tfoot")).not_to_contain_text("commission")
    timeline = page.get_by_role("region", name="Timeline")
    expect(timeline).to_contain_text(f"{reference}: refund requested for 1 x MUG (damaged).")
    expect(timeline).to_contain_text(f"{reference}: refunded $12.50 for 1 x MUG (damaged).")
    screenshot(page, "damaged-buyer-refunded")
