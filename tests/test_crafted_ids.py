"""Ids typed or forged into a URL or form: Unicode digits such as "²" (which
str.isdigit() accepts) and numbers beyond the database's integers give a
clear answer and change nothing, never a server error."""

from __future__ import annotations

from django.test import SimpleTestCase
from django.urls import reverse

from conversations.models import Action
from kompetanse.ids import parse_id
from profiles.expectations import version_token
from profiles.models import Expectation, ProfileAssignment
from tests.factories import CastTestCase, make_role_profile

SUPERSCRIPT_TWO = "²"
TOO_LARGE = "99999999999999999999999"
CRAFTED = [SUPERSCRIPT_TWO, "٣", TOO_LARGE, "-1", "+1", " 1", "1.0", ""]


class ParseIdTests(SimpleTestCase):
    def test_ascii_digits_within_64_bits(self):
        self.assertEqual(parse_id("0"), 0)
        self.assertEqual(parse_id("42"), 42)
        self.assertEqual(parse_id(str(2**63 - 1)), 2**63 - 1)

    def test_anything_else_is_none(self):
        for value in [*CRAFTED, str(2**63), None, "1e3", "0x10", "1_000"]:
            with self.subTest(value=value):
                self.assertIsNone(parse_id(value))


class CraftedFrameworkTests(CastTestCase):
    """An unknown framework id falls back to the first published one, as
    an unknown but well-formed one always has."""

    def test_pages_with_a_framework_choice(self):
        self.login(self.top)
        urls = [
            reverse("profiles:team"),
            reverse("profiles:me"),
            reverse("profiles:person", args=[self.employee.pk]),
            reverse("profiles:history", args=[self.employee.pk]),
            reverse("profiles:team-expectations"),
            reverse("analysis:unit", args=[self.agency.pk]),
            reverse("analysis:heatmap", args=[self.agency.pk]),
        ]
        for url in urls:
            for value in CRAFTED:
                with self.subTest(url=url, value=value):
                    response = self.client.get(url, {"framework": value})

                    self.assertEqual(response.status_code, 200)
                    self.assertEqual(response.context["framework"], self.framework)


class CraftedLevelTargetTests(CastTestCase):
    def test_comment_thread_on_a_crafted_level_is_404(self):
        self.login(self.employee)
        for value in [SUPERSCRIPT_TWO, TOO_LARGE]:
            with self.subTest(value=value):
                url = reverse(
                    "catalogue:comment-thread",
                    args=[self.framework.pk, "level", value],
                )

                response = self.client.get(url)

                self.assertEqual(response.status_code, 404)


class CraftedPeopleTests(CastTestCase):
    def grid_post(self, person_values: list[str]):  # type: ignore[no-untyped-def]
        c = self.competences[0]
        data = {
            "person": person_values,
            f"e-{self.employee.pk}-{c.pk}": "3",
            "version": version_token([self.employee], self.competences),
        }
        return self.client.post(reverse("profiles:team-expectations"), data)

    def test_team_grid_refuses_crafted_person_ids(self):
        self.login(self.leader)
        for value in CRAFTED:
            with self.subTest(value=value):
                response = self.grid_post([str(self.employee.pk), value])

                self.assertContains(
                    response, "Skjemaet viser til en person med en id", status_code=400
                )
                self.assertFalse(Expectation.objects.exists())

    def test_apply_profile_refuses_crafted_person_ids(self):
        profile = make_role_profile(self.team, {})
        self.login(self.leader)
        for value in CRAFTED:
            with self.subTest(value=value):
                response = self.client.post(
                    reverse("profiles:apply-profile"),
                    {"profile": profile.pk, "selected": [self.employee.pk, value]},
                )

                self.assertContains(
                    response, "Skjemaet viser til en person med en id", status_code=400
                )
                self.assertFalse(ProfileAssignment.objects.exists())

    def test_planning_a_conversation_with_a_crafted_person_is_404(self):
        self.login(self.leader)
        for value in [SUPERSCRIPT_TWO, TOO_LARGE]:
            with self.subTest(value=value):
                response = self.client.post(
                    reverse("conversations:create"),
                    {"person": value, "kind": "development"},
                )

                self.assertEqual(response.status_code, 404)


class CraftedProposalTests(CastTestCase):
    def test_action_for_a_crafted_competence_or_person_is_400(self):
        self.client.force_login(self.admin)
        url = reverse("analysis:create-action", args=[self.agency.pk])
        c = self.competences[0]
        for data in [
            {"kind": "develop", "competence": "٣", "person": self.employee.pk},
            {"kind": "develop", "competence": TOO_LARGE, "person": self.employee.pk},
            {"kind": "develop", "competence": c.pk, "person": SUPERSCRIPT_TWO},
            {"kind": "develop", "competence": c.pk, "person": TOO_LARGE},
        ]:
            with self.subTest(data=data):
                response = self.client.post(url, data)

                self.assertEqual(response.status_code, 400)
                self.assertFalse(Action.objects.exists())
