"""Faults a tester found in framework import: each must be reported with
its JSON path or CSV row, change nothing, and never crash."""

from __future__ import annotations

import csv
import json
import random
import tempfile
from io import StringIO
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from catalogue import drafts
from catalogue.loading import framework_data
from catalogue.models import Framework, Level
from exchange.errors import ExchangeError
from exchange.frameworks import MAX_BYTES, export_framework, import_framework
from tests.exchange.test_frameworks import snapshot
from tests.factories import load_bundled_framework, make_catalogue_owner

NEW_FRAMEWORK = "5f0c8a7e-1b2d-4e3f-9a8b-7c6d5e4f3a21"


def bundled_package() -> dict:
    return json.loads(export_framework(load_bundled_framework(), "case"))


def as_new_framework(package: dict) -> dict:
    """The package as another framework: a new identifier and title, the
    same rubric (scale) identifier."""
    package["CFDocument"]["identifier"] = NEW_FRAMEWORK
    package["CFDocument"]["title"] = "Et annet rammeverk"
    for item in package["CFItems"]:
        item["CFDocumentURI"]["identifier"] = NEW_FRAMEWORK
    old = str(Framework.objects.get().uuid)
    for association in package["CFAssociations"]:
        for end in ("originNodeURI", "destinationNodeURI"):
            if association[end]["identifier"] == old:
                association[end]["identifier"] = NEW_FRAMEWORK
    return package


def scale_levels(package: dict) -> list[dict]:
    return package["CFRubrics"][0]["CFRubricCriteria"][0]["CFRubricCriterionLevels"]


def encode(package: dict) -> bytes:
    return json.dumps(package).encode()


class InEnglish:
    def setUp(self) -> None:
        super().setUp()  # type: ignore[misc]
        self.enterContext(translation.override("en"))  # type: ignore[attr-defined]


class Refused(InEnglish, TestCase):
    """Helpers: a file is refused, naming the faults, and nothing changes."""

    def refused(self, content: bytes, fmt: str | None = None) -> str:
        before = snapshot()
        with self.assertRaises(ExchangeError) as caught:
            import_framework(content, fmt)
        self.assertEqual(snapshot(), before)
        return "\n".join(caught.exception.problems)


class SharedScaleTests(Refused):
    def test_new_framework_naming_a_published_scale_leaves_that_scale_alone(self):
        package = as_new_framework(bundled_package())
        published = Framework.objects.get()
        before = framework_data(published)
        levels = scale_levels(package)
        levels[0]["quality"] = "Omdøpt"
        levels[3]["description"] = "Endret tekst"

        result = import_framework(encode(package))

        published.refresh_from_db()
        self.assertEqual(framework_data(published), before)
        self.assertNotEqual(result.framework.scale_id, published.scale_id)
        self.assertEqual(result.framework.scale.levels.first().name, "Omdøpt")
        again = import_framework(encode(package))
        self.assertFalse(again.changed)

    def test_imported_draft_edited_in_the_product_leaves_the_published_scale(self):
        package = as_new_framework(bundled_package())
        package["CFDocument"]["adoptionStatus"] = "Draft"
        published = Framework.objects.get()
        before = framework_data(published)

        draft = import_framework(encode(package)).framework
        drafts.save_levels(draft, {1: ("Ny", ""), 2: ("To", "")})

        self.assertEqual(framework_data(published), before)

    def test_level_numbers_outside_the_range_are_each_named(self):
        package = as_new_framework(bundled_package())
        package["CFRubrics"][0]["CFRubricCriteria"] = package["CFRubrics"][0][
            "CFRubricCriteria"
        ][:1]
        levels = scale_levels(package)
        for level, score in zip(levels, (-3, 101, 10**23, "²"), strict=True):
            level["score"] = score

        faults = self.refused(encode(package))

        where = "$.CFRubrics[0].CFRubricCriteria[0].CFRubricCriterionLevels"
        self.assertIn(f"{where}[0].score: level -3 is outside 0–100", faults)
        self.assertIn(f"{where}[1].score: level 101 is outside 0–100", faults)
        self.assertIn(f"{where}[2].score: level {10**23} is outside 0–100", faults)
        self.assertIn(f"{where}[3].score: expected a whole number", faults)
        self.assertEqual(Level.objects.filter(number__gt=4).count(), 0)

    def test_level_zero_is_a_level(self):
        package = as_new_framework(bundled_package())
        package["CFRubrics"][0]["CFRubricCriteria"] = package["CFRubrics"][0][
            "CFRubricCriteria"
        ][:1]
        scale_levels(package)[0]["score"] = 0

        result = import_framework(encode(package))

        self.assertEqual(result.framework.scale.level_numbers(), [0, 2, 3, 4])


class CaseCrashTests(Refused):
    def test_deep_nesting(self):
        faults = self.refused(b"[" * 100_000 + b"]" * 100_000, "case")

        self.assertIn("nested too deeply", faults)

    def test_superscript_version(self):
        package = bundled_package()
        package["CFDocument"]["version"] = "²"

        faults = self.refused(encode(package))

        self.assertIn("$.CFDocument.version: expected a version number", faults)

    def test_version_too_large(self):
        package = bundled_package()
        package["CFDocument"]["version"] = "9" * 30

        faults = self.refused(encode(package))

        self.assertIn("$.CFDocument.version: the version must be", faults)

    def test_number_with_thousands_of_digits(self):
        faults = self.refused(b'{"a": ' + b"9" * 5000 + b"}", "case")

        self.assertIn("too many digits", faults)

    def test_long_title_and_competence_name(self):
        package = bundled_package()
        package["CFDocument"]["title"] = "x" * 5000
        competence = next(
            i for i in package["CFItems"] if i["CFItemType"] == "Competence"
        )
        competence["fullStatement"] = "y" * 201
        index = package["CFItems"].index(competence)

        faults = self.refused(encode(package))

        self.assertIn("$.CFDocument.title: longer than 200 characters (5000)", faults)
        self.assertIn(
            f"$.CFItems[{index}].fullStatement: longer than 200 characters (201)",
            faults,
        )

    def test_nul_and_lone_surrogate(self):
        package = bundled_package()
        package["CFItems"][1]["fullStatement"] = "a\x00b"
        package["CFDocument"]["description"] = "\ud800"

        faults = self.refused(json.dumps(package).encode())

        self.assertIn("$.CFItems[1].fullStatement: contains a NUL character", faults)
        self.assertIn("$.CFDocument.description: contains a character", faults)

    def test_empty_statement(self):
        package = bundled_package()
        package["CFItems"][2]["fullStatement"] = "  "

        faults = self.refused(encode(package))

        self.assertIn("$.CFItems[2].fullStatement: must not be empty", faults)

    def test_duplicate_keys_are_named_by_path(self):
        text = export_framework(load_bundled_framework(), "case").decode()
        text = text.replace('"title":', '"title": "Først", "title":', 1)

        faults = self.refused(text.encode())

        self.assertIn("$.CFDocument.title: the key appears more than once", faults)


def moodle(*rows: str, top: str = "") -> bytes:
    header = (
        "parentidnumber,idnumber,shortname,description,descriptionformat,"
        "scalevalues,scaleconfiguration,ruletype,ruleoutcome,ruleconfig,"
        "relatedidnumbers,exportid,isframework,taxonomy"
    )
    framework = top or ',F1,Rammeverk,,2,"Lav,Høy",,,,,,,1,competency'
    return "\n".join([header, framework, *rows, ""]).encode()


COMPETENCE = ",K1,Samarbeid,,2,,,,,,,,,"
INDICATOR = "K1,I1,Dele,Dele kunnskap,2,,,,,,,,,"


class MoodleTests(Refused):
    def test_a_good_file_imports(self):
        result = import_framework(moodle(COMPETENCE, INDICATOR))

        self.assertEqual(result.framework.competences.get().name, "Samarbeid")

    def test_binary_junk(self):
        faults = self.refused(bytes(range(256)) * 40, "moodle")

        self.assertIn("row", faults)

    def test_cell_over_the_csv_field_limit(self):
        # The limit is the csv module's, for the whole process (the HR
        # import raises it); one character more, in a file under 2 MB.
        big = 'K1,I1,Dele,"' + "x" * (csv.field_size_limit() + 1) + '",2,,,,,,,,,'
        content = moodle(COMPETENCE, big)

        faults = self.refused(content, "moodle")

        self.assertIn("row 4: a cell is longer than", faults)

    def test_versions_in_idnumber(self):
        for version, fault in (("²", "idnumber"), ("9" * 30, "idnumber")):
            with self.subTest(version=version):
                top = f',{NEW_FRAMEWORK}@{version},R,,2,"Lav,Høy",,,,,,,1,'

                faults = self.refused(moodle(COMPETENCE, top=top))

                self.assertIn(f"row 2: {fault}", faults)

    def test_empty_shortname(self):
        faults = self.refused(moodle(",K1,,,2,,,,,,,,,", ",K2,,,2,,,,,,,,,"))

        self.assertIn("row 3: shortname is empty", faults)
        self.assertIn("row 4: shortname is empty", faults)

    def test_unclosed_quote_and_wrong_column_counts(self):
        faults = self.refused(
            moodle(COMPETENCE, "K1,I1,Dele,,2,,,,,", ',"A,,2,,,,,,,,,competency')
        )

        self.assertIn("row 4: expected 14 columns, found 10", faults)
        self.assertIn("row 5: expected 14 columns, found 2", faults)

    def test_nul(self):
        faults = self.refused(moodle(",K1,Sam\x00arbeid,,2,,,,,,,,,"))

        self.assertIn("row 3: shortname contains a NUL character", faults)

    def test_unknown_taxonomy_and_related_idnumber(self):
        faults = self.refused(
            moodle(
                ",K1,Samarbeid,,2,,,,,,,,,ferdighet",
                "K1,I1,Dele,,2,,,,,,K9,,,indicator",
                top=',F1,Rammeverk,,2,"Lav,Høy",,,,,,,1,"competency,evne"',
            )
        )

        self.assertIn("row 2: unknown taxonomy evne", faults)
        self.assertIn("row 3: unknown taxonomy ferdighet", faults)
        self.assertIn("row 4: unknown related idnumber K9", faults)

    def test_level_number_outside_the_range(self):
        faults = self.refused(
            moodle(
                ",S,Skala,,2,,,,,,,,,scale",
                "S,S-level-1,Lav,,2,,,,,,,,,level",
                "S,S-level-" + "9" * 30 + ",Høy,,2,,,,,,,,,level",
                COMPETENCE,
            )
        )

        self.assertIn("row 5: level 9999", faults)
        self.assertIn("is outside 0–100", faults)


class SizeTests(TestCase):
    def test_real_size_in_megabytes_in_bokmal(self):
        with translation.override("nb"), self.assertRaises(ExchangeError) as caught:
            import_framework(b"{" * (MAX_BYTES + 1), size=2_161_449)

        self.assertEqual(
            caught.exception.problems,
            ["Filen er på 2,1\xa0MB; grensen er 2,0\xa0MB."],
        )

    def test_size_unknown_says_more_than_the_limit(self):
        with translation.override("en"), self.assertRaises(ExchangeError) as caught:
            import_framework(b"{" * (MAX_BYTES + 1))

        self.assertEqual(
            caught.exception.problems,
            ["The file is larger than the limit of 2.0\xa0MB."],
        )

    def test_command_reports_the_file_size(self):
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        path = Path(directory.name) / "stor.json"
        path.write_bytes(b" " * 2_161_449)
        err = StringIO()

        with translation.override("en"), self.assertRaises(CommandError):
            call_command("import_framework", str(path), stderr=err)

        self.assertIn("The file is 2.1\xa0MB; the limit is 2.0\xa0MB.", err.getvalue())


class UploadPageTests(TestCase):
    """A bad file gives a clear page, never a server error."""

    BAD = {
        "deep.json": b"[" * 100_000 + b"]" * 100_000,
        "junk.csv": bytes(range(256)) * 40,
        "version.json": b'{"CFDocument": {"identifier": "%s", "version": "\xc2\xb2"}}'
        % NEW_FRAMEWORK.encode(),
    }

    def test_each_bad_file_gets_a_page_naming_its_faults(self):
        self.client.force_login(make_catalogue_owner())

        for name, content in self.BAD.items():
            with self.subTest(name=name):
                response = self.client.post(
                    reverse("catalogue:import"),
                    {"file": SimpleUploadedFile(name, content)},
                )

                self.assertContains(
                    response, "Filen ble ikke importert", status_code=400
                )

    def test_real_size_on_the_page(self):
        self.client.force_login(make_catalogue_owner())

        response = self.client.post(
            reverse("catalogue:import"),
            {"file": SimpleUploadedFile("big.json", b" " * 2_161_449)},
        )

        self.assertContains(response, "2,1\xa0MB", status_code=400)

    def test_an_unknown_format_is_named_under_its_field(self):
        self.client.force_login(make_catalogue_owner())

        response = self.client.post(
            reverse("catalogue:import"),
            {"file": SimpleUploadedFile("f.json", b"{}"), "format": "xml"},
        )

        self.assertContains(
            response, '<ul class="errorlist" id="id_format_error">', status_code=400
        )
        self.assertContains(response, "xml er ikke et av", status_code=400)


class MangledFileTests(TestCase):
    """Files damaged at random, the same way every run: each is imported
    or refused with faults, never anything else."""

    def test_damaged_exports_are_imported_or_refused(self):
        framework = load_bundled_framework()
        chance = random.Random(20260101)
        junk = ["", "²", "\x00", "9" * 30, "-3", "[", "{", '"', ",", "\n", "\ud800"]
        for fmt in ("case", "moodle"):
            text = export_framework(framework, fmt).decode()
            for attempt in range(150):
                mangled = list(text)
                for _ in range(chance.randint(1, 4)):
                    place = chance.randrange(len(mangled))
                    mangled[place : place + chance.randint(0, 3)] = chance.choice(junk)
                content = "".join(mangled).encode("utf-8", "surrogatepass")
                with self.subTest(fmt=fmt, attempt=attempt):
                    try:
                        import_framework(content, fmt, dry_run=True)
                    except ExchangeError as exc:
                        self.assertTrue(exc.problems)
