from __future__ import annotations

from io import StringIO

from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings

from organisation.models import Role
from organisation.scope import is_catalogue_owner
from tests.factories import make_person, make_unit


@override_settings(DEBUG=True)
class LoadDemoCatalogueTests(TestCase):
    def test_demo_owner_becomes_catalogue_owner_once(self):
        person = make_person("Æsa", make_unit("Enhet"), email="aesa@example.org")
        person.user.username = "aesa.saether"
        person.user.save()

        call_command("load_demo_catalogue", stdout=StringIO())
        call_command("load_demo_catalogue", stdout=StringIO())

        person.user.refresh_from_db()
        self.assertTrue(is_catalogue_owner(person.user))
        self.assertEqual(Role.objects.count(), 1)
        self.assertEqual(person.user.email, "aesa@example.org")

    def test_without_the_demo_organisation_it_stops(self):
        with self.assertRaises(CommandError):
            call_command("load_demo_catalogue", stdout=StringIO())
