"""A form posted with a security token that no longer holds."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tests.factories import CastTestCase


class CsrfFailureTests(CastTestCase):
    def test_a_stale_token_gets_the_sites_page_with_what_to_do(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.leader.user)

        response = client.post(reverse("profiles:team-expectations"), {})

        self.assertContains(response, "Last siden på nytt", status_code=403)
        self.assertContains(response, 'class="app-error-text"', status_code=403)
        self.assertContains(response, '<html lang="nb">', status_code=403)
