from __future__ import annotations

from django.test import SimpleTestCase

from profiles.suggest import suggested_level


class SuggestedLevelTests(SimpleTestCase):
    def test_share_ticked_is_laid_over_the_scale(self):
        levels = [1, 2, 3, 4]

        suggestions = [suggested_level(n, 8, levels) for n in range(9)]

        self.assertEqual(suggestions, [None, 1, 1, 2, 2, 3, 3, 4, 4])

    def test_competence_without_indicators_gets_no_suggestion(self):
        self.assertIsNone(suggested_level(0, 0, [1, 2, 3, 4]))

    def test_scale_not_starting_at_one(self):
        self.assertEqual(suggested_level(3, 3, [0, 1, 2]), 2)
