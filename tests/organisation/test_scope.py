from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404

from organisation.models import OrgUnit, Role
from organisation.scope import (
    changeable_people,
    get_changeable_person,
    get_visible_person,
    import_scope,
    is_administrator,
    is_catalogue_owner,
    may_change,
    require_administrator,
    scope_of,
    subordinates,
    visible_people,
)
from tests.factories import CastTestCase, make_person, make_unit, make_user


class SubordinatesTests(CastTestCase):
    def test_leader_has_everyone_in_subtree(self):
        people = set(subordinates(self.leader))

        self.assertEqual(people, {self.sub_leader, self.employee, self.colleague})

    def test_top_leader_has_leaders_below(self):
        people = set(subordinates(self.top))

        self.assertIn(self.leader, people)
        self.assertIn(self.other_leader, people)
        self.assertIn(self.outsider, people)
        self.assertNotIn(self.top, people)

    def test_employee_has_nobody(self):
        self.assertFalse(subordinates(self.employee).exists())

    def test_leader_of_child_unit_sitting_in_parent_unit_is_subordinate(self):
        unit = make_unit("Ny seksjon", self.team)
        boss = make_person("Sjef", self.agency, leads=[unit])

        self.assertIn(boss, set(subordinates(self.leader)))
        self.assertIn(boss, set(subordinates(self.sub_leader)))

    def test_leader_sitting_below_own_unit_is_not_own_subordinate(self):
        boss = make_person("Sjef", self.team, leads=[self.agency])

        self.assertNotIn(boss, set(subordinates(boss)))

    def test_leader_of_nested_units_is_not_own_subordinate(self):
        boss = make_person("Sjef", self.team, leads=[self.agency, self.team])

        people = set(subordinates(boss))

        self.assertNotIn(boss, people)
        self.assertIn(self.employee, people)

    def test_co_leader_is_not_a_subordinate(self):
        co_leader = make_person("Medleder", self.agency, leads=[self.agency])

        self.assertNotIn(co_leader, set(subordinates(self.leader)))
        self.assertNotIn(self.leader, set(subordinates(co_leader)))

    def test_superior_sitting_below_is_not_a_subordinate(self):
        boss = make_person("Sjef", self.team, leads=[self.root])

        self.assertNotIn(boss, set(subordinates(self.leader)))
        self.assertNotIn(boss, set(subordinates(self.sub_leader)))

    def test_superior_also_leading_a_unit_below_is_not_a_subordinate(self):
        self.other.leaders.add(self.top)

        self.assertNotIn(self.top, set(subordinates(self.leader)))

    def test_leader_who_has_left_leads_nobody(self):
        self.leader.active = False
        self.leader.save()

        self.assertFalse(subordinates(self.leader).exists())
        self.assertFalse(changeable_people(self.leader.user).exists())

    def test_query_count_does_not_grow_with_units_led(self):
        boss = make_person("Sjef", self.root, leads=[self.team])
        with self.assertNumQueries(2):
            list(subordinates(boss))
        self.other.leaders.add(boss)
        self.elsewhere.leaders.add(boss)

        with self.assertNumQueries(2):
            list(subordinates(boss))


class GateTests(CastTestCase):
    def test_employee_sees_only_self(self):
        self.assertEqual(list(visible_people(self.employee.user)), [self.employee])

    def test_visible_person_outside_scope_is_404(self):
        with self.assertRaises(Http404):
            get_visible_person(self.leader.user, self.outsider.pk)

    def test_leader_changing_self_is_refused_as_read_only(self):
        with self.assertRaises(PermissionDenied):
            get_changeable_person(self.leader.user, self.leader.pk)

    def test_employee_changing_self_is_refused_as_read_only(self):
        with self.assertRaises(PermissionDenied):
            get_changeable_person(self.employee.user, self.employee.pk)

    def test_changing_someone_not_visible_is_404(self):
        with self.assertRaises(Http404):
            get_changeable_person(self.sub_leader.user, self.leader.pk)

    def test_changeable_person_comes_in_few_queries(self):
        with self.assertNumQueries(4):
            person = get_changeable_person(self.leader.user, self.employee.pk)

        self.assertEqual(person, self.employee)

    def test_may_change_is_false_for_self_even_for_administrator(self):
        admin = make_person("Adm", self.root)
        admin.user.is_superuser = True
        admin.user.save()

        self.assertFalse(may_change(admin.user, admin))
        self.assertTrue(may_change(admin.user, self.top))

    def test_admin_changes_everyone(self):
        self.assertEqual(changeable_people(self.admin).count(), 7)

    def test_login_without_person_sees_nobody(self):
        self.assertFalse(visible_people(make_user("stranger")).exists())


class AdministratorTests(CastTestCase):
    def test_superuser_and_administrator_role_pass(self):
        require_administrator(self.admin)
        require_administrator(self.administrator)

    def test_everyone_else_is_refused(self):
        for user in (self.top.user, self.hr_changer, self.catalogue_owner):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                require_administrator(user)


class ScopeOfTests(CastTestCase):
    def test_scope_is_read_in_three_queries(self):
        Role.objects.create(user=self.leader.user, kind=Role.Kind.HR, unit=self.other)

        with self.assertNumQueries(3):
            scope = scope_of(self.leader.user)

        self.assertEqual(len(scope.led), 1)
        self.assertEqual(scope.hr_read, (self.other.path,))
        self.assertEqual(scope.hr_change, ())


class RoleScopeTests(CastTestCase):
    def test_hr_adviser_reads_subtree_but_changes_nothing(self):
        hr = make_user("hr")
        Role.objects.create(user=hr, kind=Role.Kind.HR, unit=self.agency)

        self.assertEqual(
            set(visible_people(hr)),
            {self.leader, self.sub_leader, self.employee, self.colleague},
        )
        self.assertFalse(changeable_people(hr).exists())

    def test_read_only_hr_adviser_changing_is_403(self):
        hr = make_user("hr")
        Role.objects.create(user=hr, kind=Role.Kind.HR, unit=self.agency)

        with self.assertRaises(PermissionDenied):
            get_changeable_person(hr, self.employee.pk)

    def test_hr_adviser_outside_subtree_is_404(self):
        hr = make_user("hr")
        Role.objects.create(
            user=hr, kind=Role.Kind.HR, unit=self.team, can_change_people=True
        )

        with self.assertRaises(Http404):
            get_visible_person(hr, self.outsider.pk)

    def test_hr_adviser_sees_leader_of_unit_in_subtree_sitting_elsewhere(self):
        boss = make_person("Sjef", self.elsewhere, leads=[self.team])

        self.assertIn(boss, set(visible_people(self.hr_reader)))
        self.assertIn(boss, set(changeable_people(self.hr_changer)))
        self.assertNotIn(self.top, set(visible_people(self.hr_reader)))

    def test_hr_adviser_with_change_right_changes_subtree(self):
        hr = make_user("hr")
        Role.objects.create(
            user=hr, kind=Role.Kind.HR, unit=self.team, can_change_people=True
        )

        self.assertEqual(
            set(changeable_people(hr)), {self.sub_leader, self.employee, self.colleague}
        )

    def test_hr_adviser_in_own_subtree_cannot_change_self(self):
        Role.objects.create(
            user=self.employee.user,
            kind=Role.Kind.HR,
            unit=self.team,
            can_change_people=True,
        )

        with self.assertRaises(PermissionDenied):
            get_changeable_person(self.employee.user, self.employee.pk)
        self.assertNotIn(self.employee, set(changeable_people(self.employee.user)))

    def test_administrator_role_sees_everyone(self):
        user = make_user("adm")
        Role.objects.create(user=user, kind=Role.Kind.ADMINISTRATOR)

        self.assertEqual(visible_people(user).count(), 7)
        self.assertTrue(is_catalogue_owner(user))

    def test_catalogue_owner_sees_no_people(self):
        user = make_user("owner")
        Role.objects.create(user=user, kind=Role.Kind.CATALOGUE_OWNER)

        self.assertTrue(is_catalogue_owner(user))
        self.assertFalse(visible_people(user).exists())
        self.assertFalse(is_administrator(user))


class PathCollationTests(CastTestCase):
    def test_paths_compare_by_bytes_on_every_database(self):
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT collation_name FROM information_schema.columns "
                    "WHERE table_name = 'organisation_orgunit' "
                    "AND column_name = 'path'"
                )
                self.assertEqual(cursor.fetchone()[0], "C")

        self.assertEqual(
            set(OrgUnit.objects.subtree(self.agency)),
            {self.agency, self.team, self.other},
        )


class ImportScopeTests(CastTestCase):
    def test_every_change_role_counts_and_nested_ones_add_nothing(self):
        # hr_changer already has a change role for the team, below the agency.
        for unit in (self.elsewhere, self.agency):
            Role.objects.create(
                user=self.hr_changer,
                kind=Role.Kind.HR,
                unit=unit,
                can_change_people=True,
            )
        Role.objects.create(user=self.hr_changer, kind=Role.Kind.HR, unit=self.root)

        allowed, units = import_scope(self.hr_changer)

        self.assertTrue(allowed)
        self.assertEqual(sorted(u.name for u in units), ["Et annet sted", "Etaten"])

    def test_administrator_has_no_limit_and_reader_no_import(self):
        self.assertEqual(import_scope(self.admin), (True, None))
        self.assertEqual(import_scope(self.hr_reader), (False, None))
