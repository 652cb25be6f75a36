"""A live server on 127.0.0.1 and a Chromium page to drive it.

The browser comes from the `browser` fixture in conftest.py, one for the
whole run; each test class opens one page in it and reuses it.
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
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Response,
    Route,
    ViewportSize,
)
from playwright.sync_api import Error as PlaywrightError

from catalogue.models import Framework
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


# The outermost elements that stick out of the screen, outside any region
# that scrolls on its own.
WIDER_THAN_SCREEN = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  const scrolls = (el) => ["auto", "scroll"].includes(getComputedStyle(el).overflowX);
  const wide = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (el.getBoundingClientRect().right <= width + 1) continue;
    if (wide.some((outer) => outer.contains(el))) continue;
    // The body scrolls too (Punkt sets its overflow): only regions count.
    let up = el.parentElement, inside = false;
    for (; up && up !== document.body; up = up.parentElement) {
      if (scrolls(up)) { inside = true; break; }
    }
    if (!inside) wide.push(el);
  }
  const found = wide.map((el) => el.outerHTML.slice(0, 120));
  return found.length ? found : ["(the page is wider than the screen)"];
}"""

# Text nodes holding framework text whose nearest lang is another language.
UNMARKED = """([texts, language]) => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.replace(/\\s+/g, " ").trim();
    if (!texts.some((t) => text.includes(t))) continue;
    // An attribute, not .lang: SVG elements have no such property.
    const marked = node.parentElement.closest("[lang]");
    const marking = marked && marked.getAttribute("lang");
    if (marking !== language) found.push(text.slice(0, 80));
  }
  return found;
}"""


def framework_texts(framework: Framework) -> list[str]:
    """The framework's own words as pages show them; short ones (a level
    number) would match anything."""
    texts = {framework.name, framework.scale.name}
    for competence in framework.competences.all():
        texts |= {competence.name, competence.description}
    texts |= set(framework.indicators.values_list("text", flat=True))
    for level in framework.scale.levels.all():
        texts |= {level.name, level.description}
    return sorted(" ".join(t.split()) for t in texts if len(t) >= 5)


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
    outside: ClassVar[list[str]]
    cast: Cast

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.context = cls.browser.new_context(
            viewport=cls.viewport, locale="en-GB", timezone_id="Europe/Oslo"
        )
        cls.context.add_init_script(path=str(cls.axe_path))
        # Nothing leaves the machine: requests for other hosts are refused
        # and noted, since a page must not depend on (or leak to) them.
        cls.outside = []
        cls.context.route(
            lambda url: not url.startswith(cls.live_server_url),
            lambda route: cls.refuse(route),
        )
        cls.page = cls.context.new_page()

    @classmethod
    def refuse(cls, route: Route) -> None:
        cls.outside.append(route.request.url)
        route.abort()

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
        self.outside.clear()
        self.addCleanup(self.assert_nothing_outside)

    def assert_nothing_outside(self) -> None:
        self.assertEqual(self.outside, [], "The pages asked other hosts for these")

    def url(self, path: str) -> str:
        return self.live_server_url + path

    def open_page(self, path: str) -> Response | None:
        """Open the address; None when what answers is no page: an action
        that only takes a POST, a download, JSON."""
        try:
            response = self.page.goto(self.url(path))
        except PlaywrightError as error:
            if "Download is starting" in error.message:
                return None
            raise
        assert response is not None
        html = response.headers.get("content-type", "").startswith("text/html")
        if response.status == 405 or not html:
            return None
        return response

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

    def reflow(self, where: str) -> list[Violation]:
        """Whether the page body scrolls sideways on a phone; wide tables
        may scroll inside their own region."""
        self.page.set_viewport_size(PHONE)
        try:
            wide = self.page.evaluate(WIDER_THAN_SCREEN)
        finally:
            self.page.set_viewport_size(self.viewport)
        if not wide:
            return []
        help = f"Page scrolls sideways at {PHONE['width']} px"
        return [Violation(where, "reflow (WCAG 1.4.10)", "serious", help, wide)]

    def language_of_parts(self, where: str) -> list[Violation]:
        """Framework text on the page not marked with the framework's
        language (WCAG 3.1.2); meaningful when the UI is in another one."""
        framework = self.cast.framework
        texts = framework_texts(framework)
        unmarked = self.page.evaluate(UNMARKED, [texts, framework.language])
        if not unmarked:
            return []
        help = f"Framework text not inside lang={framework.language!r}"
        return [
            Violation(
                where, "language of parts (WCAG 3.1.2)", "serious", help, unmarked
            )
        ]

    def assert_no_violations(self, violations: list[Violation]) -> None:
        report = "\n".join(str(v) for v in violations)
        self.assertEqual(violations, [], f"axe found:\n{report}")
