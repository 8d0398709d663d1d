"""Seed scenario "chargebacks", walked in the browser: buyer and seller talk about a delivered
order; the buyer's bank then reverses part of the payment; the owner records the chargeback,
builds the evidence pack, downloads its PDF (read back with pypdf: order, items, tracking,
timeline and messages are in it), sends it to the bank and records the ruling, which moves the
money figures.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Locator, Page, expect
from pypdf import PdfReader

from tests import clock
from tests.builders import World
from tests.dashboard.browser.helpers import screenshot, sign_in, switch_to
from tests.disputes.flows import delivered_order, reference_of


def _figure(region: Locator, term: str) -> Locator:
    return region.locator("dl dt", has_text=term).locator("xpath=following-sibling::dd[1]")


def _send_message(page: Page, reference: str, text: str = "", template: str = "") -> None:
    """Write in the seller order's thread on the order page, maybe from a reply template."""
    thread = page.locator(f"#messages-{reference}")
    if template:
        thread.get_by_label("Reply template").select_option(label=template)
        thread.get_by_role("button", name="Insert template").click()
        expect(thread.get_by_role("textbox", name="Message")).not_to_have_value("")
    else:
        thread.get_by_role("textbox", name="Message").fill(text)
    thread.get_by_role("button", name="Send").click()
    expect(page.get_by_role("status")).to_contain_text(f"{reference}: message sent.")


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_owner_answers_a_chargeback_with_the_evidence_pack_and_loses_it(
    page: Page, world: World, tmp_path: Path
) -> None:
    # given two mugs delivered to John (UPS 1Z-FIRST), and a word between him and Acme
    bundle = delivered_order(world, {"MUG": 2})
    number, reference = bundle.order.number, reference_of(bundle)
    order_page = f"/dashboard/orders/{number}/"
    sign_in(page, world.buyers["john"].user, start_at=order_page)
    _send_message(page, reference, "The mugs arrived, thanks. One is a bit scratched.")
    switch_to(page, world.members["acme"].user, start_at=order_page)
    _send_message(page, reference, template="Order delivered")

    # when the owner opens the order and records the chargeback the bank reported
    switch_to(page, world.owner.user, start_at=order_page)
    part = page.locator(f"#so-{reference}")
    part.get_by_text("Record a chargeback").click()
    form = part.locator("form", has=page.get_by_role("button", name="Record chargeback"))
    form.get_by_label("Amount (minor units)").fill("1500")
    form.get_by_label("Reason").select_option(label="Not received")
    form.get_by_label("Respond by (UTC)").fill(f"{clock.ahead(30):%Y-%m-%dT%H:%M}")
    form.get_by_label("Bank reference").fill("CB-77-ALPHA")
    form.get_by_role("button", name="Record chargeback").click()

    # then the chargeback case opens, waiting on the evidence, and no money has moved yet
    expect(page.get_by_role("status")).to_contain_text(f"{reference}: chargeback recorded.")
    expect(page.get_by_role("heading", name="Chargeback case")).to_be_visible()
    chargeback = page.get_by_role("region", name="Chargeback")
    expect(chargeback.locator("h2 .badge")).to_have_text("Needs response")
    expect(_figure(chargeback, "Amount")).to_have_text("$15.00")
    expect(_figure(chargeback, "Bank reference")).to_have_text("CB-77-ALPHA")
    seller_order = page.get_by_role("region", name=reference)
    expect(_figure(seller_order, "Order refunded")).to_have_text("$0.00")
    screenshot(page, "chargeback-owner-recorded")

    # when the owner builds the evidence pack and downloads its PDF
    chargeback.get_by_role("button", name="Build evidence pack").click()
    expect(page.get_by_role("status")).to_contain_text("Case: evidence pack built.")
    packs = chargeback.locator("ul.packs li")
    expect(packs).to_have_count(1)
    with page.expect_download() as download_info:
        packs.get_by_role("link", name="PDF").click()
    download = download_info.value
    assert download.suggested_filename == f"evidence-{number}.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    screenshot(page, "chargeback-owner-pack-built")

    # then the PDF holds the order, its items, the tracking, the timeline and the messages
    text = " ".join(_pdf_text(saved).split())
    for expected in (
        number,
        "CB-77-ALPHA",
        "Mug item",
        "MUG",
        "1Z-FIRST",
        "UPS",
        "Payment of $25.00 captured.",
        f"{reference}: Shipped -> Delivered",
        "The mugs arrived, thanks. One is a bit scratched.",
        "we hope you received your order in perfect condition",
    ):
        assert expected in text, f"{expected!r} is not in the evidence PDF:\n{text[:3000]}"

    # when the owner marks the evidence sent and records that the bank ruled for the buyer
    page.get_by_role("button", name="Mark evidence sent to the bank").click()
    expect(chargeback.locator("h2 .badge")).to_have_text("Evidence submitted")
    ruling = chargeback.locator("form", has=page.get_by_role("heading", name="The bank's ruling"))
    ruling.get_by_label("Lost").check()
    ruling.get_by_label("Note").fill("The bank sided with the cardholder.")
    ruling.get_by_role("button", name="Record outcome").click()

    # then the chargeback is lost: $15.00 taken back, counted as refunded, the case resolved
    expect(page.get_by_role("status")).to_contain_text("Case: outcome recorded.")
    expect(chargeback.locator("h2 .badge")).to_have_text("Lost")
    expect(_figure(chargeback, "Taken back")).to_have_text("$15.00")
    expect(page.locator(".page-head")).to_contain_text("Outcome: Charged back")
    seller_order = page.get_by_role("region", name=reference)
    expect(_figure(seller_order, "Order refunded")).to_have_text("$15.00")
    expect(seller_order.locator(".badge.payment-partially_refunded")).to_have_text(
        "Partially refunded"
    )
    screenshot(page, "chargeback-owner-lost")

    # and the order page's money block and the commission show it
    page.get_by_role("link", name=f"#{number}").click()
    payment = page.get_by_role("region", name="Payment")
    expect(_figure(payment, "Captured")).to_have_text("$25.00")
    expect(_figure(payment, "Refunded")).to_have_text("$15.00")
    expect(payment.locator(".badge")).to_have_text("Partially refunded")
    part = page.locator(f"#so-{reference}")
    expect(part.locator("tfoot")).to_contain_text("$1.50 reversed")
    expect(page.get_by_role("region", name="Timeline")).to_contain_text(
        f"{reference}: chargeback evidence pack built."
    )
    screenshot(page, "chargeback-owner-order-after")


def test_a_won_chargeback_takes_nothing_back(page: Page, world: World) -> None:
    # given a delivered order and a chargeback the owner recorded on it
    bundle = delivered_order(world, {"MUG": 2})
    number, reference = bundle.order.number, reference_of(bundle)
    sign_in(page, world.owner.user, start_at=f"/dashboard/orders/{number}/")
    part = page.locator(f"#so-{reference}")
    part.get_by_text("Record a chargeback").click()
    form = part.locator("form", has=page.get_by_role("button", name="Record chargeback"))
    form.get_by_label("Amount (minor units)").fill("2500")
    form.get_by_label("Reason").select_option(label="Fraudulent")
    form.get_by_label("Respond by (UTC)").fill(f"{clock.ahead(30):%Y-%m-%dT%H:%M}")
    form.get_by_role("button", name="Record chargeback").click()
    chargeback = page.get_by_role("region", name="Chargeback")

    # when the bank rules for the marketplace
    ruling = chargeback.locator("form", has=page.get_by_role("heading", name="The bank's ruling"))
    ruling.get_by_label("Won").check()
    ruling.get_by_role("button", name="Record outcome").click()

    # then nothing is taken back, the case is resolved with no action, the payment stays paid
    expect(chargeback.locator("h2 .badge")).to_have_text("Won")
    expect(page.locator(".page-head")).to_contain_text("Outcome: No action")
    expect(_figure(page.get_by_role("region", name=reference), "Order refunded")).to_have_text(
        "$0.00"
    )
    page.get_by_role("link", name=f"#{number}").click()
    payment = page.get_by_role("region", name="Payment")
    expect(_figure(payment, "Refunded")).to_have_text("$0.00")
    expect(payment.locator(".badge")).to_have_text("Paid")
    screenshot(page, "chargeback-owner-won")
