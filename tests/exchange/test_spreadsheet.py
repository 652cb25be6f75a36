from __future__ import annotations

import io
import zipfile

from django.test import SimpleTestCase
from openpyxl import load_workbook

from exchange.spreadsheet import csv_bytes, neutralise, xlsx_bytes

FORMULA = '=HYPERLINK("http://example.invalid";"klikk")'


class NeutraliseTests(SimpleTestCase):
    def test_formula_starts_get_an_apostrophe(self):
        for value in ("=1+1", "+47 123", "-2", "@SUM(A1)", "\tx", "\rx"):
            with self.subTest(value=value):
                self.assertEqual(neutralise(value), "'" + value)

    def test_plain_text_and_numbers_pass(self):
        self.assertEqual(neutralise("Åse Ødegård"), "Åse Ødegård")
        self.assertEqual(neutralise(-3), -3)
        self.assertIsNone(neutralise(None))


class WriterTests(SimpleTestCase):
    def test_csv_has_bom_semicolons_and_neutralised_cells(self):
        data = csv_bytes(["Navn", "Nivå"], [[FORMULA, 3]])

        text = data.decode("utf-8")

        self.assertTrue(text.startswith("\ufeffNavn;Nivå\r\n"))
        self.assertIn("'=HYPERLINK", text)

    def test_xlsx_cells_are_neutralised_and_numbers_kept(self):
        data = xlsx_bytes(["Navn", "Nivå"], [[FORMULA, 3]])

        sheet = load_workbook(io.BytesIO(data)).active
        formula, number = sheet[2]

        # Shown as written, but as text that is never evaluated.
        self.assertEqual((formula.value, formula.data_type), (FORMULA, "s"))
        self.assertTrue(formula.quotePrefix)
        self.assertEqual((number.value, number.data_type), (3, "n"))
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            xml = package.read("xl/worksheets/sheet1.xml").decode()
        self.assertNotIn("<f>", xml)

    def test_xlsx_replaces_control_characters_xml_cannot_hold(self):
        # An HR file can bring them in names; XML 1.0 has no way to write
        # them, and openpyxl refuses the whole workbook.
        data = xlsx_bytes(["Navn"], [["Åse\x1b[31m Ødegård\x07"], ["=1\x0b"]])

        sheet = load_workbook(io.BytesIO(data)).active

        self.assertEqual(sheet["A2"].value, "Åse\ufffd[31m Ødegård\ufffd")
        self.assertEqual(sheet["A3"].value, "=1\ufffd")
        self.assertTrue(sheet["A3"].quotePrefix)

    def test_xlsx_sheet_title_without_control_characters(self):
        data = xlsx_bytes(["Navn"], [], title="Seksjon\x1b for innovasjon")

        self.assertEqual(
            load_workbook(io.BytesIO(data)).active.title, "Seksjon- for innovasjon"
        )
