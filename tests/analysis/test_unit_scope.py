from __future__ import annotations

from django.http import Http404

from organisation.models import Role
from organisation.scope import (
    analysed_people,
    get_visible_unit,
    may_change_unit,
    person_for_user,
    visible_people,
    visible_units,
)
from tests.factories import CastTestCase, make_person


class VisibleUnitsTests(CastTestCase):
    def test_leader_sees_the_subtree_of_the_unit_they_lead(self):
        units = set(visible_units(self.leader.user))

        self.assertEqual(units, {self.agency, self.team, self.other})

    def test_hr_adviser_sees_their_role_subtree(self):
        Role.objects.create(user=self.outsider.user, kind="hr", unit=self.team)

        units = set(visible_units(self.outsider.user))

        self.assertEqual(units, {self.team})

    def test_administrator_sees_every_unit(self):
        units = set(visible_units(self.admin))

        self.assertEqual(len(units), 5)

    def test_employee_sees_no_unit(self):
        self.assertFalse(visible_units(self.employee.user).exists())

    def test_unit_outside_scope_is_404(self):
        with self.assertRaises(Http404):
            get_visible_unit(self.sub_leader.user, self.agency.pk)


class MayChangeUnitTests(CastTestCase):
    def test_leader_may_act_below_themself(self):
        self.assertTrue(may_change_unit(self.leader.user, self.team))

    def test_read_only_hr_adviser_may_not(self):
        Role.objects.create(user=self.outsider.user, kind="hr", unit=self.team)

        self.assertFalse(may_change_unit(self.outsider.user, self.team))

    def test_hr_adviser_who_may_change_people_may(self):
        Role.objects.create(
            user=self.outsider.user, kind="hr", unit=self.team, can_change_people=True
        )

        self.assertTrue(may_change_unit(self.outsider.user, self.team))


class AnalysedPeopleTests(CastTestCase):
    def test_leader_is_left_out_of_their_own_unit(self):
        people = set(analysed_people(self.leader.user, self.agency))

        self.assertEqual(people, {self.sub_leader, self.employee, self.colleague})

    def test_people_who_left_are_left_out(self):
        self.colleague.active = False
        self.colleague.save()

        people = set(analysed_people(self.sub_leader.user, self.team))

        self.assertEqual(people, {self.employee})

    def test_the_plain_range_is_the_set_of_people_the_user_may_read(self):
        # Tricky scopes: a co-leader, a leader who sits in a unit below the
        # one they lead, a leader of two nested units, an HR adviser who
        # also leads, and a person who left.
        co_leader = make_person("Medleder", self.agency, leads=[self.agency])
        self.team.leaders.add(self.colleague)
        self.other.leaders.add(self.sub_leader)
        Role.objects.create(user=self.sub_leader.user, kind="hr", unit=self.other)
        gone = make_person("Sluttet", self.team, active=False)
        users = [
            self.top.user,
            self.leader.user,
            co_leader.user,
            self.sub_leader.user,
            self.colleague.user,
            self.hr_reader,
            self.hr_changer,
            self.admin,
        ]
        for user in users:
            for unit in visible_units(user):
                with self.subTest(user=user.get_username(), unit=unit.name):
                    general = visible_people(user).active().in_subtree(unit)
                    own = person_for_user(user)
                    if own is not None:
                        general = general.exclude(pk=own.pk)
                    got = set(analysed_people(user, unit))
                    self.assertEqual(got, set(general))
                    self.assertNotIn(gone, got)
