"""The demo's expected levels, assessments and HR adviser: loaded once,
inside the scale, by someone who leads the person."""

from __future__ import annotations

from io import StringIO

from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings

from organisation.models import Person, Role
from organisation.scope import subordinates
from profiles.models import Assessment, Expectation, RoleProfile
from profiles.roleprofiles import may_change_profile, people_with
from tests.factories import load_bundled_framework


@override_settings(DEBUG=True)
class LoadDemoLevelsTests(TestCase):
    def load(self) -> None:
        call_command("load_demo_levels", stdout=StringIO())

    def test_everyone_below_a_leader_gets_levels_once(self):
        framework = load_bundled_framework()
        call_command("load_demo", stdout=StringIO())

        self.load()
        counts = (Expectation.objects.count(), Assessment.objects.count())
        self.load()

        self.assertEqual(
            (Expectation.objects.count(), Assessment.objects.count()), counts
        )
        top = Person.objects.get(user__username="kari.olsen")
        below = set(subordinates(top).values_list("pk", flat=True))
        given = set(Expectation.objects.values_list("person_id", flat=True))
        self.assertEqual(given, below)
        numbers = set(framework.scale.level_numbers())
        self.assertTrue(
            set(Expectation.objects.values_list("level", flat=True)) <= numbers
        )
        self.assertTrue(
            set(Assessment.objects.values_list("level", flat=True)) <= numbers
        )
        for expectation in Expectation.objects.select_related("set_by", "person"):
            leader = Person.objects.get(user=expectation.set_by)
            self.assertIn(
                expectation.person_id,
                set(subordinates(leader).values_list("pk", flat=True)),
            )

    def test_the_demo_hr_adviser_may_change_people_in_the_department(self):
        load_bundled_framework()
        call_command("load_demo", stdout=StringIO())

        self.load()
        self.load()

        role = Role.objects.get(user__username="kari.tran")
        self.assertEqual(
            (role.kind, role.unit.code, role.can_change_people), ("hr", "E01", True)
        )

    def test_without_the_framework_it_stops(self):
        with self.assertRaises(CommandError):
            self.load()

    def test_the_demo_leader_has_a_role_profile_to_apply(self):
        load_bundled_framework()
        call_command("load_demo", stdout=StringIO())

        self.load()
        self.load()

        profile = RoleProfile.objects.get()
        leader = Person.objects.get(user__username="siri.ostby")
        self.assertIn(leader, profile.unit.leaders.all())
        self.assertTrue(may_change_profile(leader.user, profile))
        self.assertEqual(set(profile.levels.values_list("level", flat=True)), {3})
        self.assertEqual(profile.levels.count(), 5)
        # Given to nobody yet: the leader applies it from the team grid.
        self.assertEqual(people_with(profile), [])
