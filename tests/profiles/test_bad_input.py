"""Bad input through the forms and views: each case gets a message the
user can act on and changes nothing. Cases tested elsewhere: the team grid
(test_team_expectations), the agreed level (test_assessments), leavers and
forged people in the grid and when applying a profile."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from profiles.expectations import version_token
from profiles.models import (
    Assessment,
    Expectation,
    ProfileAssignment,
    RoleProfile,
    RoleProfileLevel,
)
from tests.factories import CastTestCase, make_framework, make_role_profile


class BadInputTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.retired = make_framework("Gammel", status="retired").competences.first()
        cls.unrelated = make_framework("Annet").competences.first()

    def expectations(self, person, levels: dict, **extra) -> dict:  # type: ignore[no-untyped-def]
        data = {
            f"competence-{c.pk}": "" if levels.get(c) is None else levels[c]
            for c in self.competences
        }
        data["version"] = version_token([person], self.competences)
        return {**data, **extra}

    def test_leader_assessment_outside_the_scale(self):
        self.login(self.leader)

        response = self.client.post(
            reverse("profiles:edit-leader-assessment", args=[self.employee.pk]),
            {f"competence-{self.competences[0].pk}": "9"},
        )

        self.assertContains(response, "Velg et gyldig valg", status_code=400)
        self.assertFalse(Assessment.objects.exists())

    def test_expectation_outside_the_scale_on_the_persons_form(self):
        self.login(self.leader)

        response = self.client.post(
            reverse("profiles:edit-expectations", args=[self.employee.pk]),
            self.expectations(self.employee, {self.competences[0]: 0}),
        )

        self.assertContains(response, "Velg et gyldig valg", status_code=400)
        self.assertFalse(Expectation.objects.exists())

    def test_self_assessment_dated_in_the_future(self):
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        self.login(self.employee)

        response = self.client.post(
            reverse("profiles:me"),
            {
                f"competence-{self.competences[0].pk}": "2",
                "assessed_on": tomorrow.isoformat(),
            },
        )

        self.assertContains(response, "fram i tid", status_code=400)
        self.assertFalse(Assessment.objects.exists())

    def test_leader_assessment_dated_in_the_future(self):
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        self.login(self.leader)

        response = self.client.post(
            reverse("profiles:edit-leader-assessment", args=[self.employee.pk]),
            {
                f"competence-{self.competences[0].pk}": "2",
                "assessed_on": tomorrow.isoformat(),
            },
        )

        self.assertContains(response, "fram i tid", status_code=400)
        self.assertFalse(Assessment.objects.exists())

    def test_expectation_in_a_retired_framework_on_the_persons_form(self):
        self.login(self.leader)

        response = self.client.post(
            reverse("profiles:edit-expectations", args=[self.employee.pk]),
            self.expectations(
                self.employee,
                {self.competences[0]: 2},
                **{f"competence-{self.retired.pk}": "2"},
            ),
        )

        self.assertContains(response, "utgått rammeverk", status_code=400)
        self.assertFalse(Expectation.objects.exists())

    def test_role_profile_level_in_a_retired_or_unrelated_framework(self):
        self.login(self.leader)
        for competence in (self.retired, self.unrelated):
            with self.subTest(competence.framework.name):
                response = self.client.post(
                    reverse("profiles:create-role-profile"),
                    {
                        "name": "Rådgiver",
                        "unit": self.team.pk,
                        f"competence-{self.competences[0].pk}": "2",
                        f"competence-{competence.pk}": "3",
                    },
                )

                self.assertContains(response, "utgått rammeverk", status_code=400)
                self.assertFalse(RoleProfile.objects.exists())
                self.assertFalse(RoleProfileLevel.objects.exists())

    def test_changing_a_role_profile_with_a_retired_competence(self):
        first = self.competences[0]
        profile = make_role_profile(self.team, {first: 2})
        self.login(self.leader)

        response = self.client.post(
            reverse("profiles:edit-role-profile", args=[profile.pk]),
            {
                "name": "Nytt navn",
                "unit": self.team.pk,
                f"competence-{first.pk}": "4",
                f"competence-{self.retired.pk}": "3",
            },
        )

        self.assertContains(response, "utgått rammeverk", status_code=400)
        profile.refresh_from_db()
        self.assertEqual(profile.name, "Rådgiver")
        self.assertEqual(list(profile.levels.values_list("level", flat=True)), [2])

    def test_leader_expectations_of_a_person_who_left(self):
        self.colleague.active = False
        self.colleague.save()
        self.login(self.leader)

        response = self.client.post(
            reverse("profiles:edit-expectations", args=[self.colleague.pk]),
            self.expectations(self.colleague, {self.competences[0]: 2}),
        )

        self.assertContains(response, "har sluttet", status_code=400)
        self.assertFalse(Expectation.objects.exists())

    def test_leader_assessment_of_a_person_who_left(self):
        self.colleague.active = False
        self.colleague.save()
        self.login(self.leader)

        response = self.client.post(
            reverse("profiles:edit-leader-assessment", args=[self.colleague.pk]),
            {f"competence-{self.competences[0].pk}": "2"},
        )

        self.assertContains(response, "har sluttet", status_code=400)
        self.assertFalse(Assessment.objects.exists())

    def test_forged_person_outside_scope(self):
        self.login(self.leader)
        c = self.competences[0]
        posts = [
            ("profiles:edit-leader-assessment", {f"competence-{c.pk}": "2"}),
            ("profiles:edit-agreed-assessment", {f"competence-{c.pk}": "2"}),
            ("profiles:edit-expectations", self.expectations(self.outsider, {c: 2})),
        ]
        for name, data in posts:
            with self.subTest(name):
                response = self.client.post(
                    reverse(name, args=[self.outsider.pk]), data
                )

                self.assertContains(response, "ikke tilgang", status_code=404)
        self.assertFalse(Assessment.objects.exists())
        self.assertFalse(Expectation.objects.exists())

    def test_employee_posting_a_leader_assessment_of_themself(self):
        self.login(self.employee)

        response = self.client.post(
            reverse("profiles:edit-leader-assessment", args=[self.employee.pk]),
            {f"competence-{self.competences[0].pk}": "4"},
        )

        self.assertContains(response, "ikke tilgang", status_code=403)
        self.assertFalse(Assessment.objects.exists())


class PostedTwiceTests(CastTestCase):
    """The same form posted twice (a double click, or the browser's back
    button): the second time writes nothing and says so."""

    def post_twice(self, url: str, data: dict):  # type: ignore[no-untyped-def]
        self.client.post(url, data)
        return self.client.post(url, data, follow=True)

    def test_self_assessment(self):
        c = self.competences[0]
        self.login(self.employee)

        response = self.post_twice(
            reverse("profiles:me"), {f"competence-{c.pk}": "2", "note": "Etter kurs"}
        )

        self.assertContains(response, "Ingenting ble endret.")
        self.assertEqual(Assessment.objects.count(), 1)

    def test_leader_assessment(self):
        c = self.competences[0]
        self.login(self.leader)

        response = self.post_twice(
            reverse("profiles:edit-leader-assessment", args=[self.employee.pk]),
            {f"competence-{c.pk}": "3"},
        )

        self.assertContains(response, "Ingenting ble endret.")
        self.assertEqual(Assessment.objects.count(), 1)

    def test_applying_a_role_profile(self):
        profile = make_role_profile(self.team, {self.competences[0]: 3})
        self.login(self.leader)

        response = self.post_twice(
            reverse("profiles:apply-profile"),
            {"profile": profile.pk, "selected": [self.employee.pk]},
        )

        self.assertContains(response, "Ingenting ble endret.")
        self.assertEqual(ProfileAssignment.objects.count(), 1)
