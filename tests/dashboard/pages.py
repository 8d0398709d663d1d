"""Signing in to the dashboard as a test party, and reading what a page shows."""

from __future__ import annotations

import re

from django.test import Client

from tests.builders import Party


def signed_in(party: Party) -> Client:
    client = Client()
    assert client.login(username=party.user.username, password="pw")
    return client


def order_numbers(html: str) -> list[str]:
    """The order numbers of the list rows, in the order shown."""
    return re.findall(r'<span class="number">#(ORD-\d+)</span>', html)


def buttons(html: str) -> list[str]:
    """The captions of the submit buttons in the page's main area, but for the message forms
    that every thread has (tests/dashboard/test_messages_page.py reads those)."""
    main = html.split('<main id="main"', 1)[1]
    main = re.sub(r'<section class="thread".*?</section>', "", main, flags=re.DOTALL)
    return [caption.strip() for caption in re.findall(r'<button type="submit"[^>]*>([^<]+)<', main)]
