from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from profiles.records import record_assessments, set_expectations
from tests.factories import CastTestCase


class PersonChartTests(CastTestCase):
    def setUp(self) -> None:
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def test_chart_and_table_show_the_same_numbers(self):
        c = self.competences[0]
        set_expectations(self.employee, {c: 3}, by=self.leader.user)
        record_assessments(self.employee, "self", {c: 2}, by=self.employee.user)
        self.login(self.leader)

        response = self.client.get(reverse("profiles:person", args=[self.employee.pk]))

        self.assertContains(response, "<svg")
        language = c.framework.language
        self.assertContains(
            response,
            f'<tspan lang="{language}">Kompetanse 1</tspan>: expected 3, current 2',
        )
        self.assertContains(
            response,
            f'<tr><th scope="row" lang="{language}">Kompetanse 1</th>'
            "<td>3</td><td>2</td></tr>",
        )

    def test_bar_length_follows_the_scale(self):
        c = self.competences[0]
        record_assessments(self.employee, "self", {c: 2}, by=self.employee.user)
        self.login(self.leader)

        response = self.client.get(reverse("profiles:person", args=[self.employee.pk]))

        # Level 2 of 4 fills half of the 440-unit plot.
        self.assertContains(response, 'width="220.0"')

    def test_no_levels_means_no_chart(self):
        self.login(self.leader)

        response = self.client.get(reverse("profiles:person", args=[self.employee.pk]))

        self.assertNotContains(response, "<svg")
