from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from exchange.hr.importer import import_org
from exchange.models import ImportUpload
from organisation.models import Person, Role
from tests.exchange.test_import_org import DATA, changed_files, files
from tests.factories import CastTestCase, make_user


def upload_files(folder: str) -> dict[str, SimpleUploadedFile]:
    return {
        kind: SimpleUploadedFile(
            f"{kind}.csv", (DATA / folder / f"{kind}.csv").read_bytes()
        )
        for kind in ("units", "people")
    }


class UploadOrgTests(CastTestCase):
    def test_administrator_previews_then_confirms(self):
        self.client.force_login(self.admin)

        response = self.client.post(
            reverse("exchange:upload-org"), upload_files("org-small")
        )
        upload = ImportUpload.objects.get()
        self.assertRedirects(
            response, reverse("exchange:preview-org", args=[upload.pk])
        )
        preview = self.client.get(response["Location"])
        self.assertContains(preview, "Importer disse endringene")
        self.assertFalse(Person.objects.filter(employee_number="100000").exists())

        confirmed = self.client.post(
            reverse("exchange:confirm-org", args=[upload.pk]), follow=True
        )

        self.assertTrue(Person.objects.filter(employee_number="100000").exists())
        self.assertContains(confirmed, "Organisasjonen er oppdatert: 40 nye")

    def test_confirming_twice_imports_once(self):
        self.client.force_login(self.admin)
        self.client.post(reverse("exchange:upload-org"), upload_files("org-small"))
        upload = ImportUpload.objects.get()
        self.client.post(reverse("exchange:confirm-org", args=[upload.pk]))

        response = self.client.post(
            reverse("exchange:confirm-org", args=[upload.pk]), follow=True
        )

        self.assertContains(response, "allerede importert")

    def test_faulty_files_show_every_row_and_cannot_be_confirmed(self):
        self.client.force_login(self.admin)
        self.client.post(reverse("exchange:upload-org"), upload_files("org-errors"))
        upload = ImportUpload.objects.get()
        before = Person.objects.count()

        preview = self.client.get(reverse("exchange:preview-org", args=[upload.pk]))
        confirm = self.client.post(reverse("exchange:confirm-org", args=[upload.pk]))

        self.assertEqual(preview.status_code, 400)
        self.assertContains(preview, "FINNES-IKKE", status_code=400)
        self.assertNotContains(preview, "Importer disse endringene", status_code=400)
        self.assertEqual(confirm.status_code, 400)
        self.assertEqual(Person.objects.count(), before)

    def test_someone_elses_upload_is_404(self):
        self.client.force_login(self.admin)
        self.client.post(reverse("exchange:upload-org"), upload_files("org-small"))
        upload = ImportUpload.objects.get()
        other = make_user("other", is_superuser=True)
        self.client.force_login(other)

        response = self.client.post(reverse("exchange:confirm-org", args=[upload.pk]))

        self.assertEqual(response.status_code, 404)
        self.assertFalse(Person.objects.filter(employee_number="100000").exists())

    def test_leader_and_read_only_hr_are_403(self):
        hr = make_user("hr")
        Role.objects.create(user=hr, kind=Role.Kind.HR, unit=self.agency)

        for user in (self.leader.user, hr):
            self.client.force_login(user)
            response = self.client.get(reverse("exchange:upload-org"))
            self.assertEqual(response.status_code, 403)

    def test_hr_file_outside_own_subtree_is_refused(self):
        hr = make_user("hr")
        Role.objects.create(
            user=hr, kind=Role.Kind.HR, unit=self.team, can_change_people=True
        )
        self.client.force_login(hr)
        self.client.post(reverse("exchange:upload-org"), upload_files("org-small"))
        upload = ImportUpload.objects.get()

        response = self.client.post(reverse("exchange:confirm-org", args=[upload.pk]))

        self.assertEqual(response.status_code, 400)
        self.assertFalse(Person.objects.filter(employee_number="100000").exists())

    @override_settings(HR_IMPORT_MAX_BYTES=100)
    def test_file_over_the_limit_is_refused(self):
        self.client.force_login(self.admin)

        response = self.client.post(
            reverse("exchange:upload-org"), upload_files("org-small")
        )

        self.assertContains(response, "større enn", status_code=400)
        self.assertFalse(ImportUpload.objects.exists())

    def test_missing_file_error_is_tied_to_its_field(self):
        self.client.force_login(self.admin)

        # The browser sends the form's fields (its CSRF token) but no file.
        response = self.client.post(reverse("exchange:upload-org"), {"units": ""})

        # A screen reader reads the error with the field only when the
        # field's aria-describedby names the error list's id.
        for name in ("units", "people"):
            self.assertContains(
                response, f'aria-describedby="id_{name}_error"', status_code=400
            )
            self.assertContains(response, f'id="id_{name}_error"', status_code=400)
        self.assertFalse(ImportUpload.objects.exists())

    def test_wrong_method_is_405(self):
        self.client.force_login(self.admin)

        response = self.client.get(reverse("exchange:confirm-org", args=[1]))

        self.assertEqual(response.status_code, 405)


class HrImportScopeTests(CastTestCase):
    """An HR adviser imports the subtree they serve and nothing beyond it:
    the files may not move a unit or a person out of it, nor add anyone
    outside it."""

    def files(self, *, team_parent=None, people=()):  # type: ignore[no-untyped-def]
        """The team as it is, changed by the arguments, as an upload."""
        parent = team_parent or self.agency
        units = [
            "Enhetskode;Enhetsnavn;Overordnet enhetskode;Leder ansattnummer",
            f"{self.team.code};{self.team.name};{parent.code};"
            f"{self.sub_leader.employee_number}",
        ]
        rows = [
            (p.employee_number, p.first_name, self.team.code)
            for p in (self.sub_leader, self.employee, self.colleague)
        ]
        rows = [row for row in rows if row[0] not in dict(people)] + [
            (number, "Flyttet", unit.code) for number, unit in people
        ]
        lines = ["Ansattnummer;Fornavn;Etternavn;E-post;Stillingstittel;Enhetskode"]
        lines += [f"{number};{name};Testesen;;;{code}" for number, name, code in rows]
        return {
            "units": SimpleUploadedFile("units.csv", "\n".join(units).encode()),
            "people": SimpleUploadedFile("people.csv", "\n".join(lines).encode()),
        }

    def confirm(self, files):  # type: ignore[no-untyped-def]
        self.client.force_login(self.hr_changer)
        self.client.post(reverse("exchange:upload-org"), files)
        upload = ImportUpload.objects.get()
        return self.client.post(reverse("exchange:confirm-org", args=[upload.pk]))

    def test_file_of_own_subtree_is_imported(self):
        response = self.confirm(self.files(people=[("555001", self.team)]))

        self.assertEqual(response.status_code, 302)
        self.assertEqual(Person.objects.get(employee_number="555001").unit, self.team)

    def test_moving_a_person_out_of_the_subtree_is_refused(self):
        number = self.employee.employee_number

        response = self.confirm(self.files(people=[(number, self.elsewhere)]))

        self.assertEqual(response.status_code, 400)
        self.employee.refresh_from_db()
        self.assertEqual(self.employee.unit, self.team)

    def test_adding_a_person_outside_the_subtree_is_refused(self):
        response = self.confirm(self.files(people=[("555002", self.elsewhere)]))

        self.assertEqual(response.status_code, 400)
        self.assertFalse(Person.objects.filter(employee_number="555002").exists())

    def test_moving_the_subtree_elsewhere_is_refused(self):
        response = self.confirm(self.files(team_parent=self.elsewhere))

        self.assertEqual(response.status_code, 400)
        self.team.refresh_from_db()
        self.assertEqual(self.team.parent, self.agency)


class HrImportSeveralSubtreesTests(CastTestCase):
    """An HR adviser who may change people in two subtrees imports into
    either of them, or both, and nothing beyond them."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        Role.objects.create(
            user=cls.hr_changer,
            kind=Role.Kind.HR,
            unit=cls.elsewhere,
            can_change_people=True,
        )

    def files(self, *units, extra=()):  # type: ignore[no-untyped-def]
        """These units as they are, with their people and `extra` people
        (employee number, unit) added."""
        unit_lines = ["Enhetskode;Enhetsnavn;Overordnet enhetskode;Leder ansattnummer"]
        people_lines = [
            "Ansattnummer;Fornavn;Etternavn;E-post;Stillingstittel;Enhetskode"
        ]
        for unit in units:
            leaders = " ".join(p.employee_number for p in unit.leaders.all())
            unit_lines.append(f"{unit.code};{unit.name};{unit.parent.code};{leaders}")
            for person in unit.members.all():
                people_lines.append(
                    f"{person.employee_number};{person.first_name};"
                    f"{person.last_name};;;{unit.code}"
                )
        for number, unit in extra:
            people_lines.append(f"{number};Ny;Testesen;;;{unit.code}")
        return {
            "units": SimpleUploadedFile("units.csv", "\n".join(unit_lines).encode()),
            "people": SimpleUploadedFile(
                "people.csv", "\n".join(people_lines).encode()
            ),
        }

    def confirm(self, files):  # type: ignore[no-untyped-def]
        self.client.force_login(self.hr_changer)
        self.client.post(reverse("exchange:upload-org"), files)
        upload = ImportUpload.objects.latest("pk")
        return self.client.post(reverse("exchange:confirm-org", args=[upload.pk]))

    def test_upload_page_names_both_subtrees(self):
        self.client.force_login(self.hr_changer)

        response = self.client.get(reverse("exchange:upload-org"))

        self.assertContains(response, "Teamet og Et annet sted")

    def test_file_of_the_second_subtree_is_imported_and_keeps_the_first(self):
        response = self.confirm(
            self.files(self.elsewhere, extra=[("555003", self.elsewhere)])
        )

        self.assertEqual(response.status_code, 302)
        self.assertEqual(
            Person.objects.get(employee_number="555003").unit, self.elsewhere
        )
        # The file did not describe the first subtree: nobody there left.
        self.assertEqual(Person.objects.filter(unit=self.team, active=True).count(), 3)

    def test_file_of_both_subtrees_is_imported(self):
        response = self.confirm(
            self.files(
                self.team,
                self.elsewhere,
                extra=[("555004", self.team), ("555005", self.elsewhere)],
            )
        )

        self.assertEqual(response.status_code, 302)
        self.assertEqual(
            Person.objects.filter(employee_number__in=["555004", "555005"]).count(),
            2,
        )

    def test_person_outside_both_subtrees_is_refused_naming_both(self):
        response = self.confirm(
            self.files(self.elsewhere, extra=[("555006", self.other)])
        )

        self.assertContains(response, "Teamet og Et annet sted", status_code=400)
        self.assertContains(response, "555006", status_code=400)
        self.assertFalse(Person.objects.filter(employee_number="555006").exists())


class PreviewDescribesChangesTests(CastTestCase):
    def test_preview_names_leavers_and_what_changed(self):
        import_org(*files("org-small"))
        self.client.force_login(self.admin)
        units, people = changed_files()
        self.client.post(
            reverse("exchange:upload-org"),
            {
                "units": SimpleUploadedFile(*units),
                "people": SimpleUploadedFile(*people),
            },
        )
        upload = ImportUpload.objects.get()

        preview = self.client.get(reverse("exchange:preview-org", args=[upload.pk]))

        self.assertContains(
            preview, "Sluttet: Liv Jensen (100266), Seksjon for innovasjon (E01-2)"
        )
        self.assertContains(
            preview, "Stillingstittel: Spesialkonsulent → Seniorrådgiver"
        )
