"""Dates, times and numbers follow the page's language, in Oslo time.

Templates show them through Django's localisation (the `date` and `time`
filters with their default formats, `intcomma` for counts), never through
strftime or hand-made formats.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.template import Context, Template
from django.test import SimpleTestCase
from django.utils import translation

# 11:30 UTC is 12:30 in Oslo in winter, 13:30 in summer.
WINTER = datetime.datetime(2026, 12, 4, 11, 30, tzinfo=datetime.UTC)
SUMMER = datetime.datetime(2026, 6, 4, 11, 30, tzinfo=datetime.UTC)


def render(source: str, language: str, **values: object) -> str:
    with translation.override(language):
        return Template("{% load humanize %}" + source).render(Context(values))


class LocalisationTests(SimpleTestCase):
    def test_times_are_oslo_time_winter_and_summer(self):
        self.assertEqual(render("{{ t|time }}", "nb", t=WINTER), "12:30")
        self.assertEqual(render("{{ t|time }}", "nb", t=SUMMER), "13:30")

    def test_dates_in_bokmal(self):
        self.assertEqual(render("{{ t|date }}", "nb", t=WINTER), "4. desember 2026")

    def test_dates_in_english(self):
        self.assertEqual(render("{{ t|date }}", "en", t=WINTER), "Dec. 4, 2026")

    def test_counts_grouped_per_language(self):
        self.assertEqual(render("{{ n|intcomma }}", "nb", n=52000), "52\xa0000")
        self.assertEqual(render("{{ n|intcomma }}", "en", n=52000), "52,000")

    def test_decimals_per_language(self):
        self.assertEqual(render("{{ x }}", "nb", x=Decimal("2.5")), "2,5")
        self.assertEqual(render("{{ x }}", "en", x=Decimal("2.5")), "2.5")
