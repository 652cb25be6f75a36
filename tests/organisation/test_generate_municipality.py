from __future__ import annotations

import csv
import io
import shutil
import tempfile
from collections import defaultdict
from pathlib import Path

from django.core.management import CommandError, call_command
from django.db.models import Count, Max
from django.test import SimpleTestCase, TestCase

from catalogue.models import Competence, Framework
from organisation.models import OrgUnit, Person
from organisation.synthetic.hr_files import PEOPLE_HEADER, UNIT_HEADER
from organisation.synthetic.tree import build
from profiles import current as current_levels
from profiles.models import Assessment, CurrentLevel, Expectation
from tests.factories import make_user

PEOPLE = 300


def generate(**options) -> str:
    out = io.StringIO()
    call_command("generate_municipality", people=PEOPLE, seed=7, stdout=out, **options)
    return out.getvalue()


def snapshot() -> dict[str, list[tuple]]:
    """The generated municipality in terms that do not depend on ids."""
    return {
        "units": list(
            OrgUnit.objects.order_by("code").values_list(
                "code", "name", "parent__code", "leaders__employee_number"
            )
        ),
        "people": list(
            Person.objects.order_by("employee_number").values_list(
                "employee_number",
                "first_name",
                "last_name",
                "email",
                "title",
                "unit__code",
            )
        ),
        "expectations": list(
            Expectation.objects.order_by(
                "person__employee_number", "competence__name"
            ).values_list("person__employee_number", "competence__name", "level")
        ),
        "assessments": list(
            Assessment.objects.order_by(
                "person__employee_number", "competence__name", "created_at", "kind"
            ).values_list(
                "person__employee_number",
                "competence__name",
                "kind",
                "level",
                "assessed_on",
                "is_current",
            )
        ),
    }


class PlanTests(SimpleTestCase):
    def test_full_size_has_seven_levels_3000_to_9000_units_and_40_reports(self):
        town = build(52_000, seed=1)

        self.assertEqual(max(unit.depth for unit in town.units), 7)
        self.assertTrue(3_000 <= len(town.units) <= 9_000, len(town.units))
        self.assertEqual(len(town.people), 52_000)
        reports = [len(town.direct_reports(unit.leader)) for unit in town.units]
        self.assertLessEqual(max(reports), 40)

    def test_some_leaders_lead_two_units_and_some_sit_in_the_parent(self):
        town = build(2_000, seed=1)

        self.assertTrue(any(len(p.leads) == 2 for p in town.people))
        self.assertTrue(any(unit.leader_in_parent for unit in town.units))

    def test_other_seed_gives_other_municipality(self):
        first, second = build(PEOPLE, seed=1), build(PEOPLE, seed=2)

        self.assertNotEqual(
            [p.email for p in first.people], [p.email for p in second.people]
        )

    def test_emails_are_ascii_and_unique(self):
        town = build(2_000, seed=3)

        emails = [person.email for person in town.people]

        self.assertEqual(len(set(emails)), len(emails))
        self.assertTrue(all(email.isascii() for email in emails))
        self.assertTrue(any("ø" in p.last_name.lower() for p in town.people))


class GeneratedMunicipalityTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.hr_dir = Path(tempfile.mkdtemp())
        cls.addClassCleanup(shutil.rmtree, cls.hr_dir)
        cls.output = generate(hr_files=cls.hr_dir)

    def test_everyone_and_the_tree_is_written(self):
        self.assertEqual(Person.objects.count(), PEOPLE)
        self.assertTrue(all(p.user_id for p in Person.objects.all()))
        self.assertIn("Generated", self.output)

    def test_tree_is_at_most_seven_levels_deep(self):
        depths = {unit.depth for unit in OrgUnit.objects.all()}

        self.assertLessEqual(max(depths), 7)
        self.assertEqual(OrgUnit.objects.filter(parent=None).count(), 1)

    def test_paths_follow_the_parents(self):
        for unit in OrgUnit.objects.select_related("parent"):
            prefix = unit.parent.path if unit.parent else ""
            self.assertEqual(unit.path, f"{prefix}{unit.pk:010d}/")

    def test_every_unit_has_a_leader(self):
        self.assertFalse(OrgUnit.objects.filter(leaders=None).exists())

    def test_leaders_sit_in_a_unit_they_lead_or_its_parent(self):
        for unit in OrgUnit.objects.prefetch_related("leaders__led_units"):
            for leader in unit.leaders.all():
                led = list(leader.led_units.all())
                seats = {u.pk for u in led} | {u.parent_id for u in led}
                self.assertIn(leader.unit_id, seats)

    def test_no_leader_has_more_than_40_direct_reports(self):
        members = defaultdict(set)
        for pk, unit_id in Person.objects.values_list("pk", "unit_id"):
            members[unit_id].add(pk)
        leaders = defaultdict(set)
        for unit_id, person_id in OrgUnit.leaders.through.objects.values_list(
            "orgunit_id", "person_id"
        ):
            leaders[unit_id].add(person_id)
        children = defaultdict(list)
        for pk, parent_id in OrgUnit.objects.values_list("pk", "parent_id"):
            children[parent_id].append(pk)
        reports = defaultdict(set)
        for unit_id, unit_leaders in leaders.items():
            for leader in unit_leaders:
                reports[leader] |= members[unit_id] - {leader}
                for child in children[unit_id]:
                    reports[leader] |= leaders[child] - members[unit_id]

        self.assertLessEqual(max(len(r) for r in reports.values()), 40)

    def test_thirty_competences_in_published_frameworks(self):
        published = Framework.objects.published()

        self.assertEqual(published.count(), 6)
        self.assertEqual(Competence.objects.filter(framework__in=published).count(), 30)

    def test_about_thirty_expectations_and_ninety_assessments_per_person(self):
        self.assertAlmostEqual(Expectation.objects.count() / PEOPLE, 30, delta=3)
        self.assertAlmostEqual(Assessment.objects.count() / PEOPLE, 90, delta=9)

    def test_all_three_kinds_are_assessed(self):
        kinds = set(Assessment.objects.values_list("kind", flat=True))

        self.assertEqual(kinds, {"self", "leader", "agreed"})

    def test_only_the_newest_assessment_of_a_kind_is_current(self):
        key = ("person", "competence", "kind")
        newest = set(
            Assessment.objects.values_list(*key).annotate(at=Max("created_at"))
        )
        current = set(Assessment.objects.current().values_list(*key, "created_at"))

        self.assertEqual(current, newest)

    def test_one_current_expectation_per_person_and_competence(self):
        doubles = (
            Expectation.objects.current()
            .values("person", "competence")
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
        )

        self.assertFalse(doubles.exists())

    def test_current_levels_match_the_assessments(self):
        self.assertTrue(CurrentLevel.objects.exists())
        self.assertEqual(current_levels.stale(), [])

    def test_regenerating_keeps_the_current_levels_true(self):
        generate(force=True)

        self.assertEqual(current_levels.stale(), [])

    def test_refuses_a_database_that_holds_people(self):
        before = Person.objects.count()

        with self.assertRaises(CommandError):
            generate()

        self.assertEqual(Person.objects.count(), before)

    def test_same_seed_gives_the_same_municipality(self):
        first = snapshot()

        generate(force=True)

        self.assertEqual(snapshot(), first)
        self.assertEqual(Person.objects.count(), PEOPLE)

    def test_hr_files_parse_back_with_the_same_counts(self):
        units = read_csv(self.hr_dir / "units.csv")
        people = read_csv(self.hr_dir / "people.csv")

        self.assertEqual(units[0], UNIT_HEADER)
        self.assertEqual(people[0], PEOPLE_HEADER)
        self.assertEqual(len(units) - 1, OrgUnit.objects.count())
        self.assertEqual(len(people) - 1, Person.objects.count())
        self.assertEqual(
            {row[0] for row in people[1:]},
            set(Person.objects.values_list("employee_number", flat=True)),
        )

    def test_hr_files_are_excel_csv(self):
        data = (self.hr_dir / "people.csv").read_bytes()

        self.assertTrue(data.startswith(b"\xef\xbb\xbfAnsattnummer;Fornavn;"))
        self.assertEqual(data.count(b"\r\n"), PEOPLE + 1)


class GenerateOptionsTests(TestCase):
    def test_refuses_when_a_generated_username_is_taken(self):
        make_user(build(PEOPLE, seed=7).people[0].username)

        with self.assertRaises(CommandError):
            generate()

        self.assertFalse(Person.objects.exists())

    def test_without_history_every_assessment_is_current(self):
        generate(no_history=True)

        self.assertFalse(Assessment.objects.filter(is_current=False).exists())
        self.assertAlmostEqual(Assessment.objects.count() / PEOPLE, 30, delta=3)


def read_csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle, delimiter=";"))
