from __future__ import annotations

from django.test import TestCase


class LanguageTests(TestCase):
    def test_bokmal_by_default_even_for_english_browsers(self):
        response = self.client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

        self.assertContains(response, '<html lang="nb">')
        self.assertContains(response, "Logg inn")

    def test_english_when_chosen(self):
        self.client.post("/language/", {"language": "en", "next": "/login/"})

        response = self.client.get("/login/")

        self.assertContains(response, '<html lang="en">')
        self.assertContains(response, "Log in")

    def test_unknown_language_cookie_falls_back_to_bokmal(self):
        self.client.cookies["django_language"] = "xx"

        response = self.client.get("/login/")

        self.assertContains(response, '<html lang="nb">')
