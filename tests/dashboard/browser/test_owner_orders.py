"""The marketplace owner finds orders: search, filters, the URL that keeps them, the order page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from tests import clock
from tests.builders import World, pay, place_order
from tests.dashboard.browser.helpers import DESKTOP, MOBILE, screenshot, sign_in
from tradepost.orders.selectors import OrderBundle
from tradepost.orders.services import seller_order_acknowledge


@dataclass
class Orders:
    world: World
    john_mug: str
    jane_tee: str
    john_mixed: str
    jane_unpaid: str


@pytest.fixture
def orders(world: World) -> Orders:
    """Four orders placed over the last days, by two buyers, across two sellers."""

    def placed(hours_ago: int, lines: dict[str, int], buyer: str, *, paid: bool) -> OrderBundle:
        with clock.earlier(timedelta(hours=hours_ago)):
            bundle = place_order(world, lines, buyer=buyer)
            return pay(world, bundle) if paid else bundle

    john_mug = placed(50, {"MUG": 2}, "john", paid=True)  # past the 48 h to acknowledge: late
    jane_tee = placed(26, {"TEE": 1}, "jane", paid=True)
    bolt_part = jane_tee.seller_orders[0].seller_order.reference
    seller_order_acknowledge(actor=world.members["bolt"].actor, reference=bolt_part)
    john_mixed = placed(3, {"BOWL": 1, "CAP": 2}, "john", paid=True)
    jane_unpaid = placed(1, {"MUG": 1}, "jane", paid=False)
    numbers = (bundle.order.number for bundle in (john_mug, jane_tee, john_mixed, jane_unpaid))
    return Orders(world, *numbers)


def expect_listed(page: Page, *numbers: str) -> None:
    """The list shows exactly these orders, in this order (newest first unless sorted)."""
    expect(page.locator(".order-row .number")).to_have_text([f"#{n}" for n in numbers])


def test_owner_searches_filters_and_opens_an_order(page: Page, orders: Orders) -> None:
    # given the owner signed in through the sign-in form
    sign_in(page, orders.world.owner.user, shot="sign-in")
    expect(page.get_by_role("heading", name="Orders")).to_be_visible()
    expect_listed(page, orders.jane_unpaid, orders.john_mixed, orders.jane_tee, orders.john_mug)
    screenshot(page, "owner-orders-list")
    page.evaluate("window.sameDocument = true")  # gone if anything reloads the page

    # when the owner types a buyer's name into the search box
    page.get_by_label("Search").press_sequentially("jane")

    # then the list narrows in place and the URL says what it shows
    expect_listed(page, orders.jane_unpaid, orders.jane_tee)
    expect(page).to_have_url(re.compile(r"[?&]q=jane(&|$)"))
    assert page.evaluate("window.sameDocument === true"), "the search reloaded the page"
    screenshot(page, "owner-orders-search-jane")

    # when the page is reloaded, the same search and list come back
    page.reload()
    expect(page.get_by_label("Search")).to_have_value("jane")
    expect_listed(page, orders.jane_unpaid, orders.jane_tee)

    # when the owner narrows to processing orders, then goes back
    page.get_by_label("Status").select_option(label="Processing")
    expect_listed(page, orders.jane_tee)
    expect(page).to_have_url(re.compile(r"[?&]status=processing(&|$)"))
    page.go_back()

    # then the list before the status filter is back
    expect_listed(page, orders.jane_unpaid, orders.jane_tee)
    expect(page.get_by_label("Status")).to_have_value("")

    # when the search is cleared and the owner picks one seller
    page.get_by_label("Search").fill("")
    expect_listed(page, orders.jane_unpaid, orders.john_mixed, orders.jane_tee, orders.john_mug)
    page.get_by_label("Seller").select_option(label="Bolt")

    # then only orders with a part from that seller remain
    expect_listed(page, orders.john_mixed, orders.jane_tee)
    expect(page).to_have_url(re.compile(r"[?&]seller=bolt(&|$)"))
    screenshot(page, "owner-orders-seller-bolt")
    page.set_viewport_size(MOBILE)
    screenshot(page, "owner-orders-seller-bolt-mobile-390")
    page.set_viewport_size(DESKTOP)

    # when the owner opens an order from two sellers
    page.get_by_role("link", name=f"#{orders.john_mixed}").click()

    # then it shows the buyer, each seller's items and the timeline
    expect(page.get_by_role("heading", name=f"#{orders.john_mixed}")).to_be_visible()
    buyer = page.get_by_role("region", name="Buyer")
    expect(buyer).to_contain_text("John Doe")
    expect(buyer).to_contain_text("john@buyers.test")
    expect(buyer).to_contain_text("1 Main St")
    acme = page.get_by_role("region", name=re.compile(r"^Acme"))
    expect(acme.get_by_role("row", name=re.compile("Bowl item"))).to_contain_text("$30.00")
    bolt = page.get_by_role("region", name=re.compile(r"^Bolt"))
    expect(bolt.get_by_role("row", name=re.compile("Cap item"))).to_contain_text("2")
    timeline = page.get_by_role("region", name="Timeline")
    expect(timeline.get_by_role("listitem")).not_to_have_count(0)
    expect(timeline).to_contain_text("Order placed with 2 sellers.")
    expect(timeline).to_contain_text("Pending → Paid")
    screenshot(page, "owner-order-detail-two-sellers")

    # when the owner goes back to the list
    page.go_back()

    # then the filtered list is shown as it was, as a whole page
    expect(page.get_by_role("heading", name="Orders")).to_be_visible()
    expect(page.get_by_label("Seller")).to_have_value("bolt")
    expect_listed(page, orders.john_mixed, orders.jane_tee)


FOCUSED = """() => {
    const element = document.activeElement;
    return {
        stop: element.id || element.getAttribute("href") || element.tagName.toLowerCase(),
        outlined: getComputedStyle(element).outlineStyle !== "none",
    };
}"""


def test_keyboard_reaches_the_search_box_and_the_first_order(page: Page, orders: Orders) -> None:
    # given the owner on the orders list
    sign_in(page, orders.world.owner.user)
    first_order = f"/dashboard/orders/{orders.jane_unpaid}/"

    # when the owner presses Tab once
    page.keyboard.press("Tab")

    # then the skip link comes first and shows itself
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    screenshot(page, "keyboard-skip-link")

    # when the owner follows it and tabs on
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    stops: list[dict[str, str | bool]] = []
    while len(stops) < 25 and (not stops or stops[-1]["stop"] != first_order):
        page.keyboard.press("Tab")
        stops.append(page.evaluate(FOCUSED))

    # then the search box comes within a few stops, then the first order, each visibly focused
    # (a date box takes several presses through Chromium's own parts; judge it on arrival)
    arrivals = {stop["stop"]: stop["outlined"] for stop in reversed(stops)}
    order = list(dict.fromkeys(stop["stop"] for stop in stops))
    assert "id_q" in order[:7], order  # past the counters (three of orders, two of disputes)
    assert order[-1] == first_order, order
    assert all(arrivals.values()), arrivals
    screenshot(page, "keyboard-first-order-focused")

    # when the owner presses Enter on it
    page.keyboard.press("Enter")

    # then the order opens
    expect(page.get_by_role("heading", name=f"#{orders.jane_unpaid}")).to_be_visible()
