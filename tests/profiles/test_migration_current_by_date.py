"""Migration 0004 marks the newest assessment by date as current, and
leaves histories without a current row alone."""

from __future__ import annotations

import datetime
import importlib
from types import SimpleNamespace

from django.apps import apps
from django.db import connection

from profiles.models import Assessment
from tests.factories import CastTestCase

migration = importlib.import_module(
    "profiles.migrations.0004_current_assessment_by_date"
)


class CurrentByDateMigrationTests(CastTestCase):
    def add(self, competence, on: datetime.date, *, current: bool, level: int = 2):  # type: ignore[no-untyped-def]
        return Assessment.objects.create(
            person=self.employee,
            competence=competence,
            kind=Assessment.Kind.LEADER,
            level=level,
            assessed_on=on,
            assessed_by=self.leader.user,
            is_current=current,
        )

    def run_migration(self) -> None:
        # The function uses only the editor's connection; SQLite's schema
        # editor cannot open inside the test's transaction.
        migration.mark_newest_current(apps, SimpleNamespace(connection=connection))

    def test_a_back_dated_current_row_gives_way_to_the_newest(self):
        first, second = self.competences[:2]
        newer = self.add(first, datetime.date(2026, 12, 1), current=False, level=3)
        back_dated = self.add(first, datetime.date(2024, 1, 1), current=True, level=1)
        right = self.add(second, datetime.date(2026, 1, 1), current=True)
        older = self.add(second, datetime.date(2025, 1, 1), current=False)

        self.run_migration()

        current = set(
            Assessment.objects.filter(is_current=True).values_list("pk", flat=True)
        )
        self.assertEqual(current, {newer.pk, right.pk})
        self.assertNotIn(back_dated.pk, current)
        self.assertNotIn(older.pk, current)

    def test_a_history_without_a_current_row_stays_so(self):
        # As on a retired version's competence after publishing.
        self.add(self.competences[0], datetime.date(2026, 1, 1), current=False)

        self.run_migration()

        self.assertFalse(Assessment.objects.filter(is_current=True).exists())
