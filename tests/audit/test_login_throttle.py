"""Guessing passwords is slowed down: after a few failures a username (or
an address) is refused for a while, even with the right password."""

from __future__ import annotations

import datetime

from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from audit.models import FailedLogin
from tests.factories import make_user


@override_settings(LOGIN_FAILURE_LIMIT=3, LOGIN_FAILURE_MINUTES=15)
class LoginThrottleTests(TestCase):
    def setUp(self) -> None:
        self.user = make_user("kari")
        self.user.set_password("riktig-passord")
        self.user.save()

    def log_in(self, password: str, username: str = "kari", address: str = "10.0.0.1"):  # type: ignore[no-untyped-def]
        return self.client.post(
            reverse("login"),
            {"username": username, "password": password},
            REMOTE_ADDR=address,
        )

    def test_right_password_is_refused_after_too_many_failures(self):
        for _ in range(3):
            self.assertEqual(self.log_in("feil").status_code, 200)

        response = self.log_in("riktig-passord")

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "For mange mislykkede forsøk")
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_failures_older_than_the_window_do_not_count(self):
        for _ in range(3):
            self.log_in("feil")
        FailedLogin.objects.update(at=timezone.now() - datetime.timedelta(minutes=16))

        response = self.log_in("riktig-passord")

        self.assertEqual(response.status_code, 302)
        self.assertIn("_auth_user_id", self.client.session)

    def test_a_success_clears_the_failures(self):
        self.log_in("feil")
        self.log_in("feil")
        self.log_in("riktig-passord")
        self.client.logout()

        self.log_in("feil")
        response = self.log_in("riktig-passord")

        self.assertEqual(response.status_code, 302)

    def test_another_username_is_not_refused_for_one_users_failures(self):
        other = make_user("per")
        other.set_password("hemmelig-ord")
        other.save()
        for _ in range(3):
            self.log_in("feil")

        response = self.log_in("hemmelig-ord", username="per", address="10.0.0.2")

        self.assertEqual(response.status_code, 302)

    def test_one_address_guessing_many_usernames_is_refused(self):
        for number in range(12):
            self.log_in("feil", username=f"bruker{number}")

        response = self.log_in("riktig-passord")

        self.assertContains(response, "For mange mislykkede forsøk")

    def test_the_username_is_counted_whatever_its_case(self):
        for username in ("kari", "KARI", "Kari"):
            self.log_in("feil", username=username)

        self.assertContains(self.log_in("riktig-passord"), "For mange mislykkede")
