"""The profile pages write the access log."""

from __future__ import annotations

from django.urls import reverse

from audit.models import AccessLog
from organisation.models import Role
from profiles.expectations import version_token
from profiles.models import ProfileAssignment
from tests.factories import CastTestCase, make_role_profile, make_user


def logged(action: str) -> set[tuple[int, int]]:
    return set(AccessLog.objects.filter(action=action).values_list("user", "person"))


class ProfileLoggingTests(CastTestCase):
    def test_reading_a_person_is_logged(self):
        self.login(self.leader)

        self.client.get(reverse("profiles:person", args=[self.employee.pk]))

        self.assertEqual(
            logged("read_profile"), {(self.leader.user.pk, self.employee.pk)}
        )

    def test_read_only_hr_adviser_reading_is_logged(self):
        hr = make_user("hr")
        Role.objects.create(user=hr, kind=Role.Kind.HR, unit=self.team)
        self.client.force_login(hr)

        self.client.get(reverse("profiles:person", args=[self.employee.pk]))

        self.assertEqual(logged("read_profile"), {(hr.pk, self.employee.pk)})

    def test_reading_own_profile_is_not_logged(self):
        self.login(self.employee)

        self.client.get(reverse("profiles:person", args=[self.employee.pk]))
        self.client.get(reverse("profiles:me"))

        self.assertFalse(AccessLog.objects.exists())

    def test_reading_history_is_logged(self):
        self.login(self.leader)

        self.client.get(reverse("profiles:history", args=[self.employee.pk]))

        self.assertEqual(
            logged("read_profile"), {(self.leader.user.pk, self.employee.pk)}
        )

    def test_team_grid_logs_each_person_shown(self):
        self.login(self.sub_leader)

        self.client.get(reverse("profiles:team-expectations"))

        user = self.sub_leader.user.pk
        self.assertEqual(
            logged("read_team"),
            {(user, self.employee.pk), (user, self.colleague.pk)},
        )

    def test_saving_the_team_grid_is_logged(self):
        c = self.competences[0]
        self.login(self.leader)

        self.client.post(
            reverse("profiles:team-expectations"),
            {
                "person": [self.employee.pk],
                f"e-{self.employee.pk}-{c.pk}": "3",
                "version": version_token([self.employee], self.competences),
            },
        )

        self.assertEqual(
            logged("change_expectations"), {(self.leader.user.pk, self.employee.pk)}
        )

    def test_applying_a_role_profile_is_logged_as_a_change(self):
        # A profile gives the people their expected levels.
        profile = make_role_profile(self.team, {self.competences[0]: 3}, name="Ekspert")
        self.login(self.leader)

        self.client.post(
            reverse("profiles:apply-profile"),
            {"profile": profile.pk, "selected": [self.employee.pk]},
        )
        self.client.post(
            reverse("profiles:apply-profile"),
            {"profile": "", "selected": [self.employee.pk, self.colleague.pk]},
        )

        entries = AccessLog.objects.filter(action="change_expectations")
        self.assertEqual(
            list(entries.order_by("pk").values_list("user", "person", "detail")),
            [
                (self.leader.user.pk, self.employee.pk, "Ekspert"),
                (self.leader.user.pk, self.employee.pk, ""),
            ],
        )

    def test_changing_a_role_profiles_levels_logs_its_people(self):
        profile = make_role_profile(self.team, {self.competences[0]: 1}, name="Ekspert")
        ProfileAssignment.objects.create(person=self.employee, profile=profile)
        self.login(self.leader)
        url = reverse("profiles:edit-role-profile", args=[profile.pk])
        data = {
            "name": "Ekspert",
            "unit": self.team.pk,
            "titles": "",
            f"competence-{self.competences[0].pk}": "2",
        }

        self.client.post(url, data)
        self.client.post(url, data)

        entries = AccessLog.objects.filter(action="change_expectations")
        self.assertEqual(
            list(entries.values_list("user", "person", "detail")),
            [(self.leader.user.pk, self.employee.pk, "Ekspert")],
        )

    def test_a_moved_role_profile_still_logs_the_people_given_it_by_hand(self):
        # Given by hand, it goes on applying to them when its unit moves
        # away from theirs (as after an HR import moves a person).
        profile = make_role_profile(self.team, {self.competences[0]: 1}, name="Råd")
        ProfileAssignment.objects.create(person=self.employee, profile=profile)
        self.login(self.leader)
        url = reverse("profiles:edit-role-profile", args=[profile.pk])
        data = {
            "name": "Råd",
            "unit": self.other.pk,
            "titles": "",
            f"competence-{self.competences[0].pk}": "1",
        }

        self.client.post(url, data)
        moved = AccessLog.objects.filter(action="change_expectations").count()
        self.client.post(url, {**data, f"competence-{self.competences[0].pk}": "2"})

        entries = AccessLog.objects.filter(action="change_expectations")
        self.assertEqual(moved, 0)
        self.assertEqual(
            list(entries.values_list("person", "detail")), [(self.employee.pk, "Råd")]
        )

    def test_a_role_profile_taking_in_a_title_logs_who_it_now_applies_to(self):
        self.employee.title = "Rådgiver"
        self.employee.save()
        profile = make_role_profile(self.team, {self.competences[0]: 1}, name="Råd")
        self.login(self.leader)
        data = {
            "name": "Råd",
            "unit": self.team.pk,
            "titles": "Rådgiver",
            f"competence-{self.competences[0].pk}": "1",
        }

        self.client.post(reverse("profiles:edit-role-profile", args=[profile.pk]), data)

        entries = AccessLog.objects.filter(action="change_expectations")
        self.assertEqual(
            list(entries.values_list("person", "detail")), [(self.employee.pk, "Råd")]
        )

    def test_refused_read_is_not_logged(self):
        self.login(self.employee)

        self.client.get(reverse("profiles:person", args=[self.colleague.pk]))

        self.assertFalse(AccessLog.objects.exists())

    def test_team_page_logs_each_person_shown(self):
        self.login(self.sub_leader)

        self.client.get(reverse("profiles:team"))

        user = self.sub_leader.user.pk
        self.assertEqual(
            logged("read_team"),
            {(user, self.employee.pk), (user, self.colleague.pk)},
        )

    def test_saving_expectations_is_logged(self):
        self.login(self.leader)

        self.client.post(
            reverse("profiles:edit-expectations", args=[self.employee.pk]),
            {
                f"competence-{self.competences[0].pk}": "3",
                "version": version_token([self.employee], self.competences),
            },
        )

        self.assertEqual(
            logged("change_expectations"), {(self.leader.user.pk, self.employee.pk)}
        )

    def test_saving_leader_assessment_is_logged(self):
        self.login(self.leader)

        self.client.post(
            reverse("profiles:edit-leader-assessment", args=[self.employee.pk]),
            {f"competence-{self.competences[0].pk}": "2"},
        )

        self.assertEqual(
            logged("change_assessment"), {(self.leader.user.pk, self.employee.pk)}
        )

    def test_invalid_save_logs_a_read_not_a_change(self):
        self.login(self.leader)

        self.client.post(
            reverse("profiles:edit-expectations", args=[self.employee.pk]),
            {f"competence-{self.competences[0].pk}": "9"},
        )

        self.assertFalse(logged("change_expectations"))
        self.assertEqual(
            logged("read_profile"), {(self.leader.user.pk, self.employee.pk)}
        )

    def test_opening_an_edit_form_is_logged_as_a_read(self):
        self.login(self.leader)

        self.client.get(
            reverse("profiles:edit-leader-assessment", args=[self.employee.pk])
        )

        self.assertEqual(
            logged("read_profile"), {(self.leader.user.pk, self.employee.pk)}
        )

    def test_own_self_assessment_is_not_logged(self):
        self.login(self.employee)

        self.client.post(
            reverse("profiles:me"), {f"competence-{self.competences[0].pk}": "2"}
        )

        self.assertFalse(AccessLog.objects.exists())
