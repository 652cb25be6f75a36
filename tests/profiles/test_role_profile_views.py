from __future__ import annotations

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from profiles.models import ProfileAssignment, RoleProfile
from tests.factories import CastTestCase, make_role_profile


class RoleProfileListTests(CastTestCase):
    url = reverse("profiles:role-profiles")

    def test_leader_sees_profiles_in_own_subtree(self):
        make_role_profile(self.team, {self.competences[0]: 2}, name="Saksbehandler")
        make_role_profile(self.elsewhere, {}, name="Annet sted")
        self.login(self.leader)

        response = self.client.get(self.url)

        self.assertContains(response, "Saksbehandler")
        self.assertNotContains(response, "Annet sted")

    def test_query_count_same_for_one_and_many_profiles(self):
        make_role_profile(self.team, {self.competences[0]: 2})
        self.login(self.leader)
        with CaptureQueriesContext(connection) as one:
            self.client.get(self.url)
        for name in ("B", "C", "D"):
            make_role_profile(
                self.agency, dict.fromkeys(self.competences, 3), name=name
            )

        with self.assertNumQueries(len(one.captured_queries)):
            response = self.client.get(self.url)

        self.assertEqual(len(response.context["profiles"]), 4)

    def test_employee_sees_none_and_no_create_button(self):
        make_role_profile(self.team, {}, name="Saksbehandler")
        self.login(self.employee)

        response = self.client.get(self.url)

        self.assertNotContains(response, "Saksbehandler")
        self.assertFalse(response.context["may_create"])

    def test_wrong_method_is_405(self):
        self.login(self.leader)

        response = self.client.post(self.url)

        self.assertEqual(response.status_code, 405)


class RoleProfileEditTests(CastTestCase):
    def data(self, unit, **levels) -> dict:  # type: ignore[no-untyped-def]
        first, second, _third = self.competences
        return {
            "name": "Rådgiver",
            "unit": unit.pk,
            "titles": "Rådgiver\nSeniorrådgiver",
            f"competence-{first.pk}": "2",
            f"competence-{second.pk}": "3",
            **levels,
        }

    def test_a_second_profile_of_the_same_name_in_the_unit_is_refused(self):
        # Posting the form twice made two profiles nobody could tell apart
        # in the team grid's list of profiles to apply.
        self.login(self.leader)
        url = reverse("profiles:create-role-profile")
        self.client.post(url, self.data(self.team))

        response = self.client.post(url, self.data(self.team, name=" rådgiver"))

        self.assertContains(
            response, "Enheten har allerede en stillingsprofil", status_code=400
        )
        self.assertEqual(RoleProfile.objects.count(), 1)

    def test_titles_longer_or_more_than_a_profile_holds_are_refused(self):
        self.login(self.leader)
        url = reverse("profiles:create-role-profile")

        long = self.client.post(url, self.data(self.team, titles="x" * 201))
        many = self.client.post(
            url, self.data(self.team, titles="\n".join(f"T{n}" for n in range(101)))
        )

        self.assertContains(long, "høyst 200 tegn", status_code=400)
        self.assertContains(many, "høyst 100 stillingstitler", status_code=400)
        self.assertFalse(RoleProfile.objects.exists())

    def test_titles_are_kept_one_per_line_without_blanks(self):
        self.login(self.leader)

        self.client.post(
            reverse("profiles:create-role-profile"),
            self.data(self.team, titles=" Rådgiver \r\n\r\nSeniorrådgiver"),
        )

        self.assertEqual(RoleProfile.objects.get().titles, "Rådgiver\nSeniorrådgiver")

    def test_same_name_in_another_unit_and_on_edit_is_allowed(self):
        self.login(self.leader)
        self.client.post(reverse("profiles:create-role-profile"), self.data(self.team))
        profile = RoleProfile.objects.get()

        self.client.post(
            reverse("profiles:create-role-profile"), self.data(self.agency)
        )
        response = self.client.post(
            reverse("profiles:edit-role-profile", args=[profile.pk]),
            self.data(self.team),
        )

        self.assertRedirects(response, reverse("profiles:role-profiles"))
        self.assertEqual(RoleProfile.objects.filter(name="Rådgiver").count(), 2)

    def test_leader_creates_profile_with_levels(self):
        self.login(self.leader)

        response = self.client.post(
            reverse("profiles:create-role-profile"), self.data(self.team)
        )

        self.assertRedirects(response, reverse("profiles:role-profiles"))
        profile = RoleProfile.objects.get()
        self.assertEqual(profile.unit, self.team)
        self.assertEqual(profile.title_set(), {"rådgiver", "seniorrådgiver"})
        self.assertEqual(sorted(profile.levels.values_list("level", flat=True)), [2, 3])

    def test_unit_outside_scope_is_refused(self):
        self.login(self.leader)

        response = self.client.post(
            reverse("profiles:create-role-profile"), self.data(self.elsewhere)
        )

        self.assertEqual(response.status_code, 400)
        self.assertFalse(RoleProfile.objects.exists())

    def test_level_outside_scale_is_refused(self):
        self.login(self.leader)
        field = f"competence-{self.competences[0].pk}"

        response = self.client.post(
            reverse("profiles:create-role-profile"),
            self.data(self.team, **{field: "8"}),
        )

        self.assertEqual(response.status_code, 400)
        self.assertFalse(RoleProfile.objects.exists())

    def test_leader_changes_levels(self):
        profile = make_role_profile(self.team, {self.competences[0]: 1})
        self.login(self.leader)

        self.client.post(
            reverse("profiles:edit-role-profile", args=[profile.pk]),
            self.data(self.team),
        )

        levels = dict(profile.levels.values_list("competence", "level"))
        self.assertEqual(levels[self.competences[0].pk], 2)

    def test_people_with_the_profile_are_told_once_when_levels_change(self):
        profile = make_role_profile(self.team, {self.competences[0]: 1})
        ProfileAssignment.objects.create(person=self.employee, profile=profile)
        self.employee.email = "ansatt@example.org"
        self.employee.save()
        self.colleague.email = "kollega@example.org"
        self.colleague.save()
        self.login(self.leader)
        url = reverse("profiles:edit-role-profile", args=[profile.pk])

        self.client.post(url, self.data(self.team))
        self.client.post(url, self.data(self.team))

        self.assertEqual([m.to for m in mail.outbox], [["ansatt@example.org"]])
        self.assertIn("endret forventet nivå i stillingsprofilen", mail.outbox[0].body)

    def test_outsider_is_404(self):
        profile = make_role_profile(self.team, {})
        self.login(self.other_leader)

        response = self.client.get(
            reverse("profiles:edit-role-profile", args=[profile.pk])
        )

        self.assertEqual(response.status_code, 404)

    def test_read_only_hr_is_403_and_changes_nothing(self):
        profile = make_role_profile(self.team, {}, name="Før")
        self.client.force_login(self.make_hr(can_change=False))

        response = self.client.post(
            reverse("profiles:edit-role-profile", args=[profile.pk]),
            self.data(self.team),
        )

        self.assertEqual(response.status_code, 403)
        profile.refresh_from_db()
        self.assertEqual(profile.name, "Før")

    def test_hr_with_change_right_creates_profile(self):
        self.client.force_login(self.make_hr(can_change=True))

        response = self.client.post(
            reverse("profiles:create-role-profile"), self.data(self.agency)
        )

        self.assertEqual(response.status_code, 302)
        self.assertTrue(RoleProfile.objects.filter(unit=self.agency).exists())

    def test_employee_may_not_create(self):
        self.login(self.employee)

        response = self.client.get(reverse("profiles:create-role-profile"))

        self.assertEqual(response.status_code, 403)

    def test_wrong_method_is_405(self):
        profile = make_role_profile(self.team, {})
        self.login(self.leader)

        response = self.client.put(
            reverse("profiles:edit-role-profile", args=[profile.pk])
        )

        self.assertEqual(response.status_code, 405)
