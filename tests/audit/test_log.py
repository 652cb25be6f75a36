from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from audit.log import record
from audit.models import AccessLog
from tests.factories import CastTestCase


class RecordTests(CastTestCase):
    def test_one_row_per_person_in_one_query(self):
        people = [self.employee, self.colleague, self.sub_leader]

        with self.assertNumQueries(1):
            record(self.leader.user, people, AccessLog.Action.READ_TEAM)

        self.assertEqual(
            set(AccessLog.objects.values_list("person", flat=True)),
            {p.pk for p in people},
        )

    def test_row_says_who_whom_what_and_detail(self):
        record(
            self.leader.user, [self.employee], AccessLog.Action.EXPORT, detail="xlsx"
        )

        entry = AccessLog.objects.get()

        self.assertEqual(
            (entry.user, entry.person, entry.action, entry.detail),
            (self.leader.user, self.employee, "export", "xlsx"),
        )
        self.assertIsNotNone(entry.at)

    def test_own_person_is_not_logged(self):
        record(self.leader.user, [self.leader, self.employee], "read_team")

        self.assertEqual(
            list(AccessLog.objects.values_list("person", flat=True)), [self.employee.pk]
        )

    def test_nothing_to_log_writes_nothing(self):
        with self.assertNumQueries(0):
            record(self.employee.user, [self.employee], "read_profile")

    def test_anonymous_writes_nothing(self):
        record(AnonymousUser(), [self.employee], "read_profile")

        self.assertFalse(AccessLog.objects.exists())
