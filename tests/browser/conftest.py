"""One headless Chromium for all browser tests, kept off the network.

Debian's Chromium is used instead of a browser Playwright downloads, so the
tests need nothing from outside the package registries. Without Chromium
the browser tests skip, unless KOMPETANSE_REQUIRE_TOOLS is set (CI sets
it), which turns the missing browser into an error (see tests/tools.py).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.browser.base import BrowserTestCase
from tests.tools import missing_tool

CHROMIUM = Path("/usr/bin/chromium")
# Headless, and nothing that phones home: no updates, sync or QUIC probes.
# Playwright gives every launch a fresh temporary user data directory.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-default-apps",
    "--disable-extensions",
]


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        missing_tool(f"no browser: {CHROMIUM} is missing (apt-get install chromium)")
    # Playwright's sync API keeps an event loop on the main thread, which
    # makes Django refuse ORM calls there; the tests themselves are
    # synchronous, so the check is switched off for this package only.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=FLAGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="class", autouse=True)
def class_browser(request: pytest.FixtureRequest) -> None:
    """Hand the browser to browser test classes, before their setUpClass."""
    cls = request.cls
    if cls is not None and issubclass(cls, BrowserTestCase):
        cls.browser = request.getfixturevalue("browser")
