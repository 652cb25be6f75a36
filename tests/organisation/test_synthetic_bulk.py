from __future__ import annotations

from django.db import connection
from django.test import TestCase

from organisation.synthetic import bulk
from profiles.models import Assessment, Expectation


def constraints() -> dict[str, dict]:
    with connection.cursor() as cursor:
        return {
            model._meta.db_table: connection.introspection.get_constraints(
                cursor, model._meta.db_table
            )
            for model in (Expectation, Assessment)
        }


class DropIndexesTests(TestCase):
    def test_indexes_and_foreign_keys_come_back_as_they_were(self):
        before = constraints()

        statements = bulk.drop_indexes(Expectation, Assessment)
        during = constraints()
        bulk.execute(statements)

        self.assertEqual(constraints(), before)
        self.assertLess(
            len(during[Assessment._meta.db_table]),
            len(before[Assessment._meta.db_table]),
        )

    def test_primary_keys_stay_during_the_load(self):
        statements = bulk.drop_indexes(Expectation, Assessment)

        kept = constraints()[Assessment._meta.db_table].values()
        bulk.execute(statements)

        self.assertTrue(any(c["primary_key"] for c in kept))
