from __future__ import annotations

import io
import tempfile
import zipfile
from io import StringIO
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import TestCase
from django.utils import translation
from openpyxl import Workbook

from exchange.hr.describe import people_lines
from exchange.hr.importer import FileProblem, import_org
from organisation.models import OrgUnit, Person
from organisation.scope import subordinates

DATA = Path(__file__).resolve().parent.parent / "data"


def files(folder: str) -> tuple[tuple[str, bytes], tuple[str, bytes]]:
    return tuple(  # type: ignore[return-value]
        (name, (DATA / folder / name).read_bytes())
        for name in ("units.csv", "people.csv")
    )


def snapshot() -> list:
    return [
        sorted(OrgUnit.objects.values_list("code", "name", "parent__code")),
        sorted(
            Person.objects.values_list(
                "employee_number",
                "first_name",
                "last_name",
                "email",
                "title",
                "unit__code",
                "active",
            )
        ),
        sorted(
            OrgUnit.leaders.through.objects.values_list(
                "orgunit__code", "person__employee_number"
            )
        ),
    ]


def edited(file: tuple[str, bytes], old: str, new: str) -> tuple[str, bytes]:
    text = file[1].decode("utf-8-sig")
    assert old in text, old
    return file[0], text.replace(old, new).encode("utf-8")


def xlsx(rows: list[list[str]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class ImportOrgTests(TestCase):
    def test_small_organisation_imports(self):
        import_org(*files("org-small"))

        self.assertEqual(OrgUnit.objects.count(), 7)
        self.assertEqual(Person.objects.count(), 40)
        self.assertEqual(
            Person.objects.get(employee_number="100021").first_name, "Siri"
        )

    def test_windows_1252_gives_the_same_result(self):
        savepoint = transaction.savepoint()
        import_org(*files("org-small"))
        utf8 = snapshot()
        transaction.savepoint_rollback(savepoint)

        import_org(*files("org-small-cp1252"))

        self.assertEqual(snapshot(), utf8)

    def test_second_import_reports_and_writes_nothing(self):
        import_org(*files("org-small"))

        with self.assertNumQueries(6):
            result = import_org(*files("org-small"))

        self.assertFalse(result.has_changes)
        self.assertEqual(result.summary()["people_unchanged"], 40)

    def test_leaders_are_linked_and_nobody_is_in_own_scope(self):
        import_org(*files("org-small"))

        top = Person.objects.get(employee_number="100000")

        self.assertEqual(subordinates(top).count(), 39)
        for leader in Person.objects.filter(led_units__isnull=False):
            self.assertNotIn(leader, set(subordinates(leader)))

    def test_leader_of_nested_units_sitting_below_is_not_in_own_scope(self):
        units, people = files("org-small")
        units = edited(units, "E01-1;Stab;E01;100014", "E01-1;Stab;E01;100007")
        import_org(units, people)

        leader = Person.objects.get(employee_number="100007")

        self.assertEqual(leader.led_units.count(), 2)
        self.assertNotIn(leader, set(subordinates(leader)))

    def test_missing_person_is_marked_left_and_kept(self):
        import_org(*files("org-small"))
        units, people = files("org-small")
        lines = people[1].split(b"\r\n")
        gone = [line for line in lines if not line.startswith(b"100266;")]

        result = import_org(units, (people[0], b"\r\n".join(gone)))

        person = Person.objects.get(employee_number="100266")
        self.assertEqual(result.summary()["people_left"], 1)
        self.assertFalse(person.active)
        self.assertIsNotNone(person.left_on)

    def test_left_person_loses_login_and_gets_it_back_on_return(self):
        import_org(*files("org-small"))
        person = Person.objects.get(employee_number="100266")
        person.user = get_user_model().objects.create_user("liv")
        person.save()
        units, people = files("org-small")
        without = b"\r\n".join(
            line for line in people[1].split(b"\r\n") if not line.startswith(b"100266;")
        )
        import_org(units, (people[0], without))
        self.assertFalse(get_user_model().objects.get(username="liv").is_active)

        result = import_org(units, people)

        self.assertTrue(get_user_model().objects.get(username="liv").is_active)
        self.assertEqual(result.summary()["people_changed"], 1)

    def test_moved_person_and_moved_unit(self):
        import_org(*files("org-small"))
        units, people = files("org-small")
        units = edited(
            units,
            "E02-2;Enhet for tjenesteutvikling;E02",
            "E02-2;Enhet for tjenesteutvikling;E01",
        )
        people = edited(
            people, "Miljøterapeut;E02-2\r\n100196", "Miljøterapeut;E01-1\r\n100196"
        )

        result = import_org(units, people)

        counts = result.summary()
        self.assertEqual((counts["units_moved"], counts["people_moved"]), (1, 1))
        moved = OrgUnit.objects.get(code="E02-2")
        self.assertTrue(moved.path.startswith(OrgUnit.objects.get(code="E01").path))
        self.assertEqual(
            Person.objects.get(employee_number="100189").unit.code, "E01-1"
        )

    def test_xlsx_and_other_headers_by_mapping(self):
        units = xlsx([["Kode", "Navn", "Forelder", "Leder"], ["R", "Rot", "", 1]])
        people = xlsx(
            [
                ["Nr", "Fornavn", "Etternavn", "E-post", "Stillingstittel", "Kode"],
                [1, "Åse", "Ødegård", "ase@example.org", "Leder", "R"],
            ]
        )
        mapping = {
            "units": {
                "code": "Kode",
                "name": "Navn",
                "parent_code": "Forelder",
                "leader_number": "Leder",
            },
            "people": {"employee_number": "Nr", "unit_code": "Kode"},
        }

        import_org(("u.xlsx", units), ("p.xlsx", people), columns=mapping)

        self.assertEqual(Person.objects.get().employee_number, "1")
        self.assertEqual(OrgUnit.objects.get().leaders.get().last_name, "Ødegård")

    def test_comma_separated_without_bom(self):
        units = (
            b"Enhetskode,Enhetsnavn,Overordnet enhetskode,Leder ansattnummer\nR,Rot,,\n"
        )
        people = (
            b"Ansattnummer,Fornavn,Etternavn,E-post,Stillingstittel,Enhetskode\n"
            b"7,Ola,Nordmann,,Konsulent,R\n"
        )

        import_org(("u.csv", units), ("p.csv", people))

        self.assertEqual(Person.objects.get().unit.code, "R")


class FaultyImportTests(TestCase):
    def test_every_listed_fault_is_reported_and_nothing_changes(self):
        import_org(*files("org-small"))
        before = snapshot()

        result = import_org(*files("org-errors"))

        reported = {(e.filename, e.line) for e in result.snapshot.errors}
        self.assertEqual(
            reported,
            {
                ("units.csv", 3),
                ("units.csv", 4),
                ("units.csv", 5),
                ("units.csv", 6),
                ("people.csv", 5),
                ("people.csv", 6),
                ("people.csv", 7),
                ("people.csv", 8),
                ("people.csv", 10),
            },
        )
        self.assertEqual(snapshot(), before)

    def test_formula_and_line_break_are_valid(self):
        result = import_org(*files("org-errors"))

        people = result.snapshot.people
        self.assertTrue(people["200007"].first_name.startswith("=HYPERLINK"))
        self.assertEqual(people["200008"].last_name, "Bakke Berg")

    def test_invalid_email_reason_names_the_value(self):
        result = import_org(*files("org-errors"))

        messages = [e.message for e in result.snapshot.errors if e.line == 5]
        self.assertTrue(any("ikke-en-epost" in m for m in messages))

    def test_missing_column_is_one_clear_problem(self):
        with self.assertRaisesMessage(FileProblem, "Enhetsnavn"):
            import_org(("u.csv", b"Enhetskode;Navn\nA;B\n"), files("org-small")[1])

    def test_header_only_people_file_marks_nobody_as_left(self):
        import_org(*files("org-small"))
        units, people = files("org-small")
        header = people[1].split(b"\r\n")[0] + b"\r\n"

        with self.assertRaises(FileProblem):
            import_org(units, (people[0], header))

        self.assertEqual(Person.objects.filter(active=True).count(), 40)

    def test_binary_and_empty_files_are_refused(self):
        for data in (b"", b"\x00\x01\x02garbage", b"PK\x03\x04broken zip"):
            with self.subTest(data=data), self.assertRaises(FileProblem):
                import_org(("u.csv", data), files("org-small")[1])

        self.assertFalse(OrgUnit.objects.exists())

    def test_a_unit_deeper_than_a_path_holds_is_refused_on_its_line(self):
        import_org(*files("org-small"))  # OK lies at depth 1, E01 at depth 2
        before = snapshot()
        units, people = files("org-small")
        chain = "".join(
            f"D{n};Nivå {n};{f'D{n - 1}' if n else 'E01'};\r\n" for n in range(40)
        )
        deep = (units[0], units[1] + chain.encode())

        with translation.override("en"):
            result = import_org(deep, people)

        # D33 lies at depth 2 + 34 = 36, the most a path holds.
        errors = [(e.line, e.message) for e in result.snapshot.errors]
        self.assertEqual(len(errors), 6)
        self.assertEqual(
            errors[0],
            (43, "Unit D34 lies 37 levels deep; the organisation holds at most 36."),
        )
        self.assertEqual(snapshot(), before)

    def test_moving_a_unit_may_not_push_units_left_out_of_the_file_too_deep(self):
        units, people = files("org-small")
        chain = "".join(
            f"D{n};Nivå {n};{f'D{n - 1}' if n else 'E01'};\r\n" for n in range(34)
        )
        import_org((units[0], units[1] + chain.encode()), people)  # D33 at 36
        before = snapshot()
        moved = edited(
            units,
            "E01;Byrådsavdeling for finans;OK;",
            "E01;Byrådsavdeling for finans;E02-2;",
        )

        with translation.override("en"):
            result = import_org(moved, people)

        errors = [(e.line, e.message[:24]) for e in result.snapshot.errors]
        self.assertEqual(
            errors, [(3, "Unit D32, below this uni"), (3, "Unit D33, below this uni")]
        )
        self.assertEqual(snapshot(), before)

    def test_utf16_file_is_named_as_such(self):
        # Excel's "Unicode text" export: UTF-16 with a byte order mark.
        units, people = files("org-small")
        as_utf16 = people[1].decode("utf-8-sig").encode("utf-16")

        with self.assertRaisesMessage(FileProblem, "UTF-16"):
            import_org(units, (people[0], as_utf16))

    def test_damaged_xlsx_files_are_refused(self):
        good = xlsx([["Enhetskode", "Enhetsnavn"], ["R", "Rot"]])
        charts = Workbook()
        charts.create_chartsheet()
        charts.remove(charts.active)
        only_charts = io.BytesIO()
        charts.save(only_charts)
        damaged = {
            "cut sheet": rezipped(good, "xl/worksheets/sheet1.xml", cut=True),
            "no sheet": rezipped(good, "xl/worksheets/sheet1.xml", cut=False),
            "only a chart sheet": only_charts.getvalue(),
        }
        for name, data in damaged.items():
            with (
                self.subTest(name),
                translation.override("en"),
                self.assertRaisesMessage(FileProblem, "u.xlsx: The XLSX file"),
            ):
                import_org(("u.xlsx", data), files("org-small")[1])

        self.assertFalse(OrgUnit.objects.exists())


def rezipped(data: bytes, member: str, *, cut: bool) -> bytes:
    """The XLSX file with one member cut in half, or left out."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w") as target,
    ):
        for name in source.namelist():
            content = source.read(name)
            if name == member:
                if not cut:
                    continue
                content = content[: len(content) // 2]
            target.writestr(name, content)
    return out.getvalue()


class ImportOrgCommandTests(TestCase):
    def run_command(self, folder: str, *extra: str) -> str:
        out = StringIO()
        call_command(
            "import_org",
            str(DATA / folder / "units.csv"),
            str(DATA / folder / "people.csv"),
            *extra,
            stdout=out,
            stderr=StringIO(),
        )
        return out.getvalue()

    def test_prints_summary(self):
        output = self.run_command("org-small")

        self.assertRegex(output, r"  Nye personer +40\n")
        self.assertIn("Importen er ferdig.", output)

    def test_summary_speaks_the_active_language(self):
        with translation.override("en"):
            english = self.run_command("org-small", "--dry-run")
        bokmal = self.run_command("org-small", "--dry-run")

        self.assertRegex(english, r"  New people +40\n")
        self.assertRegex(bokmal, r"  Nye personer +40\n")
        for label in ("people new", "units new", "people left", "seconds"):
            self.assertNotIn(label, bokmal)

    def test_progress_bar_reaches_the_end(self):
        for extra in ((), ("--dry-run",)):
            with self.subTest(extra=extra):
                lines = self.run_command("org-small", *extra).splitlines()

                bars = [line for line in lines if line.startswith("[")]
                self.assertEqual(len(bars), 5)
                self.assertTrue(bars[-1].startswith("[" + "#" * 20 + "]"), bars)

    def test_second_run_says_no_changes(self):
        self.run_command("org-small")

        self.assertIn("Ingen endringer.", self.run_command("org-small"))

    def test_file_problem_names_the_file(self):
        with tempfile.TemporaryDirectory() as folder:
            units = Path(folder) / "enheter.csv"
            units.write_bytes((DATA / "org-small" / "units.csv").read_bytes())
            people = Path(folder) / "personer.csv"
            people.write_bytes(b"")

            with self.assertRaisesMessage(CommandError, "personer.csv: Filen er tom."):
                call_command("import_org", str(units), str(people), stdout=StringIO())

    def test_dry_run_writes_nothing(self):
        self.run_command("org-small", "--dry-run")

        self.assertFalse(Person.objects.exists())

    def test_faulty_files_exit_non_zero(self):
        with self.assertRaisesMessage(CommandError, "ingenting ble endret"):
            self.run_command("org-errors")

        self.assertFalse(Person.objects.exists())


class ImportMessageTests(TestCase):
    """Messages name what the person sees in the files: the file and the
    column headers, in the active language."""

    def people_with(self, row: str) -> tuple[str, bytes]:
        header = "Ansattnummer;Fornavn;Etternavn;E-post;Stillingstittel;Enhetskode"
        return "people.csv", f"{header}\n{row}\n".encode()

    units = (
        "units.csv",
        b"Enhetskode;Enhetsnavn;Overordnet enhetskode;Leder ansattnummer\nR;Rot;;\n",
    )

    def test_too_long_values_name_the_column_header(self):
        row = f"{'1' * 51};{'F' * 151};Nordmann;;{'T' * 201};R"

        result = import_org(self.units, self.people_with(row))

        messages = [e.message for e in result.snapshot.errors]
        self.assertIn("Ansattnummer er lengre enn 50 tegn.", messages)
        self.assertIn("Fornavn er lengre enn 150 tegn.", messages)
        self.assertIn("Stillingstittel er lengre enn 200 tegn.", messages)

    def test_too_long_value_names_a_mapped_header(self):
        people = (
            "p.csv",
            f"Nr;Fornavn;Etternavn;E-post;Stillingstittel;Enhetskode\n"
            f"{'1' * 51};Ola;Nordmann;;;R\n".encode(),
        )

        result = import_org(
            self.units, people, columns={"people": {"employee_number": "Nr"}}
        )

        self.assertIn(
            "Nr er lengre enn 50 tegn.", [e.message for e in result.snapshot.errors]
        )

    def test_file_problems_name_the_file(self):
        for data, message in (
            (b"", "people.csv: Filen er tom."),
            (b"\x00\x01", "people.csv: Dette er ikke en CSV- eller XLSX-fil."),
            (
                b"Ansattnummer;Fornavn\n1;Ola\n",
                "people.csv: Mangler kolonner: Etternavn",
            ),
        ):
            with (
                self.subTest(message=message),
                self.assertRaisesMessage(FileProblem, message),
            ):
                import_org(self.units, ("people.csv", data))

    def test_cell_beyond_the_csv_limit_is_one_clear_message(self):
        header = "Ansattnummer;Fornavn;Etternavn;E-post;Stillingstittel;Enhetskode"
        rows = "".join(f"{n};Ola;Nordmann;;;R\n" for n in range(2, 60_000))
        data = f'{header}\n1;"Kari;Nordmann;;;R\n{rows}'.encode()

        with self.assertRaises(FileProblem) as caught:
            import_org(self.units, ("people.csv", data))

        message = str(caught.exception)
        self.assertTrue(message.startswith("people.csv: "), message)
        self.assertIn("linje 2", message)
        self.assertIn("anførselstegn", message)
        self.assertNotIn("field limit", message)


class MalformedCsvTests(TestCase):
    """A quotation mark that is never closed swallows the lines after it;
    the import names the line as a CSV fault instead of a missing surname."""

    def import_people(self, old: str, new: str):  # type: ignore[no-untyped-def]
        units, people = files("org-small")
        return import_org(units, edited(people, old, new))

    def test_unclosed_quote_to_the_end_is_a_csv_fault_on_its_line(self):
        result = self.import_people("100000;Kari;Olsen", '100000;"Kari;Olsen')

        [error] = result.snapshot.errors
        self.assertEqual((error.filename, error.line), ("people.csv", 2))
        self.assertIn("CSV-feil", error.message)
        self.assertIn("anførselstegn", error.message)
        self.assertFalse(Person.objects.exists())

    def test_quote_closed_lines_later_is_a_csv_fault(self):
        units, people = files("org-small")
        people = edited(people, "100000;Kari;Olsen", '100000;"Kari;Olsen')
        people = edited(people, "100014;Kari;Tran", '100014;Kari";Tran')

        result = import_org(units, people)

        [error] = result.snapshot.errors
        self.assertEqual(error.line, 2)
        self.assertIn("fra linje 2 til linje 4", error.message)

    def test_row_with_too_few_cells_is_a_csv_fault(self):
        result = self.import_people(
            "100014;Kari;Tran;kari.tran@example.org;Saksbehandler;E01-1",
            "100014;Kari;Tran;kari.tran@example.org;Saksbehandler",
        )

        [error] = result.snapshot.errors
        self.assertEqual(error.line, 4)
        self.assertIn("5 celler", error.message)

    def test_empty_cells_beyond_the_header_are_fine(self):
        result = self.import_people(
            "100014;Kari;Tran;kari.tran@example.org;Saksbehandler;E01-1",
            "100014;Kari;Tran;kari.tran@example.org;Saksbehandler;E01-1;;",
        )

        self.assertEqual(result.snapshot.errors, [])


class AcceptedTooEasilyTests(TestCase):
    def test_same_email_in_another_case_is_a_fault_on_both_lines(self):
        units, people = files("org-small")
        people = edited(
            people,
            "100014;Kari;Tran;kari.tran@example.org",
            "100014;Kari;Tran;Kari.Olsen@Example.org",
        )

        result = import_org(units, people)

        reported = {
            e.line: e.message
            for e in result.snapshot.errors
            if "kari.olsen@example.org" in e.message.casefold()
        }
        self.assertEqual(sorted(reported), [2, 4])
        self.assertIn("også på linje 4", reported[2])
        self.assertIn("også på linje 2", reported[4])
        self.assertFalse(Person.objects.exists())

    def test_one_windows_1252_row_in_a_utf8_file_is_refused_with_its_line(self):
        units, people = files("org-small")
        row = "100007;Øystein;Bakke;oystein.bakke@example.org;Miljøterapeut;E01"
        data = people[1].replace(row.encode("utf-8"), row.encode("cp1252"))

        with self.assertRaises(FileProblem) as caught:
            import_org(units, (people[0], data))

        message = str(caught.exception)
        self.assertIn("people.csv", message)
        self.assertIn("linje 3", message)
        self.assertIn("Windows-1252", message)
        self.assertFalse(Person.objects.exists())

    def test_one_windows_1252_row_without_bom_is_refused_too(self):
        units, people = files("org-small")
        row = "100007;Øystein;Bakke;oystein.bakke@example.org;Miljøterapeut;E01"
        data = people[1][3:].replace(row.encode("utf-8"), row.encode("cp1252"))

        with self.assertRaisesMessage(FileProblem, "linje 3"):
            import_org(units, (people[0], data))


def changed_files() -> tuple[tuple[str, bytes], tuple[str, bytes]]:
    """org-small with Bjørn Karlsen's title and e-mail changed and Liv
    Jensen gone."""
    units, people = files("org-small")
    people = edited(
        people,
        "100070;Bjørn;Karlsen;bjorn.karlsen@example.org;Spesialkonsulent",
        "100070;Bjørn;Karlsen;bjorn.k@example.org;Seniorrådgiver",
    )
    people = edited(
        people, "100266;Liv;Jensen;liv.jensen@example.org;Konsulent;E01-2\r\n", ""
    )
    return units, people


class ChangeDescriptionTests(TestCase):
    """The summary says who leaves by name and what changes for whom."""

    LEFT = "Sluttet: Liv Jensen (100266), Seksjon for innovasjon (E01-2)"
    CHANGED = (
        "Endret: Bjørn Karlsen (100070): E-post: bjorn.karlsen@example.org → "
        "bjorn.k@example.org; Stillingstittel: Spesialkonsulent → Seniorrådgiver"
    )

    def setUp(self) -> None:
        import_org(*files("org-small"))

    def test_plan_names_leavers_and_changed_fields(self):
        result = import_org(*changed_files(), dry_run=True)

        lines = people_lines(result)
        self.assertIn(self.LEFT, lines)
        self.assertIn(self.CHANGED, lines)

    def test_changed_fields_use_the_mapped_headers(self):
        units, people = changed_files()
        people = (people[0], people[1].replace(b"Stillingstittel", b"Tittel", 1))

        result = import_org(
            units, people, columns={"people": {"title": "Tittel"}}, dry_run=True
        )

        self.assertIn(
            "Tittel: Spesialkonsulent → Seniorrådgiver", "\n".join(people_lines(result))
        )

    def test_verbose_command_lists_the_changes(self):
        with tempfile.TemporaryDirectory() as folder:
            paths = []
            for name, data in changed_files():
                path = Path(folder) / name
                path.write_bytes(data)
                paths.append(str(path))
            out = StringIO()

            call_command("import_org", *paths, "--dry-run", "-v", "2", stdout=out)

        self.assertIn(self.LEFT, out.getvalue())
        self.assertIn(self.CHANGED, out.getvalue())
