"""The demo organisation: imported once, and what was entered since is
kept when `make run` loads it again."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.test import TestCase, override_settings

from organisation.models import OrgUnit, Person


@override_settings(DEBUG=True)
class LoadDemoTests(TestCase):
    def load(self) -> str:
        out = StringIO()
        call_command("load_demo", stdout=out)
        return out.getvalue()

    def test_first_run_imports_the_demo_organisation(self):
        out = self.load()

        self.assertEqual(OrgUnit.objects.count(), 7)
        self.assertEqual(Person.objects.count(), 40)
        self.assertIn("7 units and 40 people added", out)
        self.assertTrue(Person.objects.get(employee_number="100070").user)

    def test_running_again_keeps_what_was_changed_since(self):
        self.load()
        # What an HR import of a newer export does: a new title, a move,
        # someone who left and someone new.
        titled = Person.objects.get(employee_number="100217")
        titled.title = "Seniorrådgiver"
        titled.save()
        moved = Person.objects.get(employee_number="100266")
        moved.unit = OrgUnit.objects.get(code="E01-1")
        moved.save()
        Person.objects.filter(employee_number="100203").update(active=False)
        newcomer = Person.objects.create(
            employee_number="100300",
            first_name="Ny",
            last_name="Medarbeider",
            unit=OrgUnit.objects.get(code="E01-2"),
        )

        out = self.load()

        titled.refresh_from_db()
        moved.refresh_from_db()
        newcomer.refresh_from_db()
        self.assertEqual(titled.title, "Seniorrådgiver")
        self.assertEqual(moved.unit.code, "E01-1")
        self.assertFalse(Person.objects.get(employee_number="100203").active)
        self.assertTrue(newcomer.active)
        self.assertIn("left as it is", out)
