from __future__ import annotations

import io
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AccessLog
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

    def test_a_unit_name_a_sheet_cannot_hold_still_downloads(self):
        self.team.name = "Stab/Økonomi [test]: *?\\'"
        self.team.save()
        self.login(self.sub_leader)

        for name in ("heatmap-xlsx", "proposals-xlsx"):
            with self.subTest(name=name):
                response = self.client.get(
                    reverse(f"analysis:{name}", args=[self.team.pk])
                )

                self.assertEqual(response.status_code, 200)
                sheet = load_workbook(io.BytesIO(response.content)).active
                self.assertIn("Stab-Økonomi -test-", sheet.title)
                self.assertNotRegex(sheet.title, r"[\\/?*\[\]:]")

    def test_file_name_keeps_the_letters_of_the_unit_name(self):
        self.team.name = "Bydel Søndre Nordstrand"
        self.team.save()
        self.login(self.sub_leader)

        response = self.client.get(reverse("analysis:heatmap-csv", args=[self.team.pk]))

        self.assertIn(
            "filename*=utf-8''heatmap-bydel-s%C3%B8ndre-nordstrand",
            response["Content-Disposition"],
        )

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


class LargeUnitExportTests(AnalysisCase):
    @override_settings(ANALYSIS_NAMED_LIMIT=2)
    def test_download_above_the_limit_counts_like_the_page(self):
        self.login(self.leader)

        response = self.client.get(
            reverse("analysis:proposals-xlsx", args=[self.agency.pk])
        )

        rows = list(load_workbook(io.BytesIO(response.content)).active.values)
        self.assertIn(("Kompetanse 1", "Teamet", 1, 1, 0, 3, 1), rows)
        self.assertIn(("Kompetanse 1", "The whole unit", 1, 1, 0, 3, 1), rows)
        text = repr(rows)
        self.assertNotIn(self.employee.full_name, text)


class ExportProposalsCommandTests(AnalysisCase):
    def setUp(self) -> None:
        super().setUp()
        self.folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.folder)

    def export(self, unit: str, username: str, name: str = "plan.csv") -> Path:
        output = self.folder / name
        call_command(
            "export_proposals",
            unit,
            "--for",
            username,
            "--output",
            str(output),
            "--language",
            "en",
            stderr=io.StringIO(),
        )
        return output

    @override_settings(ANALYSIS_NAMED_LIMIT=2)
    def test_names_everyone_whatever_the_size_and_logs_it(self):
        leader = self.leader.user.get_username()

        output = self.export(str(self.agency.pk), leader)

        text = output.read_text("utf-8-sig")
        self.assertIn("develop;Ansatt Testesen;Kollega Testesen;3;;", text)
        logged = AccessLog.objects.filter(
            user=self.leader.user, action=AccessLog.Action.EXPORT, detail="analysis"
        )
        self.assertEqual(
            set(logged.values_list("person_id", flat=True)),
            {self.employee.pk, self.colleague.pk},
        )

    def test_xlsx_by_unit_code(self):
        output = self.export(
            self.agency.code, self.leader.user.get_username(), "plan.xlsx"
        )

        rows = list(load_workbook(output).active.values)
        self.assertEqual(rows[0][0], "Competence")
        self.assertGreater(len(rows), 1)

    def test_refused_without_writing(self):
        sub_leader = self.sub_leader.user.get_username()
        leader = self.leader.user.get_username()
        cases = [
            (str(self.agency.pk), sub_leader, "plan.csv", "may not analyse"),
            ("999999", leader, "plan.csv", "No unit"),
            (str(self.agency.pk), "nobody", "plan.csv", "No active user"),
            (str(self.agency.pk), leader, "plan.txt", ".csv or .xlsx"),
            ("²", leader, "plan.csv", "No unit"),
            ("١", leader, "plan.csv", "No unit"),
            (str(self.agency.pk), leader, "nowhere/plan.csv", "no such folder"),
        ]
        for unit, username, name, message in cases:
            with self.subTest(message=message):
                with self.assertRaisesMessage(CommandError, message):
                    self.export(unit, username, name)
                self.assertFalse((self.folder / name).exists())
        self.assertFalse(AccessLog.objects.filter(detail="analysis").exists())
