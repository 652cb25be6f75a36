from __future__ import annotations

import io

from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from tests.analysis.test_views import AnalysisCase


class ExportTests(AnalysisCase):
    def test_proposals_csv_has_reasons(self):
        self.login(self.leader)

        response = self.client.get(
            reverse("analysis:proposals-csv", args=[self.agency.pk])
        )

        text = response.content.decode("utf-8-sig")
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("develop;Ansatt Testesen;Kollega Testesen;3;;", text)
        self.assertIn("Recruit 1 at level 3", text)

    def test_heatmap_xlsx_has_a_row_per_unit_and_competence(self):
        self.login(self.leader)

        response = self.client.get(
            reverse("analysis:heatmap-xlsx", args=[self.agency.pk])
        )

        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertIn(("Teamet", "Kompetanse 1", 2, 1, 2, 1.0), rows)

    def test_formula_in_a_name_is_neutralised(self):
        self.employee.first_name = "=cmd"
        self.employee.save()
        self.login(self.sub_leader)

        response = self.client.get(reverse("analysis:heatmap-csv", args=[self.team.pk]))

        self.assertIn("'=cmd Testesen", response.content.decode("utf-8-sig"))

    def test_export_outside_scope_is_404(self):
        self.login(self.sub_leader)

        for name in ("heatmap-csv", "heatmap-xlsx", "proposals-csv", "proposals-xlsx"):
            with self.subTest(name=name):
                response = self.client.get(
                    reverse(f"analysis:{name}", args=[self.agency.pk])
                )

                self.assertEqual(response.status_code, 404)

    def test_file_names_follow_the_language(self):
        self.login(self.leader)
        for language, heatmap, proposals in (
            ("nb", "varmekart-", "forslag-"),
            ("en", "heatmap-", "proposals-"),
        ):
            self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            for name, start in (("heatmap-csv", heatmap), ("proposals-csv", proposals)):
                with self.subTest(language=language, name=name):
                    response = self.client.get(
                        reverse(f"analysis:{name}", args=[self.agency.pk])
                    )

                    self.assertIn(f'filename="{start}', response["Content-Disposition"])

    def test_wrong_method_is_405(self):
        self.login(self.leader)

        response = self.client.post(
            reverse("analysis:proposals-csv", args=[self.agency.pk])
        )

        self.assertEqual(response.status_code, 405)


class IndexTests(AnalysisCase):
    def test_leader_of_one_unit_goes_straight_to_it(self):
        self.login(self.leader)

        response = self.client.get(reverse("analysis:index"))

        self.assertRedirects(response, self.plan_url(self.agency))

    def test_administrator_chooses_among_top_units(self):
        self.client.force_login(self.admin)

        response = self.client.get(reverse("analysis:index"))

        self.assertRedirects(response, self.plan_url(self.root))

    def test_employee_gets_404_and_no_menu_entry(self):
        self.login(self.employee)

        response = self.client.get(reverse("analysis:index"))
        page = self.client.get(reverse("profiles:me"))

        self.assertEqual(response.status_code, 404)
        self.assertNotContains(page, reverse("analysis:index"))

    def test_wrong_method_is_405(self):
        self.login(self.leader)

        response = self.client.post(reverse("analysis:index"))

        self.assertEqual(response.status_code, 405)
