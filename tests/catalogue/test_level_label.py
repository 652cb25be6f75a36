from django.test import SimpleTestCase

from catalogue.models import Level


class LevelLabelTests(SimpleTestCase):
    def test_a_name_that_says_its_number_stands_alone(self):
        self.assertEqual(Level(number=3, name="Nivå 3").label, "Nivå 3")

    def test_other_names_get_the_number_first(self):
        self.assertEqual(Level(number=2, name="Mestrer").label, "2 – Mestrer")

    def test_another_number_in_the_name_does_not_count(self):
        self.assertEqual(Level(number=1, name="Trinn 12").label, "1 – Trinn 12")
