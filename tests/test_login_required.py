"""Every page but the login page asks an anonymous visitor to log in.

The list of URLs comes from the URL configuration, so a new page is
covered without anyone adding it here.
"""

from __future__ import annotations

import re

from django.test import TestCase
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = {"login", "set-language"}


def walk(patterns, prefix=""):  # type: ignore[no-untyped-def]
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern).startswith("admin/"):
                continue  # Django's admin guards itself.
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield pattern.name, prefix + str(pattern.pattern)


def concrete(route: str) -> str:
    return "/" + re.sub(r"<(?:\w+:)?\w+>", "1", route).lstrip("^").rstrip("$")


class LoginRequiredTests(TestCase):
    def test_every_page_redirects_anonymous_to_login(self):
        routes = [
            (n, r) for n, r in walk(get_resolver().url_patterns) if n not in PUBLIC
        ]
        self.assertGreater(len(routes), 5)

        for name, route in routes:
            with self.subTest(name=name):
                response = self.client.get(concrete(route))

                self.assertEqual(response.status_code, 302, route)
                self.assertTrue(response["Location"].startswith("/login/"), route)

    def test_login_page_is_public(self):
        self.assertEqual(self.client.get("/login/").status_code, 200)
