"""The gap analysis names people with their levels: such reads are logged
like the team page's, and nobody is logged for their own data."""

from __future__ import annotations

from django.urls import reverse

from audit.models import AccessLog
from tests.analysis.test_views import AnalysisCase


class AnalysisAccessLogTests(AnalysisCase):
    def logged(self, action: str) -> set[int]:
        return set(
            AccessLog.objects.filter(
                user=self.leader.user, action=action, detail="analysis"
            ).values_list("person_id", flat=True)
        )

    def test_proposals_page_logs_the_people_it_names(self):
        self.login(self.leader)

        self.client.get(self.plan_url(self.agency))

        # The employee is named as learner, the colleague as mentor.
        self.assertEqual(
            self.logged(AccessLog.Action.READ_TEAM),
            {self.employee.pk, self.colleague.pk},
        )

    def test_heatmap_logs_the_people_on_its_page(self):
        self.login(self.leader)

        response = self.client.get(self.heatmap_url(self.team))

        shown = {row.person_id for row in response.context["person_rows"]}
        self.assertIn(self.employee.pk, shown)
        self.assertEqual(self.logged(AccessLog.Action.READ_TEAM), shown)

    def test_exports_log_as_exports(self):
        self.login(self.leader)

        self.client.get(reverse("analysis:proposals-csv", args=[self.agency.pk]))

        self.assertEqual(
            self.logged(AccessLog.Action.EXPORT),
            {self.employee.pk, self.colleague.pk},
        )

    def test_own_person_is_not_logged(self):
        self.login(self.leader)

        self.client.get(self.heatmap_url(self.agency), headers={"HX-Request": "true"})

        self.assertTrue(self.logged(AccessLog.Action.READ_TEAM))
        self.assertNotIn(self.leader.pk, self.logged(AccessLog.Action.READ_TEAM))

    def test_a_refused_unit_logs_nothing(self):
        self.login(self.leader)

        response = self.client.get(self.plan_url(self.elsewhere))

        self.assertEqual(response.status_code, 404)
        self.assertFalse(AccessLog.objects.exists())
