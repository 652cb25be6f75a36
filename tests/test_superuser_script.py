"""A script can create an administrator the standard Django way and then
log in through the login form."""

from __future__ import annotations

from io import StringIO
from unittest import mock

from django.contrib.auth import SESSION_KEY, get_user_model
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse


class SuperuserScriptTests(TestCase):
    @mock.patch.dict(
        "os.environ",
        {
            "DJANGO_SUPERUSER_USERNAME": "drift",
            "DJANGO_SUPERUSER_PASSWORD": "Et-langt-passord-42",
            "DJANGO_SUPERUSER_EMAIL": "drift@example.org",
        },
    )
    def test_createsuperuser_noinput_then_the_login_form(self):
        call_command("createsuperuser", interactive=False, stdout=StringIO())

        user = get_user_model().objects.get(username="drift")
        self.assertTrue(user.is_superuser)
        self.assertEqual(user.email, "drift@example.org")

        response = self.client.post(
            reverse("login"),
            {"username": "drift", "password": "Et-langt-passord-42"},
        )

        self.assertEqual(response.status_code, 302)
        self.assertEqual(str(user.pk), self.client.session[SESSION_KEY])
        self.assertEqual(self.client.get("/admin/").status_code, 200)
