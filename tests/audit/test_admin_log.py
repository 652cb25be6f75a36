"""Django's admin shows and changes expectations and assessments too, so
it writes the access log like the product's own pages."""

from __future__ import annotations

from django.urls import reverse

from audit.models import AccessLog
from profiles.records import record_assessments, set_expectations
from tests.factories import CastTestCase, admin_assessment_form, make_user


def logged(action: str) -> set[tuple[int, int, str]]:
    return set(
        AccessLog.objects.filter(action=action).values_list("user", "person", "detail")
    )


class AdminAccessLogTests(CastTestCase):
    def setUp(self):
        c = self.competences[0]
        [self.assessment] = record_assessments(
            self.employee, "leader", {c: 2}, by=self.leader.user
        )
        [self.expectation] = set_expectations(
            self.colleague, {c: 3}, by=self.leader.user
        )
        self.superuser = make_user("superuser", is_staff=True, is_superuser=True)
        self.client.force_login(self.superuser)

    def test_lists_log_the_people_shown(self):
        self.client.get(reverse("admin:profiles_assessment_changelist"))
        self.client.get(reverse("admin:profiles_expectation_changelist"))

        me = self.superuser.pk
        self.assertEqual(
            logged("read_team"),
            {(me, self.employee.pk, "admin"), (me, self.colleague.pk, "admin")},
        )

    def test_opening_a_row_logs_a_read(self):
        self.client.get(
            reverse("admin:profiles_assessment_change", args=[self.assessment.pk])
        )

        self.assertEqual(
            logged("read_profile"), {(self.superuser.pk, self.employee.pk, "admin")}
        )

    def test_saving_an_expectation_logs_a_change(self):
        row = self.expectation
        self.client.post(
            reverse("admin:profiles_expectation_change", args=[row.pk]),
            {
                "person": self.colleague.pk,
                "competence": row.competence_id,
                "level": 4,
                "note": "",
                "set_by": self.leader.user.pk,
                "created_at_0": row.created_at.date().isoformat(),
                "created_at_1": "12:00:00",
                "is_current": "on",
            },
        )

        self.assertEqual(
            logged("change_expectations"),
            {(self.superuser.pk, self.colleague.pk, "admin")},
        )

    def test_moving_an_assessment_logs_both_people(self):
        row = self.assessment
        self.client.post(
            reverse("admin:profiles_assessment_change", args=[row.pk]),
            admin_assessment_form(row, person=self.colleague.pk, level=4),
        )

        me = self.superuser.pk
        self.assertEqual(
            logged("change_assessment"),
            {(me, self.employee.pk, "admin"), (me, self.colleague.pk, "admin")},
        )

    def test_deleting_logs_a_change(self):
        self.client.post(
            reverse("admin:profiles_assessment_delete", args=[self.assessment.pk]),
            {"post": "yes"},
        )
        self.client.post(
            reverse("admin:profiles_expectation_changelist"),
            {
                "action": "delete_selected",
                "_selected_action": [self.expectation.pk],
                "post": "yes",
            },
        )

        me = self.superuser.pk
        self.assertEqual(logged("change_assessment"), {(me, self.employee.pk, "admin")})
        self.assertEqual(
            logged("change_expectations"), {(me, self.colleague.pk, "admin")}
        )
