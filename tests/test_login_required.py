"""Every page but the login page asks an anonymous visitor to log in.

The list of URLs comes from the URL configuration, so a new page is
covered without anyone adding it here.
"""

from __future__ import annotations

from django.test import TestCase

from tests.routes import concrete, walk

PUBLIC = {"login", "set-language"}


class LoginRequiredTests(TestCase):
    def test_every_page_redirects_anonymous_to_login(self):
        routes = [(n, r) for n, r in walk() if n not in PUBLIC]
        self.assertGreater(len(routes), 5)

        for name, route in routes:
            with self.subTest(name=name):
                response = self.client.get(concrete(route))

                self.assertEqual(response.status_code, 302, route)
                self.assertTrue(response["Location"].startswith("/login/"), route)

    def test_login_page_is_public(self):
        self.assertEqual(self.client.get("/login/").status_code, 200)

    def test_htmx_request_sends_the_whole_page_to_login(self):
        # Following a redirect, htmx would swap the login page into the
        # part of the page it updates (the team grid, a comment thread).
        response = self.client.post(
            "/team/expectations/?page=2",
            headers={
                "HX-Request": "true",
                "HX-Current-URL": "http://testserver/team/expectations/?page=2",
            },
        )

        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response["HX-Redirect"], "/login/?next=/team/expectations/%3Fpage%3D2"
        )
