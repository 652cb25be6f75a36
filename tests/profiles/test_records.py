from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from catalogue.models import Framework
from profiles.grid import build_rows
from profiles.models import Assessment, Expectation
from profiles.records import record_assessments, set_expectations
from tests.factories import CastTestCase, make_framework, make_role_profile


class SetExpectationsTests(CastTestCase):
    def test_new_level_becomes_current_and_history_is_kept(self):
        c = self.competences[0]
        set_expectations(self.employee, {c: 2}, by=self.leader.user)

        set_expectations(self.employee, {c: 3}, by=self.leader.user)

        rows = Expectation.objects.filter(person=self.employee, competence=c)
        self.assertEqual(rows.count(), 2)
        self.assertEqual(rows.current().get().level, 3)

    def test_unchanged_level_writes_nothing(self):
        c = self.competences[0]
        set_expectations(self.employee, {c: 2}, by=self.leader.user)

        new = set_expectations(self.employee, {c: 2}, by=self.leader.user)

        self.assertEqual(new, [])
        self.assertEqual(Expectation.objects.count(), 1)

    def test_level_outside_scale_is_refused(self):
        with self.assertRaises(ValidationError):
            set_expectations(
                self.employee, {self.competences[0]: 5}, by=self.leader.user
            )

        self.assertFalse(Expectation.objects.exists())

    def test_competence_of_retired_framework_is_refused(self):
        retired = make_framework("Gammel", status=Framework.Status.RETIRED)

        with self.assertRaises(ValidationError):
            set_expectations(
                self.employee, {retired.competences.first(): 2}, by=self.leader.user
            )

    def test_person_who_left_is_refused(self):
        self.employee.active = False
        self.employee.save()

        with self.assertRaises(ValidationError):
            set_expectations(
                self.employee, {self.competences[0]: 2}, by=self.leader.user
            )

    def test_one_bad_level_saves_none(self):
        first, second = self.competences[:2]

        with self.assertRaises(ValidationError):
            set_expectations(self.employee, {first: 2, second: 9}, by=self.leader.user)

        self.assertFalse(Expectation.objects.exists())

    def test_query_count_does_not_grow_with_competences(self):
        one = {self.competences[0]: 1}
        set_expectations(self.employee, one, by=self.leader.user)
        set_expectations(self.colleague, one, by=self.leader.user)
        # Six to save, two to write the person's current levels again, and
        # one to lock the person where the database has row locks.
        locking = connection.features.has_select_for_update
        with self.assertNumQueries(9 if locking else 8):
            set_expectations(
                self.employee, {self.competences[0]: 2}, by=self.leader.user
            )
        many = dict.fromkeys(self.competences, 3)

        # Six to save, two to write the person's current levels again, and
        # one to lock the person where the database has row locks.
        locking = connection.features.has_select_for_update
        with self.assertNumQueries(9 if locking else 8):
            set_expectations(self.colleague, many, by=self.leader.user)


class RecordAssessmentsTests(CastTestCase):
    def test_future_date_is_refused(self):
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)

        with self.assertRaises(ValidationError):
            record_assessments(
                self.employee,
                "self",
                {self.competences[0]: 2},
                by=self.employee.user,
                on=tomorrow,
            )

        self.assertFalse(Assessment.objects.exists())

    def test_unassessed_competence_is_skipped(self):
        record_assessments(
            self.employee,
            "self",
            {self.competences[0]: 2, self.competences[1]: None},
            by=self.employee.user,
        )

        self.assertEqual(Assessment.objects.count(), 1)


class GridTests(CastTestCase):
    def test_gap_uses_agreed_before_leader_before_self(self):
        c = self.competences[0]
        set_expectations(self.employee, {c: 4}, by=self.leader.user)
        record_assessments(self.employee, "self", {c: 3}, by=self.employee.user)
        record_assessments(self.employee, "leader", {c: 2}, by=self.leader.user)

        [row] = build_rows([self.employee], [c])

        self.assertEqual(row.cells[0].current, 2)
        self.assertEqual(row.cells[0].source, Assessment.Kind.LEADER)
        self.assertEqual(row.cells[0].gap, 2)

    def test_not_assessed_is_no_gap(self):
        c = self.competences[0]
        set_expectations(self.employee, {c: 4}, by=self.leader.user)

        [row] = build_rows([self.employee], [c])

        self.assertIsNone(row.cells[0].gap)
        self.assertEqual(row.cells[0].status, "not-assessed")

    def test_level_above_expectation_meets_it(self):
        c = self.competences[0]
        set_expectations(self.employee, {c: 2}, by=self.leader.user)
        record_assessments(self.employee, "self", {c: 3}, by=self.employee.user)

        [row] = build_rows([self.employee], [c])

        self.assertEqual(row.cells[0].status, "met")
        self.assertEqual(row.cells[0].gap, -1)

    def test_same_query_count_for_any_number_of_people(self):
        make_role_profile(self.agency, {self.competences[0]: 2}, titles="Rådgiver")
        with self.assertNumQueries(5):
            build_rows([self.employee], self.competences)

        with self.assertNumQueries(5):
            build_rows([self.employee, self.colleague, self.leader], self.competences)
