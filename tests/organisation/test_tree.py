from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse

from organisation.models import OrgUnit, Person, path_segment
from tests.factories import make_person, make_unit


def expected_path(unit: OrgUnit) -> str:
    """The path the parent links give, walked without the stored paths."""
    segments = []
    while unit is not None:
        segments.append(path_segment(unit.pk))
        unit = unit.parent
    return "".join(reversed(segments))


class MovingUnitsTests(TestCase):
    def setUp(self):
        self.root = make_unit("Kommunen")
        self.finance = make_unit("Finans", self.root)
        self.section = make_unit("Seksjon", self.finance)
        self.group = make_unit("Gruppe", self.section)
        self.education = make_unit("Utdanning", self.root)
        self.worker = make_person("Ola", self.group)

    def assert_paths_follow_parents(self):
        for unit in OrgUnit.objects.select_related("parent"):
            self.assertEqual(unit.path, expected_path(unit), unit.name)

    def test_moving_a_unit_moves_everything_below_it(self):
        self.finance.parent = self.education
        self.finance.save()

        self.assert_paths_follow_parents()
        self.assertEqual(
            set(OrgUnit.objects.subtree(self.education)),
            {self.education, self.finance, self.section, self.group},
        )
        self.assertEqual(
            set(OrgUnit.objects.subtree(self.finance)),
            {self.finance, self.section, self.group},
        )
        self.assertIn(self.worker, Person.objects.in_subtree(self.finance))

    def test_saving_only_the_parent_moves_the_subtree_too(self):
        self.finance.parent = self.education
        self.finance.save(update_fields=["parent"])

        self.assert_paths_follow_parents()

    def test_saving_other_fields_leaves_the_paths_alone(self):
        before = dict(OrgUnit.objects.values_list("pk", "path"))
        self.finance.name = "Finans og økonomi"

        self.finance.save(update_fields=["name"])

        self.assertEqual(dict(OrgUnit.objects.values_list("pk", "path")), before)
        self.finance.refresh_from_db()
        self.assertEqual(self.finance.name, "Finans og økonomi")

    def test_saving_an_unmoved_unit_leaves_the_paths_alone(self):
        before = dict(OrgUnit.objects.values_list("pk", "path"))
        self.finance.name = "Finans og økonomi"

        self.finance.save()

        self.assertEqual(dict(OrgUnit.objects.values_list("pk", "path")), before)

    def test_a_unit_cannot_be_saved_under_a_unit_below_it(self):
        before = dict(OrgUnit.objects.values_list("pk", "path"))
        self.finance.parent = self.group

        with self.assertRaises(ValueError):
            self.finance.save()

        self.assertEqual(dict(OrgUnit.objects.values_list("pk", "path")), before)


class AdminMovesUnitsTests(TestCase):
    def setUp(self):
        self.root = make_unit("Kommunen")
        self.finance = make_unit("Finans", self.root, code="E01")
        self.section = make_unit("Seksjon", self.finance)
        self.education = make_unit("Utdanning", self.root)
        self.leader = make_person("Øystein", self.finance, leads=[self.finance])
        self.worker = make_person("Ola", self.section)
        admin = get_user_model().objects.create_superuser("root", password="x")
        self.client.force_login(admin)

    def post_parent(self, parent: OrgUnit):
        return self.client.post(
            reverse("admin:organisation_orgunit_change", args=[self.finance.pk]),
            {
                "code": "E01",
                "name": "Finans",
                "parent": parent.pk,
                "leaders": [self.leader.pk],
            },
        )

    def test_a_unit_moved_in_the_admin_keeps_its_people_below_it(self):
        response = self.post_parent(self.education)

        self.assertEqual(response.status_code, 302)
        self.finance.refresh_from_db()
        self.assertIn(self.worker, Person.objects.in_subtree(self.finance))
        self.assertIn(self.worker, Person.objects.in_subtree(self.education))

    def test_the_admin_refuses_a_parent_below_the_unit(self):
        before = dict(OrgUnit.objects.values_list("pk", "path"))

        response = self.post_parent(self.section)

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "kan ikke legges under seg selv")
        self.finance.refresh_from_db()
        self.assertEqual(self.finance.parent, self.root)
        self.assertEqual(dict(OrgUnit.objects.values_list("pk", "path")), before)
