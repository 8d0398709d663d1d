"""A return walked in the browser: the buyer asks with a photo, the seller authorises, the buyer
adds the return tracking, the seller receives the parcel and refunds the returned item."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth.models import User
from playwright.sync_api import Locator, Page, expect

from tests.builders import World
from tests.dashboard.browser.helpers import screenshot, sign_in
from tests.messaging import files
from tests.payments.flows import delivered_order, reference_of
from tradepost.orders.models import SellerOrder


def _as(page: Page, user: User, number: str) -> Locator:
    """Hand the browser to ``user`` (a fresh session) on the order page; its returns panel."""
    page.context.clear_cookies()
    sign_in(page, user, start_at=f"/dashboard/orders/{number}/")
    return page.locator(".returns")


def _open(panel: Locator, summary: str) -> Locator:
    """Open a folded form by its summary; the form inside."""
    details = panel.locator("details", has=panel.page.get_by_text(summary, exact=True))
    details.locator("summary").click()
    return details.locator("form")


def test_buyer_returns_a_damaged_item_and_is_refunded(
    page: Page, world: World, tmp_path: Path
) -> None:
    # given: two mugs delivered to john; one is cracked, and he has a photo of it
    bundle = delivered_order(world, {"MUG": 2})
    number, reference = bundle.order.number, reference_of(bundle)
    photo = tmp_path / "cracked-mug.png"
    photo.write_bytes(files.png())

    # when the buyer asks to return one mug, with the photo
    returns = _as(page, world.buyers["john"].user, number)
    form = _open(returns, "Request a return")
    form.get_by_label("Reason").select_option("damaged")
    form.get_by_label("Mug item").fill("1")
    form.get_by_label("What is wrong?").fill("The handle came off in the box.")
    form.get_by_label("Photos, videos or PDFs of the item").set_input_files(str(photo))
    form.get_by_role("button", name="Send return request").click()

    # then the return waits for the seller, with the photo attached
    expect(page.get_by_role("status")).to_contain_text(f"{reference}: return requested")
    expect(returns.locator(".badge")).to_have_text("Requested")
    expect(returns.get_by_role("link", name="cracked-mug.png")).to_be_visible()
    screenshot(page, "buyer-return-requested")

    # when the seller authorises it with the return address
    returns = _as(page, world.members["acme"].user, number)
    form = _open(returns, "Authorise return")
    form.get_by_label("Return address").fill("Acme Returns, 2 Dock Road, Springfield")
    form.get_by_label("Instructions").fill("Use the original box.")
    form.get_by_role("button", name="Authorise return").click()
    expect(page.get_by_role("status")).to_contain_text("return authorised")
    expect(returns.locator(".badge")).to_have_text("Authorized")

    # when the buyer sends it back and gives the tracking
    returns = _as(page, world.buyers["john"].user, number)
    expect(returns.locator(".return-address")).to_contain_text("2 Dock Road")
    form = _open(returns, "I sent it back")
    form.get_by_label("Return carrier").fill("UPS")
    form.get_by_label("Return tracking number").fill("1ZRETURN01")
    form.get_by_label("Return tracking URL").fill("https://track.example/1ZRETURN01")
    form.get_by_role("button", name="I sent it back").click()
    expect(page.get_by_role("status")).to_contain_text("return on its way back")
    expect(returns.get_by_role("link", name="1ZRETURN01")).to_have_attribute(
        "href", "https://track.example/1ZRETURN01"
    )
    screenshot(page, "buyer-return-shipped-back")

    # when the seller receives the parcel and refunds the returned mug
    returns = _as(page, world.members["acme"].user, number)
    _open(returns, "Mark received").get_by_role("button", name="Mark received").click()
    expect(returns.locator(".badge")).to_have_text("Received")
    form = _open(returns, "Refund returned items")
    form.get_by_label("Inspection note").fill("Handle broken, as the photo shows.")
    form.get_by_label("Put returned units back on sale").uncheck()
    form.get_by_role("button", name="Refund returned items").click()

    # then the return is refunded and the money shows on the order
    expect(page.get_by_role("status")).to_contain_text("returned items refunded")
    expect(returns.locator(".badge")).to_have_text("Refunded")
    expect(returns.locator(".return-refund")).to_contain_text("Refunded $12.50")
    # the seller order's refunds list it, with the returned unit
    expect(page.locator(f"#after-sale-{reference} .refunds")).to_contain_text(
        "$12.50 · Damaged · 1 \N{MULTIPLICATION SIGN} MUG"
    )
    screenshot(page, "seller-return-refunded")
    part = SellerOrder.objects.get(reference=reference)
    assert part.refunded_amount == 1250
