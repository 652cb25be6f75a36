from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalogue.models import Framework
from exchange.frameworks import MAX_BYTES
from tests.factories import CastTestCase, make_catalogue_owner, make_framework

DATA = Path(__file__).resolve().parent.parent / "data"


def upload(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content or (DATA / name).read_bytes())


class ImportPageTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.owner = make_catalogue_owner()

    def test_owner_imports_a_case_package(self):
        self.client.force_login(self.owner)

        response = self.client.post(
            reverse("catalogue:import"), {"file": upload("case-five-levels.json")}
        )

        self.assertContains(response, "Kommunikasjon i tjenestene")
        self.assertTrue(Framework.objects.filter(version=2).exists())

    def test_bad_file_lists_each_fault_and_changes_nothing(self):
        self.client.force_login(self.owner)
        before = Framework.objects.count()

        response = self.client.post(
            reverse("catalogue:import"), {"file": upload("moodle-duplicate.csv")}
        )

        self.assertContains(
            response, "rad 4: idnumber K1 finnes fra før", status_code=400
        )
        self.assertEqual(Framework.objects.count(), before)

    def test_file_over_the_limit_is_refused(self):
        self.client.force_login(self.owner)
        content = b"{" + b" " * MAX_BYTES + b"}"

        response = self.client.post(
            reverse("catalogue:import"), {"file": upload("big.json", content)}
        )

        self.assertContains(response, "grensen på 2,0\xa0MB", status_code=400)

    def test_dry_run_writes_nothing(self):
        self.client.force_login(self.owner)
        before = Framework.objects.count()

        response = self.client.post(
            reverse("catalogue:import"),
            {"file": upload("case-five-levels.json"), "dry_run": "on"},
        )

        self.assertEqual(response.status_code, 200)
        self.assertEqual(Framework.objects.count(), before)

    def test_non_owner_gets_403(self):
        self.login(self.leader)

        get = self.client.get(reverse("catalogue:import"))
        post = self.client.post(
            reverse("catalogue:import"), {"file": upload("case-five-levels.json")}
        )

        self.assertEqual((get.status_code, post.status_code), (403, 403))
        self.assertFalse(Framework.objects.filter(version=2).exists())

    def test_wrong_method_is_405(self):
        self.client.force_login(self.owner)

        response = self.client.put(reverse("catalogue:import"))

        self.assertEqual(response.status_code, 405)


class ExportPageTests(CastTestCase):
    def url(self, framework: Framework, fmt: str) -> str:
        return reverse("catalogue:export", args=[framework.pk, fmt])

    def test_everyone_logged_in_downloads_a_published_framework(self):
        self.login(self.employee)

        case = self.client.get(self.url(self.framework, "case"))
        moodle = self.client.get(self.url(self.framework, "moodle"))

        self.assertEqual(case.json()["CFDocument"]["title"], self.framework.name)
        self.assertTrue(moodle.content.startswith(b"parentidnumber,"))

    def test_draft_is_hidden_from_non_owners(self):
        draft = make_framework("Utkast", status=Framework.Status.DRAFT)
        self.login(self.employee)

        response = self.client.get(self.url(draft, "case"))

        self.assertEqual(response.status_code, 404)

    def test_unknown_format_is_404(self):
        self.login(self.employee)

        response = self.client.get(self.url(self.framework, "xml"))

        self.assertEqual(response.status_code, 404)

    def test_wrong_method_is_405(self):
        self.login(self.employee)

        response = self.client.post(self.url(self.framework, "case"))

        self.assertEqual(response.status_code, 405)
