from __future__ import annotations

import datetime
import io

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.log import record
from audit.models import AccessLog
from audit.views import PAGE_SIZE
from tests.factories import CastTestCase, make_person

LOG = reverse("audit:log")


def export_url(file_format: str) -> str:
    return reverse("audit:export", args=[file_format])


def at(day: int, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2026, 11, day, hour))


class AccessLogViewTests(CastTestCase):
    def log(self, person, action="read_profile", when=None, by=None):  # type: ignore[no-untyped-def]
        [entry] = record((by or self.leader).user, [person], action)
        if when:
            AccessLog.objects.filter(pk=entry.pk).update(at=when)
        return entry

    def test_administrator_sees_entries_newest_first(self):
        self.log(self.employee, when=at(1))
        self.log(self.colleague, when=at(2))
        self.client.force_login(self.administrator)

        response = self.client.get(LOG)

        people = [e.person for e in response.context["page"].object_list]
        self.assertEqual(people, [self.colleague, self.employee])
        self.assertContains(response, self.leader.user.username)

    def test_details_the_product_writes_are_shown_in_the_language(self):
        record(self.leader.user, [self.employee], "read_team", "analysis")
        record(self.leader.user, [self.colleague], "change_expectations", "Rådgiver")
        self.client.force_login(self.administrator)

        bokmal = self.client.get(LOG)
        self.client.cookies["django_language"] = "en"
        english = self.client.get(LOG)

        self.assertContains(bokmal, "<td>gapanalyse</td>", html=True)
        self.assertContains(english, "<td>gap analysis</td>", html=True)
        self.assertNotContains(bokmal, "<td>analysis</td>", html=True)
        self.assertContains(bokmal, "<td>Rådgiver</td>", html=True)

    def test_count_is_grouped_per_language(self):
        AccessLog.objects.bulk_create(
            AccessLog(
                user=self.leader.user, person=self.employee, action="read_profile"
            )
            for _ in range(1234)
        )
        self.client.force_login(self.administrator)

        bokmal = self.client.get(LOG)
        self.client.cookies["django_language"] = "en"
        english = self.client.get(LOG)

        self.assertContains(bokmal, "1\xa0234 oppføringer")
        self.assertContains(english, "1,234 entries")

    def test_filters_by_user_person_action_and_dates(self):
        self.log(self.employee, when=at(1))
        self.log(self.employee, when=at(3), by=self.top)
        self.log(self.colleague, when=at(3))
        wanted = self.log(self.employee, "change_expectations", when=at(3))
        self.client.force_login(self.admin)

        response = self.client.get(
            LOG,
            {
                "user": self.leader.user.username,
                "person": "Ansatt",
                "action": "change_expectations",
                "date_from": "2026-11-02",
                "date_to": "2026-11-03",
            },
        )

        self.assertEqual(list(response.context["page"].object_list), [wanted])

    def test_person_filter_takes_employee_number_and_whom(self):
        entry = self.log(self.employee)
        self.log(self.colleague)
        self.client.force_login(self.admin)

        response = self.client.get(LOG, {"person": self.employee.employee_number})

        self.assertEqual(list(response.context["page"].object_list), [entry])

    def test_date_to_includes_the_whole_day(self):
        entry = self.log(self.employee, when=at(3, hour=23))
        self.client.force_login(self.admin)

        response = self.client.get(LOG, {"date_to": "2026-11-03"})

        self.assertEqual(list(response.context["page"].object_list), [entry])

    def test_start_after_end_is_400(self):
        self.client.force_login(self.admin)

        response = self.client.get(
            LOG, {"date_from": "2026-11-05", "date_to": "2026-11-01"}
        )

        self.assertContains(response, "etter sluttdatoen", status_code=400)

    def test_pages_keep_the_filters(self):
        record(self.leader.user, [self.employee] * (PAGE_SIZE + 1), "read_team")
        self.client.force_login(self.admin)

        response = self.client.get(LOG, {"action": "read_team"})

        self.assertEqual(len(response.context["page"].object_list), PAGE_SIZE)
        self.assertContains(response, "?action=read_team&amp;page=2")

    def test_same_query_count_for_one_and_many_entries(self):
        self.log(self.employee)
        self.client.force_login(self.admin)
        with CaptureQueriesContext(connection) as one:
            self.client.get(LOG)
        record(self.top.user, [self.leader, self.employee, self.outsider], "read_team")

        with self.assertNumQueries(len(one.captured_queries)):
            self.client.get(LOG)

    def test_administrator_gets_the_menu_link(self):
        self.client.force_login(self.administrator)

        response = self.client.get(reverse("catalogue:framework-list"))

        self.assertContains(response, f'href="{LOG}"')

    def test_others_get_no_menu_link(self):
        self.login(self.top)

        response = self.client.get(reverse("catalogue:framework-list"))

        self.assertNotContains(response, f'href="{LOG}"')

    def test_leader_is_refused(self):
        self.log(self.employee)
        self.login(self.top)

        response = self.client.get(LOG)

        self.assertEqual(response.status_code, 403)

    def test_read_only_hr_adviser_is_refused(self):
        self.client.force_login(self.hr_reader)

        self.assertEqual(self.client.get(LOG).status_code, 403)

    def test_anonymous_is_sent_to_login(self):
        response = self.client.get(LOG)

        self.assertRedirects(response, f"{reverse('login')}?next={LOG}")

    def test_wrong_method_is_405(self):
        self.client.force_login(self.admin)

        self.assertEqual(self.client.post(LOG).status_code, 405)


class AccessLogExportTests(CastTestCase):
    def test_csv_has_one_row_per_entry(self):
        record(self.leader.user, [self.employee, self.colleague], "read_team")
        self.client.force_login(self.administrator)

        response = self.client.get(export_url("csv"))

        lines = response.content.decode("utf-8-sig").splitlines()
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("attachment;", response["Content-Disposition"])
        self.assertEqual(len(lines), 3)
        self.assertIn(f";{self.leader.user.username};Leder Testesen;", lines[1])
        self.assertIn(";leste team;", lines[1])

    def test_csv_gives_the_detail_in_the_language(self):
        record(self.leader.user, [self.employee], "export", "ics")
        self.client.force_login(self.administrator)

        response = self.client.get(export_url("csv"))

        self.assertIn(";eksport;kalenderfil", response.content.decode("utf-8-sig"))

    def test_formulas_are_neutralised(self):
        sly = make_person("=HYPERLINK(1)", self.team)
        record(self.leader.user, [sly], "read_profile")
        self.client.force_login(self.admin)

        response = self.client.get(export_url("csv"))

        self.assertIn(";'=HYPERLINK(1) Testesen;", response.content.decode())

    def test_xlsx_has_local_times_and_names(self):
        entry = record(self.leader.user, [self.employee], "read_profile")[0]
        self.client.force_login(self.admin)

        response = self.client.get(export_url("xlsx"))

        sheet = load_workbook(io.BytesIO(response.content)).active
        row = [cell.value for cell in sheet[2]]
        local = timezone.localtime(entry.at).replace(tzinfo=None, microsecond=0)
        self.assertEqual(row[0], local)
        self.assertEqual(
            row[3:5], [self.employee.full_name, self.employee.employee_number]
        )

    def test_export_applies_the_filters(self):
        record(self.leader.user, [self.employee], "read_profile")
        record(self.leader.user, [self.colleague], "change_expectations")
        self.client.force_login(self.admin)

        response = self.client.get(export_url("csv"), {"action": "read_profile"})

        text = response.content.decode()
        self.assertIn(self.employee.full_name, text)
        self.assertNotIn(self.colleague.full_name, text)

    def test_same_query_count_for_one_and_many_entries(self):
        record(self.leader.user, [self.employee], "read_profile")
        self.client.force_login(self.admin)
        with CaptureQueriesContext(connection) as one:
            self.client.get(export_url("xlsx"))
        record(self.top.user, [self.leader, self.employee, self.outsider], "export")

        with self.assertNumQueries(len(one.captured_queries)):
            self.client.get(export_url("xlsx"))

    @override_settings(AUDIT_EXPORT_LIMIT=1)
    def test_too_many_entries_are_refused_with_a_reason(self):
        record(self.leader.user, [self.employee, self.colleague], "read_team")
        self.client.force_login(self.admin)

        response = self.client.get(export_url("csv"))

        self.assertContains(response, "for mange", status_code=400)

    def test_unknown_format_is_404(self):
        self.client.force_login(self.admin)

        self.assertEqual(self.client.get(export_url("pdf")).status_code, 404)

    def test_leader_is_refused(self):
        record(self.leader.user, [self.employee], "read_profile")
        self.login(self.leader)

        response = self.client.get(export_url("csv"))

        self.assertEqual(response.status_code, 403)

    def test_catalogue_owner_is_refused(self):
        self.client.force_login(self.catalogue_owner)

        self.assertEqual(self.client.get(export_url("xlsx")).status_code, 403)

    def test_wrong_method_is_405(self):
        self.client.force_login(self.admin)

        self.assertEqual(self.client.post(export_url("csv")).status_code, 405)
