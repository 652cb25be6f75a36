"""A live server on 127.0.0.1 and a Chromium page to drive it.

The page comes from the `browser_page` fixture in conftest.py: one browser
for the whole run, one page per test class.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize

from tests.browser.cast import Cast, make_cast

VENDOR = Path(__file__).resolve().parent / "vendor"
# WCAG 2.1 A and AA, which Norwegian law asks of public-sector web pages.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Best-practice rules on what WCAG 1.3.1 and 2.4 ask of structure: one main
# landmark, all content in landmarks, headings in order.
STRUCTURE_RULES = [
    "heading-order",
    "landmark-one-main",
    "landmark-unique",
    "page-has-heading-one",
    "region",
]
LANGUAGES = ("nb", "en")
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 360, "height": 740}


@dataclass(frozen=True)
class Violation:
    where: str
    rule: str
    impact: str
    help: str
    targets: list[str]

    def __str__(self) -> str:
        return (
            f"{self.where}: {self.rule} ({self.impact}) {self.help} at {self.targets}"
        )


class BrowserTestCase(StaticLiveServerTestCase):
    host = "127.0.0.1"
    axe_path: ClassVar[Path] = VENDOR / "axe-core" / "axe.min.js"
    viewport: ClassVar[ViewportSize] = DESKTOP
    browser: ClassVar[Browser]
    context: ClassVar[BrowserContext]
    page: ClassVar[Page]
    cast: Cast

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.context = cls.browser.new_context(
            viewport=cls.viewport, locale="en-GB", timezone_id="Europe/Oslo"
        )
        cls.context.add_init_script(path=str(cls.axe_path))
        cls.page = cls.context.new_page()

    @classmethod
    def tearDownClass(cls) -> None:
        cls.context.close()
        # The browser's keep-alive connections each hold a server thread
        # that uses the test database; let them end before the server and
        # the database go away.
        for thread in threading.enumerate():
            if "process_request_thread" in thread.name:
                thread.join(timeout=10)
        super().tearDownClass()

    def setUp(self) -> None:
        self.cast = make_cast()
        self.page.context.clear_cookies()
        self.page.set_viewport_size(self.viewport)

    def url(self, path: str) -> str:
        return self.live_server_url + path

    def log_in(self, user: AbstractBaseUser | None, language: str = "nb") -> None:
        """Start a session for this user (None: anonymous) in this language."""
        self.page.context.clear_cookies()
        cookies = [self.cookie(settings.LANGUAGE_COOKIE_NAME, language)]
        if user is not None:
            client = Client()
            client.force_login(user)
            session = client.cookies[settings.SESSION_COOKIE_NAME].value
            cookies.append(self.cookie(settings.SESSION_COOKIE_NAME, session))
        self.page.context.add_cookies(cookies)  # type: ignore[arg-type]

    def cookie(self, name: str, value: str) -> dict[str, Any]:
        return {"name": name, "value": value, "url": self.live_server_url}

    def axe(self, where: str) -> list[Violation]:
        """Run axe-core on the page as it is now; its violations."""
        options = {
            "runOnly": {"type": "tag", "values": WCAG_TAGS},
            "rules": {rule: {"enabled": True} for rule in STRUCTURE_RULES},
            "resultTypes": ["violations"],
        }
        results = self.page.evaluate(
            "options => axe.run(document, JSON.parse(options))", json.dumps(options)
        )
        return [
            Violation(
                where=where,
                rule=item["id"],
                impact=item["impact"] or "",
                help=item["help"],
                targets=[str(node["target"]) for node in item["nodes"]],
            )
            for item in results["violations"]
        ]

    def assert_no_violations(self, violations: list[Violation]) -> None:
        report = "\n".join(str(v) for v in violations)
        self.assertEqual(violations, [], f"axe found:\n{report}")
