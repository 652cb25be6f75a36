from __future__ import annotations

import csv
import datetime
import io
import json
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import SimpleTestCase, TestCase
from django.utils import translation

from catalogue.loading import framework_data
from catalogue.models import (
    Competence,
    CompetenceIndicator,
    CompetenceLevel,
    Framework,
    Indicator,
    Level,
    Scale,
)
from exchange.case import from_case, to_case
from exchange.errors import ExchangeError
from exchange.frameworks import FORMATS, MAX_BYTES, export_framework, import_framework
from exchange.moodle import from_moodle
from exchange.spreadsheet import FORMULA_STARTS
from profiles.models import Expectation
from tests.factories import load_bundled_framework, make_person, make_unit, make_user

DATA = Path(__file__).resolve().parent.parent / "data"
MODELS = (Framework, Scale, Level, Competence, Indicator, CompetenceIndicator)


def read(name: str) -> bytes:
    return (DATA / name).read_bytes()


def snapshot() -> list:
    return [
        list(model.objects.order_by("pk").values())
        for model in (*MODELS, CompetenceLevel)
    ]


def comparable(data: dict) -> dict:
    """What must survive a round trip; the status is the importer's."""
    return {k: v for k, v in data.items() if k != "status"}


class RoundTripTests(TestCase):
    def test_bundled_framework_round_trips_through_both_formats(self):
        framework = load_bundled_framework()
        data = framework_data(framework)
        contents = {fmt: export_framework(framework, fmt) for fmt in FORMATS}

        for fmt, content in contents.items():
            with self.subTest(fmt=fmt):
                Framework.objects.all().delete()
                Scale.objects.all().delete()

                result = import_framework(content, fmt)

                again = framework_data(result.framework)
                self.assertEqual(comparable(again), comparable(data))

    def test_moodle_file_holds_no_formula_and_keeps_the_texts(self):
        framework = load_bundled_framework()
        competence = framework.competences.order_by("position").first()
        competence.name = "=SUM(1;2)"
        competence.description = "- først\n+ så & <b>ikke fet</b>"
        competence.save()
        indicator = competence.indicators.order_by("pk").first()
        indicator.text = "@ alle"
        indicator.save()
        second = framework.competences.order_by("position")[1]
        second.name = "'=allerede med apostrof"
        second.save()
        data = framework_data(framework)

        content = export_framework(framework, "moodle")

        cells = [
            cell for row in csv.reader(io.StringIO(content.decode())) for cell in row
        ]
        self.assertFalse([c for c in cells if c.startswith(FORMULA_STARTS)])
        Framework.objects.all().delete()
        Scale.objects.all().delete()
        again = framework_data(import_framework(content, "moodle").framework)
        self.assertEqual(comparable(again), comparable(data))

    def test_shared_indicator_survives_as_one_indicator(self):
        framework = load_bundled_framework()
        content = export_framework(framework, "moodle")
        Framework.objects.all().delete()

        result = import_framework(content)

        self.assertEqual(result.framework.indicators.count(), 40)
        self.assertEqual(
            CompetenceIndicator.objects.filter(
                competence__framework=result.framework
            ).count(),
            41,
        )

    def test_importing_the_export_of_a_loaded_framework_changes_nothing(self):
        framework = load_bundled_framework()
        before = snapshot()

        for fmt in ("case", "moodle"):
            with self.subTest(fmt=fmt):
                result = import_framework(export_framework(framework, fmt))

                self.assertFalse(result.changed)
                self.assertEqual(snapshot(), before)

    def test_importing_the_same_package_twice_changes_nothing(self):
        for name in ("case-five-levels.json", "moodle-eight-levels.csv"):
            with self.subTest(name=name):
                import_framework(read(name))
                before = snapshot()

                result = import_framework(read(name))

                self.assertFalse(result.changed)
                self.assertEqual(snapshot(), before)


class NewVersionImportTests(TestCase):
    def test_new_published_version_retires_the_old_and_takes_its_expectations(self):
        framework = load_bundled_framework()
        competence = framework.competences.first()
        person = make_person("Ansatt", make_unit("Enhet"))
        Expectation.objects.create(
            person=person, competence=competence, level=3, set_by=make_user("l")
        )
        package = json.loads(export_framework(framework, "case"))
        package["CFDocument"]["version"] = "2"

        result = import_framework(json.dumps(package).encode())

        framework.refresh_from_db()
        self.assertEqual(framework.status, Framework.Status.RETIRED)
        current = Expectation.objects.current().get(person=person)
        self.assertEqual(current.competence.framework, result.framework)
        self.assertEqual(current.competence.uuid, competence.uuid)

    def test_new_version_without_a_level_people_are_at_is_refused(self):
        framework = load_bundled_framework()
        person = make_person("Ansatt", make_unit("Enhet"))
        Expectation.objects.create(
            person=person,
            competence=framework.competences.first(),
            level=4,
            set_by=make_user("l"),
        )
        package = json.loads(export_framework(framework, "case"))
        package["CFDocument"]["version"] = "2"
        for criterion in package["CFRubrics"][0]["CFRubricCriteria"]:
            criterion["CFRubricCriterionLevels"] = [
                level
                for level in criterion["CFRubricCriterionLevels"]
                if level["score"] != 4
            ]
        before = snapshot()

        with translation.override("en"), self.assertRaises(ExchangeError) as caught:
            import_framework(json.dumps(package).encode())

        self.assertIn("Level 4 is in use", str(caught.exception.problems))
        self.assertEqual(snapshot(), before)
        framework.refresh_from_db()
        self.assertEqual(framework.status, Framework.Status.PUBLISHED)


class CaseExportTests(TestCase):
    def test_export_query_count_does_not_grow_with_the_framework(self):
        framework = load_bundled_framework()

        # Scale levels, indicator links, level texts and competences.
        with self.assertNumQueries(4):
            export_framework(framework, "case")

    def test_package_has_items_associations_and_rubric(self):
        framework = load_bundled_framework()

        package = json.loads(export_framework(framework, "case"))

        self.assertEqual(package["CFDocument"]["identifier"], str(framework.uuid))
        self.assertEqual(len(package["CFItems"]), 45)
        self.assertEqual(len(package["CFAssociations"]), 46)
        [rubric] = package["CFRubrics"]
        levels = rubric["CFRubricCriteria"][0]["CFRubricCriterionLevels"]
        self.assertEqual([level["score"] for level in levels], [1, 2, 3, 4])

    def test_identifiers_are_lowercase_and_stable(self):
        framework = load_bundled_framework()

        first = export_framework(framework, "case").decode()
        second = export_framework(framework, "case").decode()

        ids = [i["identifier"] for i in json.loads(first)["CFItems"]]
        self.assertEqual(ids, [i.lower() for i in ids])
        self.assertEqual(
            [a["identifier"] for a in json.loads(first)["CFAssociations"]],
            [a["identifier"] for a in json.loads(second)["CFAssociations"]],
        )


class CaseImportTests(TestCase):
    def test_other_scale_items_in_any_order_and_upper_case_ids(self):
        result = import_framework(read("case-five-levels.json"))

        framework = result.framework
        self.assertEqual(framework.version, 2)
        self.assertEqual(framework.scale.level_numbers(), [0, 1, 2, 3, 4])
        competence = framework.competences.get()
        texts = [link.indicator.text for link in competence.indicator_links.all()]
        self.assertEqual(texts, ["Skrive klart", "Lytte aktivt"])
        self.assertEqual(competence.description, "Å nå fram.")
        self.assertEqual(
            competence.level_texts.get().description,
            "Kan lære bort klar kommunikasjon.",
        )

    def test_replaced_by_is_kept_and_written_back(self):
        result = import_framework(read("case-five-levels.json"))

        indicator = result.framework.indicators.get(text="Skrive klart")
        package = json.loads(export_framework(result.framework, "case"))
        replaced = [
            a for a in package["CFAssociations"] if a["associationType"] == "replacedBy"
        ]
        self.assertEqual(
            str(indicator.replaces), "0a0b0c0d-7a8b-4c9d-8e0f-1a2b3c4d5e62"
        )
        self.assertEqual(
            replaced[0]["destinationNodeURI"]["identifier"], str(indicator.uuid)
        )

    def test_package_without_wrapper_is_read(self):
        package = json.loads(read("case-five-levels.json"))["CFPackage"]

        data = from_case(package)

        self.assertEqual(data["name"], "Kommunikasjon i tjenestene")

    def test_level_texts_round_trip(self):
        data = from_case(json.loads(read("case-five-levels.json")))

        again = from_case(to_case(data, now=datetime.datetime(2026, 1, 1)))

        self.assertEqual(again, data)


class InEnglish:
    """Faults are reported in the active language; these tests read them in
    English."""

    def setUp(self) -> None:
        super().setUp()  # type: ignore[misc]
        self.enterContext(translation.override("en"))  # type: ignore[attr-defined]


class BadFileTests(InEnglish, TestCase):
    CASES = {
        "case-invalid.json": "$: invalid JSON at line 3",
        "case-wrong-types.json": "$.CFPackage.CFItems[0].fullStatement: expected text",
        "case-unknown-parent.json": (
            "$.CFPackage.CFAssociations[0].destinationNodeURI.identifier: "
            "unknown parent"
        ),
        "case-cycle.json": "cycle in parent links",
        "case-duplicate.json": "$.CFPackage.CFItems[2].identifier: duplicate",
        "case-level-outside-scale.json": "score: 7 is not on the scale",
        "moodle-unknown-parent.csv": "row 4: unknown parent K9",
        "moodle-duplicate.csv": "row 4: duplicate idnumber K1",
        "moodle-cycle.csv": "cycle in parent links",
        "moodle-scale-value-outside.csv": "scale value 5 is outside the scale (1–3)",
    }

    def test_each_fault_is_named_and_nothing_changes(self):
        load_bundled_framework()
        before = snapshot()

        for name, fault in self.CASES.items():
            with self.subTest(name=name):
                with self.assertRaises(ExchangeError) as caught:
                    import_framework(read(name))

                self.assertIn(fault, "\n".join(caught.exception.problems))
                self.assertEqual(snapshot(), before)

    def test_wrong_types_names_every_fault(self):
        with self.assertRaises(ExchangeError) as caught:
            import_framework(read("case-wrong-types.json"))

        self.assertIn(
            "$.CFPackage.CFAssociations[1].sequenceNumber: expected a whole number",
            caught.exception.problems,
        )

    def test_file_over_the_limit_is_refused(self):
        content = b" " * (MAX_BYTES + 1)

        with self.assertRaises(ExchangeError) as caught:
            import_framework(content, "case")

        self.assertIn("limit", caught.exception.problems[0])
        self.assertFalse(Framework.objects.exists())

    def test_changing_a_published_version_is_refused(self):
        framework = load_bundled_framework()
        package = json.loads(export_framework(framework, "case"))
        package["CFItems"][0]["fullStatement"] = "Endret"
        before = snapshot()

        with self.assertRaises(ExchangeError):
            import_framework(json.dumps(package).encode())

        self.assertEqual(snapshot(), before)


class MoodleImportTests(InEnglish, SimpleTestCase):
    def test_eight_levels_semicolons_html_markdown_and_rows_in_any_order(self):
        data = from_moodle(read("moodle-eight-levels.csv").decode())

        self.assertEqual(len(data["scale"]["levels"]), 8)
        self.assertEqual(data["description"], "Rammeverk med\nflere linjer.")
        [competence] = data["competences"]
        self.assertEqual(competence["description"], "Første linje\nandre linje")
        texts = [i["text"] for i in competence["indicators"]]
        self.assertEqual(
            texts,
            ["Dele trygt.", "Bruke søk godt.\n\nOgså i arkivet.", "Informasjon"],
        )

    def test_old_twelve_column_layout(self):
        data = from_moodle(read("moodle-old-layout.csv").decode())

        self.assertEqual(
            [level["name"] for level in data["scale"]["levels"]],
            ["Lav", "Middels", "Høy"],
        )
        self.assertEqual(data["competences"][0]["description"], "Jobbe sammen")

    def test_same_file_gives_same_identifiers(self):
        text = read("moodle-old-layout.csv").decode()

        self.assertEqual(from_moodle(text), from_moodle(text))

    def test_wrong_column_count_is_refused(self):
        with self.assertRaises(ExchangeError) as caught:
            from_moodle("a,b,c\n1,2,3\n")

        self.assertIn("expected 14 or 12 columns", caught.exception.problems[0])


class CommandTests(InEnglish, TestCase):
    def write(self, content: bytes, suffix: str) -> Path:
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        path = Path(directory.name) / f"framework{suffix}"
        path.write_bytes(content)
        return path

    def test_export_and_import_through_a_file(self):
        framework = load_bundled_framework()
        path = self.write(b"", ".json")
        call_command(
            "export_framework",
            framework.name,
            format="case",
            output=str(path),
            stderr=StringIO(),
        )
        out = StringIO()

        call_command("import_framework", str(path), stdout=out)

        self.assertIn("0 created, 0 updated", out.getvalue())

    def test_export_to_standard_output(self):
        framework = load_bundled_framework()
        out = StringIO()

        call_command("export_framework", framework.name, format="moodle", stdout=out)

        self.assertTrue(out.getvalue().startswith("parentidnumber,idnumber"))

    def test_dry_run_writes_nothing(self):
        out = StringIO()

        call_command(
            "import_framework",
            str(DATA / "case-five-levels.json"),
            dry_run=True,
            stdout=out,
        )

        self.assertIn("dry run", out.getvalue())
        self.assertFalse(Framework.objects.exists())

    def test_bad_file_exits_non_zero_naming_the_fault(self):
        err = StringIO()

        with self.assertRaises(CommandError):
            call_command(
                "import_framework",
                str(DATA / "moodle-duplicate.csv"),
                stdout=StringIO(),
                stderr=err,
            )

        self.assertIn("row 4: duplicate idnumber K1", err.getvalue())

    def test_a_refusal_in_bokmal_is_all_in_bokmal(self):
        err = StringIO()

        with translation.override("nb"), self.assertRaises(CommandError) as caught:
            call_command(
                "import_framework",
                str(DATA / "moodle-duplicate.csv"),
                stdout=StringIO(),
                stderr=err,
            )

        self.assertIn("ikke importert, ingenting endret", str(caught.exception))
        self.assertIn("rad 4: idnumber K1 finnes fra før", err.getvalue())

    def test_unknown_framework_is_an_error(self):
        with self.assertRaises(CommandError):
            call_command("export_framework", "Finnes ikke", format="case")
