"""The current levels table stays true to the assessments after every
kind of write: recording, clearing, back-dating, a new catalogue
version, and hand edits in the admin."""

from __future__ import annotations

import datetime
import io
import threading
import time
from unittest import skipUnless

from django.core.management import call_command
from django.db import connection, transaction
from django.test import TransactionTestCase
from django.urls import reverse
from django.utils import timezone

from catalogue.versions import publish, start_draft
from profiles import current as current_levels
from profiles.expectations import save_expectations
from profiles.models import Assessment, CurrentLevel
from profiles.records import record_assessments, set_expectations
from tests.factories import (
    CastTestCase,
    admin_assessment_form,
    make_catalogue_owner,
    make_framework,
    make_person,
    make_unit,
    make_user,
)


class CurrentLevelTests(CastTestCase):
    def levels(self, person, competence) -> tuple[int | None, ...] | None:  # type: ignore[no-untyped-def]
        row = CurrentLevel.objects.filter(person=person, competence=competence)
        found = row.values_list("self_level", "leader_level", "agreed_level").first()
        return tuple(found) if found else None

    def expected(self, person, competence) -> int | None:  # type: ignore[no-untyped-def]
        row = CurrentLevel.objects.filter(person=person, competence=competence)
        return row.values_list("expected", flat=True).first()

    def assertTableTrue(self) -> None:
        self.assertEqual(current_levels.stale(), [])

    def test_recording_writes_one_row_per_person_and_competence(self):
        c1, c2 = self.competences[:2]
        by = self.leader.user

        record_assessments(self.employee, "self", {c1: 2, c2: 3}, by=by)
        record_assessments(self.employee, "leader", {c1: 3}, by=by)
        record_assessments(self.employee, "agreed", {c1: 4}, by=by)

        self.assertEqual(self.levels(self.employee, c1), (2, 3, 4))
        self.assertEqual(self.levels(self.employee, c2), (3, None, None))
        self.assertTableTrue()

    def test_a_new_assessment_replaces_the_level_of_its_kind(self):
        c1 = self.competences[0]
        record_assessments(self.employee, "self", {c1: 2}, by=self.employee.user)

        record_assessments(self.employee, "self", {c1: 4}, by=self.employee.user)

        self.assertEqual(self.levels(self.employee, c1), (4, None, None))
        self.assertTableTrue()

    def test_clearing_the_only_level_removes_the_row(self):
        c1 = self.competences[0]
        by = self.leader.user
        record_assessments(self.employee, "leader", {c1: 2}, by=by)

        record_assessments(self.employee, "leader", {c1: None}, by=by)

        self.assertIsNone(self.levels(self.employee, c1))
        self.assertTableTrue()

    def test_a_back_dated_assessment_leaves_the_current_level(self):
        c1 = self.competences[0]
        by = self.leader.user
        today = timezone.localdate()
        record_assessments(self.employee, "leader", {c1: 3}, by=by, on=today)

        record_assessments(
            self.employee, "leader", {c1: 1}, by=by, on=today - datetime.timedelta(30)
        )

        self.assertEqual(self.levels(self.employee, c1), (None, 3, None))
        self.assertTableTrue()

    def test_expectations_are_kept_beside_the_levels(self):
        c1, c2 = self.competences[:2]
        by = self.leader.user
        record_assessments(self.employee, "self", {c1: 2}, by=self.employee.user)

        set_expectations(self.employee, {c1: 3, c2: 4}, by=by)
        self.assertEqual(self.expected(self.employee, c1), 3)
        self.assertEqual(self.expected(self.employee, c2), 4)
        self.assertTableTrue()

        set_expectations(self.employee, {c1: None, c2: None}, by=by)
        self.assertIsNone(self.expected(self.employee, c1))
        self.assertEqual(self.levels(self.employee, c1), (2, None, None))
        self.assertFalse(
            CurrentLevel.objects.filter(person=self.employee, competence=c2).exists()
        )
        self.assertTableTrue()

    def test_a_team_grid_save_keeps_the_table_true(self):
        c1, c2 = self.competences[:2]
        levels = {self.employee: {c1: 2, c2: 3}, self.colleague: {c1: 4}}

        outcome = save_expectations(levels, by=self.leader.user, seen_ids=[])

        self.assertEqual(len(outcome.rows), 3)
        self.assertEqual(self.expected(self.colleague, c1), 4)
        self.assertTableTrue()

    def test_a_new_version_moves_the_levels_to_its_competences(self):
        c1 = self.competences[0]
        record_assessments(self.employee, "agreed", {c1: 3}, by=self.leader.user)
        draft = start_draft(self.framework)

        publish(draft, make_catalogue_owner())

        moved = draft.competences.get(uuid=c1.uuid)
        self.assertIsNone(self.levels(self.employee, c1))
        self.assertEqual(self.levels(self.employee, moved), (None, None, 3))
        self.assertTableTrue()

    def test_hand_edits_in_the_admin_keep_the_table_true(self):
        c1, c2 = self.competences[:2]
        [row] = record_assessments(
            self.employee, "leader", {c1: 2}, by=self.leader.user
        )
        admin = make_user("superuser", is_staff=True, is_superuser=True)
        self.client.force_login(admin)
        change = reverse("admin:profiles_assessment_change", args=[row.pk])

        response = self.client.post(
            change, admin_assessment_form(row, competence=c2.pk, level=4)
        )

        self.assertEqual(response.status_code, 302)
        self.assertIsNone(self.levels(self.employee, c1))
        self.assertEqual(self.levels(self.employee, c2), (None, 4, None))
        self.assertTableTrue()

        delete = reverse("admin:profiles_assessment_delete", args=[row.pk])
        self.client.post(delete, {"post": "yes"})

        self.assertFalse(Assessment.objects.filter(pk=row.pk).exists())
        self.assertIsNone(self.levels(self.employee, c2))
        self.assertTableTrue()

    def test_edits_outside_the_product_are_found_and_repaired(self):
        c1 = self.competences[0]
        record_assessments(self.employee, "self", {c1: 2}, by=self.employee.user)
        Assessment.objects.filter(person=self.employee).update(level=4)
        self.assertEqual(current_levels.stale(), [(self.employee.pk, c1.pk)])

        out = io.StringIO()
        with self.assertRaises(SystemExit):
            call_command("rebuild_current_levels", check=True, stdout=out)
        self.assertIn("1 person–competence pairs are out of date", out.getvalue())
        call_command("rebuild_current_levels", stdout=out)

        self.assertEqual(self.levels(self.employee, c1), (4, None, None))
        self.assertTableTrue()


@skipUnless(connection.vendor == "postgresql", "SQLite lets one writer in at a time")
class ConcurrentWritersTests(TransactionTestCase):
    """An expectation and an assessment of the same person saved at the same
    moment: the second writer's refresh waits for the first to commit, so
    the table ends up true and neither save fails."""

    def test_expectation_and_assessment_at_the_same_moment(self):
        unit = make_unit("Enheten")
        leader = make_person("Leder", unit, leads=[unit])
        person = make_person("Ansatt", unit)
        competence = make_framework(competences=1).competences.get()
        written, release = threading.Event(), threading.Event()
        failures: list[BaseException] = []

        def first() -> None:
            try:
                with transaction.atomic():
                    set_expectations(person, {competence: 3}, by=leader.user)
                    written.set()
                    release.wait(timeout=20)
            except BaseException as error:  # reported below
                failures.append(error)
            finally:
                connection.close()

        def second() -> None:
            try:
                written.wait(timeout=20)
                with transaction.atomic():
                    record_assessments(
                        person, "leader", {competence: 2}, by=leader.user
                    )
            except BaseException as error:
                failures.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=first), threading.Thread(target=second)]
        for thread in threads:
            thread.start()
        written.wait(timeout=20)
        self.wait_until_someone_waits_for_a_lock()
        release.set()
        for thread in threads:
            thread.join(timeout=30)

        self.assertEqual(failures, [])
        self.assertEqual(current_levels.stale(), [])
        row = CurrentLevel.objects.get(person=person, competence=competence)
        self.assertEqual((row.expected, row.leader_level), (3, 2))

    def wait_until_someone_waits_for_a_lock(self) -> None:
        """Until the second writer is blocked by the first (else the test
        would prove nothing)."""
        deadline = time.monotonic() + 20
        with connection.cursor() as cursor:
            while time.monotonic() < deadline:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
                if cursor.fetchone()[0]:
                    return
                time.sleep(0.05)
        self.fail("the second writer never waited for the first")
