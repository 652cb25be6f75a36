from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from profiles.grid import OWN, PROFILE, build_rows
from profiles.models import ProfileAssignment
from profiles.records import set_expectations
from profiles.roleprofiles import (
    applying_profiles,
    assign,
    get_changeable_profile,
    get_visible_profile,
    visible_profiles,
)
from tests.factories import CastTestCase, make_role_profile


class ApplyingProfilesTests(CastTestCase):
    def test_profile_applies_by_title_in_subtree(self):
        self.employee.title = "Rådgiver"
        self.employee.save()
        profile = make_role_profile(self.agency, {}, titles="rådgiver\nLærer")

        found = applying_profiles([self.employee])

        self.assertEqual(found, {self.employee.pk: profile})

    def test_title_outside_subtree_does_not_apply(self):
        self.outsider.title = "Rådgiver"
        self.outsider.save()
        make_role_profile(self.agency, {}, titles="Rådgiver")

        self.assertEqual(applying_profiles([self.outsider]), {})

    def test_nearest_unit_wins_over_unit_above(self):
        self.employee.title = "Rådgiver"
        self.employee.save()
        make_role_profile(self.root, {}, titles="Rådgiver", name="Kommunen")
        near = make_role_profile(self.team, {}, titles="Rådgiver", name="Teamet")

        self.assertEqual(applying_profiles([self.employee])[self.employee.pk], near)

    def test_title_does_not_reach_the_leader_who_keeps_the_profile(self):
        self.sub_leader.title = "Rådgiver"
        self.sub_leader.save()
        self.employee.title = "Rådgiver"
        self.employee.save()
        profile = make_role_profile(self.team, {}, titles="Rådgiver")

        found = applying_profiles([self.sub_leader, self.employee])

        self.assertEqual(found, {self.employee.pk: profile})

    def test_title_reaches_a_leader_below_the_profiles_unit(self):
        self.sub_leader.title = "Rådgiver"
        self.sub_leader.save()
        profile = make_role_profile(self.agency, {}, titles="Rådgiver")

        found = applying_profiles([self.sub_leader])

        self.assertEqual(found, {self.sub_leader.pk: profile})

    def test_hand_assignment_wins_over_title(self):
        self.employee.title = "Rådgiver"
        self.employee.save()
        make_role_profile(self.team, {}, titles="Rådgiver")
        chosen = make_role_profile(self.agency, {}, name="Valgt")
        assign([self.employee], chosen, by=self.leader.user)

        self.assertEqual(applying_profiles([self.employee])[self.employee.pk], chosen)


class EffectiveExpectationTests(CastTestCase):
    def test_own_expectation_wins_over_profile(self):
        first, second, _third = self.competences
        profile = make_role_profile(self.agency, {first: 2, second: 3})
        assign([self.employee], profile, by=self.leader.user)
        set_expectations(self.employee, {first: 4}, by=self.leader.user)

        [row] = build_rows([self.employee], self.competences)

        cells = row.cells
        self.assertEqual((cells[0].expected, cells[0].expected_from), (4, OWN))
        self.assertEqual((cells[1].expected, cells[1].expected_from), (3, PROFILE))
        self.assertEqual((cells[2].expected, cells[2].expected_from), (None, None))
        self.assertEqual(cells[1].expected_from_label, "stillingsprofil Rådgiver")

    def test_removed_own_expectation_falls_back_to_profile(self):
        first = self.competences[0]
        profile = make_role_profile(self.agency, {first: 2})
        assign([self.employee], profile, by=self.leader.user)
        set_expectations(self.employee, {first: 4}, by=self.leader.user)
        set_expectations(self.employee, {first: None}, by=self.leader.user)

        [row] = build_rows([self.employee], [first])

        self.assertEqual(
            (row.cells[0].expected, row.cells[0].expected_from), (2, PROFILE)
        )


class AssignTests(CastTestCase):
    def test_person_outside_profiles_unit_is_refused(self):
        profile = make_role_profile(self.team, {})

        with self.assertRaises(ValidationError):
            assign([self.employee, self.outsider], profile, by=self.top.user)

        self.assertFalse(ProfileAssignment.objects.exists())

    def test_person_who_left_is_refused(self):
        self.colleague.active = False
        self.colleague.save()
        profile = make_role_profile(self.team, {})

        with self.assertRaises(ValidationError):
            assign([self.employee, self.colleague], profile, by=self.leader.user)

        self.assertFalse(ProfileAssignment.objects.exists())

    def test_leader_who_keeps_the_profile_is_refused(self):
        profile = make_role_profile(self.team, {})

        with self.assertRaises(ValidationError):
            assign([self.employee, self.sub_leader], profile, by=self.leader.user)

        self.assertFalse(ProfileAssignment.objects.exists())

    def test_leader_gets_a_profile_from_the_unit_above(self):
        profile = make_role_profile(self.agency, {})

        changed = assign([self.sub_leader], profile, by=self.leader.user)

        self.assertEqual(changed, [self.sub_leader])

    def test_assigning_again_changes_nobody(self):
        profile = make_role_profile(self.team, {})
        assign([self.employee], profile, by=self.leader.user)

        changed = assign([self.employee, self.colleague], profile, by=self.leader.user)

        self.assertEqual(changed, [self.colleague])

    def test_none_removes_hand_assignment(self):
        profile = make_role_profile(self.team, {})
        assign([self.employee], profile, by=self.leader.user)

        assign([self.employee], None, by=self.leader.user)

        self.assertFalse(ProfileAssignment.objects.exists())


class ProfileAccessTests(CastTestCase):
    def test_leader_sees_profiles_of_own_subtree_only(self):
        mine = make_role_profile(self.team, {})
        make_role_profile(self.elsewhere, {})
        make_role_profile(self.root, {})

        self.assertEqual(list(visible_profiles(self.leader.user)), [mine])

    def test_outsider_gets_404(self):
        profile = make_role_profile(self.team, {})

        with self.assertRaises(Http404):
            get_visible_profile(self.other_leader.user, profile.pk)

    def test_read_only_hr_reads_but_may_not_change(self):
        profile = make_role_profile(self.team, {})
        hr = self.make_hr(can_change=False)

        self.assertEqual(get_visible_profile(hr, profile.pk), profile)
        with self.assertRaises(PermissionDenied):
            get_changeable_profile(hr, profile.pk)

    def test_hr_with_change_right_changes(self):
        profile = make_role_profile(self.team, {})
        hr = self.make_hr(can_change=True)

        self.assertEqual(get_changeable_profile(hr, profile.pk), profile)
