"""An in-place (htmx) request that fails says so on the page."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from tests.browser.base import BrowserTestCase


class InPlaceErrorTests(BrowserTestCase):
    def test_a_refused_in_place_save_says_why(self):
        self.log_in(self.cast.leader.user)
        self.page.goto(self.url(reverse("profiles:team-expectations")))
        # The security token no longer matches, as after logging in again
        # in another tab while this page stayed open.
        self.page.context.add_cookies(
            [self.cookie(settings.CSRF_COOKIE_NAME, "x" * 32)]  # type: ignore[list-item]
        )

        self.page.locator("#team-expectations select").first.select_option("4")
        self.page.locator("#save-expectations").click()

        error = self.page.locator("#app-request-error")
        error.get_by_text("ingenting ble lagret", exact=False).wait_for()
        self.assertIn("Last siden på nytt", error.inner_text())
        self.assertEqual(self.axe("the error after a refused save"), [])
