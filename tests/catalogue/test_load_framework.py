from __future__ import annotations

import json
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import TestCase

from catalogue.loading import FrameworkFileError, bundled_framework_paths, validate
from catalogue.models import (
    Competence,
    CompetenceIndicator,
    Framework,
    Indicator,
    Level,
)
from catalogue.versions import publish, start_draft
from tests.factories import load_bundled_framework, make_user

SHARED = "Ta i bruk mangfold som drivkraft for innovasjon."


def bundled_data() -> dict:
    [path] = bundled_framework_paths()
    return json.loads(path.read_text(encoding="utf-8"))


class BundledFrameworkTests(TestCase):
    def test_has_five_competences_in_order(self):
        framework = load_bundled_framework()

        names = list(framework.competences.values_list("name", flat=True))

        self.assertEqual(
            names,
            [
                "Lede endring og omstilling",
                "Kreativitet",
                "Intraprenørskap (internt entreprenørskap)",
                "Integrere ulike perspektiv",
                "Strategisk",
            ],
        )

    def test_has_41_indicator_lines_and_40_indicators(self):
        framework = load_bundled_framework()

        lines = CompetenceIndicator.objects.filter(competence__framework=framework)

        self.assertEqual(lines.count(), 41)
        self.assertEqual(framework.indicators.count(), 40)

    def test_shared_indicator_stands_under_two_competences(self):
        load_bundled_framework()

        shared = Indicator.objects.get(text=SHARED)

        self.assertEqual(
            sorted(shared.competences.values_list("name", flat=True)),
            ["Kreativitet", "Lede endring og omstilling"],
        )

    def test_indicator_order_is_kept(self):
        framework = load_bundled_framework()
        creativity = framework.competences.get(name="Kreativitet")

        texts = [link.indicator.text for link in creativity.indicator_links.all()]

        self.assertEqual(
            texts[0],
            (
                "Finne ulike tilnærminger til problemløsing, arbeidsprosesser og "
                "organisasjonsutvikling."
            ),
        )
        self.assertEqual(texts[-1], SHARED)
        self.assertEqual(len(texts), 8)

    def test_text_is_kept_as_written(self):
        framework = load_bundled_framework()

        self.assertTrue(
            Indicator.objects.filter(
                framework=framework,
                text=(
                    "Ha en kontinuerlig vilje til og vurdere muligheter for omstilling."
                ),
            ).exists()
        )
        self.assertIn("Altså deg som leder.", framework.description)

    def test_scale_has_four_levels_with_descriptions(self):
        framework = load_bundled_framework()

        levels = list(framework.scale.levels.values_list("number", "description"))

        self.assertEqual([number for number, _ in levels], [1, 2, 3, 4])
        self.assertEqual(
            levels[2][1],
            "Kan undervise, hjelpe og støtte andre og bidra til forbedringer.",
        )

    def test_is_published(self):
        framework = load_bundled_framework()

        self.assertEqual(framework.status, Framework.Status.PUBLISHED)


class LoadFrameworkCommandTests(TestCase):
    def test_loading_twice_changes_nothing(self):
        call_command("load_framework", stdout=StringIO())
        before = self.snapshot()
        out = StringIO()

        call_command("load_framework", stdout=out)

        self.assertEqual(self.snapshot(), before)
        self.assertIn("0 opprettet, 0 endret", out.getvalue())

    def test_loading_again_keeps_a_version_retired_by_a_later_one(self):
        # `make run` loads the bundled file every time: a version the
        # catalogue owners have since replaced must not come back.
        call_command("load_framework", stdout=StringIO())
        first = Framework.objects.get()
        second = start_draft(first)
        publish(second, make_user("eier"))
        out = StringIO()

        call_command("load_framework", stdout=out)

        first.refresh_from_db()
        second.refresh_from_db()
        self.assertEqual(first.status, Framework.Status.RETIRED)
        self.assertEqual(second.status, Framework.Status.PUBLISHED)
        self.assertIn("0 opprettet, 0 endret", out.getvalue())

    def test_changed_published_version_is_refused(self):
        call_command("load_framework", stdout=StringIO())
        data = bundled_data()
        data["competences"][0]["name"] = "Endret navn"
        path = self.write(data)

        with self.assertRaises(CommandError):
            call_command(
                "load_framework", str(path), stdout=StringIO(), stderr=StringIO()
            )

        self.assertFalse(Competence.objects.filter(name="Endret navn").exists())

    def test_new_version_loads_beside_the_old(self):
        call_command("load_framework", stdout=StringIO())
        data = bundled_data()
        data["version"] = 2

        call_command("load_framework", str(self.write(data)), stdout=StringIO())

        self.assertEqual(Framework.objects.count(), 2)
        # Each version keeps its levels in a scale of its own, as a draft
        # does, so changing one version's levels never touches the other.
        self.assertEqual(Level.objects.count(), 8)

    def test_a_new_version_with_other_levels_leaves_the_old_scale_alone(self):
        call_command("load_framework", stdout=StringIO())
        old = Framework.objects.get()
        data = bundled_data()
        data["version"] = 2
        data["status"] = "draft"
        data["scale"]["levels"][0]["name"] = "Omdøpt"

        call_command("load_framework", str(self.write(data)), stdout=StringIO())

        self.assertEqual(
            old.scale.levels.values_list("name", flat=True).first(),
            bundled_data()["scale"]["levels"][0]["name"],
        )

    def test_faulty_file_names_every_fault_and_loads_nothing(self):
        data = bundled_data()
        data["scale"]["levels"][1]["number"] = 1
        data["competences"][2]["uuid"] = "not-a-uuid"
        del data["competences"][3]["name"]
        err = StringIO()

        with self.assertRaises(CommandError):
            call_command(
                "load_framework", str(self.write(data)), stdout=StringIO(), stderr=err
            )

        self.assertIn("$.scale.levels[1].number", err.getvalue())
        self.assertIn("$.competences[2].uuid", err.getvalue())
        self.assertIn("$.competences[3].name", err.getvalue())
        self.assertEqual(Framework.objects.count(), 0)

    def test_invalid_json_is_reported(self):
        path = Path(self.tmp()) / "broken.json"
        path.write_text("{not json", encoding="utf-8")

        with self.assertRaises(CommandError):
            call_command(
                "load_framework", str(path), stdout=StringIO(), stderr=StringIO()
            )

        self.assertEqual(Framework.objects.count(), 0)

    def test_shared_indicator_with_two_texts_is_refused(self):
        data = bundled_data()
        data["competences"][1]["indicators"][0]["uuid"] = data["competences"][0][
            "indicators"
        ][0]["uuid"]

        with self.assertRaises(FrameworkFileError):
            validate(data)

    def snapshot(self) -> list:
        return [
            list(model.objects.order_by("pk").values())
            for model in (Framework, Competence, Indicator, CompetenceIndicator, Level)
        ]

    def write(self, data: dict) -> Path:
        path = Path(self.tmp()) / "framework.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return path

    def tmp(self) -> str:
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        return directory.name
