"""Browser tests: Debian's Chromium, driven by Playwright's sync API, against a live Django server.

The server is pytest-django's ``live_server`` (a thread in this process, transactional database),
so data built through the services in a test is committed and visible to the pages it opens.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

from tests.dashboard.browser.helpers import DESKTOP

CHROMIUM = Path("/usr/bin/chromium")
# The machine has no outside network: keep Chromium from reaching for updates, sync and the like.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One Chromium per test module, with Django's async-safety check off while it runs.

    Playwright's sync API runs its asyncio loop in a greenlet of the main thread, so while the
    browser is up ``asyncio.get_running_loop()`` finds that loop in the thread where the test
    body and the database fixtures run; Django's ``async_unsafe`` guard then refuses every ORM
    call there (building data, the flush after each transactional test) with
    SynchronousOnlyOperation. The guard exists to stop blocking calls inside a coroutine; our
    calls are plain synchronous code while Playwright's loop is parked, so blocking is what we
    want. ``DJANGO_ALLOW_ASYNC_UNSAFE`` is set only for the browser's lifetime (module scope, so
    it is gone before pytest moves on to another module's tests in the same process), and the
    live server's request threads never see a running loop at all.
    """
    if not CHROMIUM.exists():
        message = f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A fresh browser profile per test (no cookies, no htmx history), pointed at the server."""
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    # Generous: a wait only lasts this long when something is wrong, and a loaded 2-core CI
    # machine can take seconds to serve a page that takes milliseconds when it is idle.
    context.set_default_timeout(15_000)
    expect.set_options(timeout=15_000)
    page = context.new_page()
    broken: list[str] = []
    page.on("pageerror", lambda error: broken.append(f"script error: {error}"))
    page.on(
        "response",
        lambda response: (
            broken.append(f"{response.status} {response.url}")
            if "/static/" in response.url and response.status >= 400
            else None
        ),
    )
    yield page
    context.close()
    assert not broken, f"the pages had broken scripts or assets: {broken}"
