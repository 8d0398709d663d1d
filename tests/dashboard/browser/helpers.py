"""What a person does in the dashboard, in a few words: sign in, look at the page."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

DESKTOP = {"width": 1280, "height": 800}
MOBILE = {"width": 390, "height": 844}
SCREENSHOTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "screenshots"


def sign_in(page: Page, user: User, *, start_at: str = "/dashboard/", shot: str = "") -> None:
    """Open a dashboard page, get sent to the sign-in form, fill it in and come back there."""
    page.goto(start_at)
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    if shot:
        screenshot(page, shot)
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def sign_out(page: Page) -> None:
    """Sign out with the top bar's button, so the next party can sign in on the same browser."""
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def switch_to(page: Page, user: User, *, start_at: str = "/dashboard/") -> None:
    """Hand the browser to another party: sign out, then sign in as ``user`` at ``start_at``."""
    sign_out(page)
    sign_in(page, user, start_at=start_at)


def screenshot(page: Page, name: str) -> None:
    """The whole page as a PNG under test-artifacts/screenshots/, for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
