"""Which framework a page shows: the one asked for, else the one that has
been in the catalogue the longest, whatever is imported later."""

from __future__ import annotations

from django.urls import reverse

from catalogue.models import chosen_framework
from tests.factories import CastTestCase, make_framework


class DefaultFrameworkTests(CastTestCase):
    def test_a_newer_framework_does_not_become_the_default(self):
        newer = make_framework("Aaa først i alfabetet", status="published")

        self.assertEqual(chosen_framework(None), self.framework)
        self.assertEqual(chosen_framework(str(newer.pk)), newer)

    def test_a_draft_or_unknown_id_falls_back_to_the_default(self):
        draft = make_framework("Utkast", status="draft")

        self.assertEqual(chosen_framework(str(draft.pk)), self.framework)
        self.assertEqual(chosen_framework("999999"), self.framework)


class FrameworkSwitchTests(CastTestCase):
    def test_no_switch_with_one_published_framework(self):
        self.login(self.leader)

        response = self.client.get(reverse("profiles:team"))

        self.assertNotContains(response, 'id="framework-switch"')

    def test_team_person_and_own_page_offer_every_published_framework(self):
        other = make_framework("Digital kompetanse", status="published")
        self.login(self.leader)

        for url in (
            reverse("profiles:team"),
            reverse("profiles:person", args=[self.employee.pk]),
            reverse("profiles:me"),
            reverse("profiles:history", args=[self.employee.pk]),
        ):
            with self.subTest(url=url):
                response = self.client.get(url, {"framework": other.pk})
                self.assertContains(response, 'id="framework-switch"')
                self.assertContains(
                    response,
                    f'<option value="{other.pk}" lang="nb" selected>{other}</option>',
                    html=True,
                )
                self.assertContains(
                    response,
                    f'<option value="{self.framework.pk}" lang="nb">'
                    f"{self.framework}</option>",
                    html=True,
                )

    def test_other_parameters_are_kept(self):
        make_framework("Digital kompetanse", status="published")
        self.login(self.leader)

        response = self.client.get(reverse("profiles:team"), {"q": "Kari", "page": 2})

        self.assertContains(response, '<input type="hidden" name="q" value="Kari">')
        self.assertNotContains(response, 'name="page"')
