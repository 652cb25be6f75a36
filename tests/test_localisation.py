"""Dates, times and numbers follow the page's language, in Oslo time.

Templates show them through Django's localisation (the `date` and `time`
filters with the formats each language names, such as DATE_FORMAT;
`intcomma` for counts), never through strftime or hand-made formats.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.template import Context, Template
from django.test import SimpleTestCase
from django.urls import reverse
from django.utils import translation

from conversations.models import Conversation
from tests.factories import CastTestCase

# 11:30 UTC is 12:30 in Oslo in winter, 13:30 in summer.
WINTER = datetime.datetime(2026, 12, 4, 11, 30, tzinfo=datetime.UTC)
SUMMER = datetime.datetime(2026, 6, 4, 11, 30, tzinfo=datetime.UTC)


TEMPLATES = Path(settings.BASE_DIR) / "templates"
# The formats each language defines (Django's locale formats), and "c"
# for the machine-readable datetime attribute.
LANGUAGE_FORMATS = {
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "TIME_FORMAT",
    "MONTH_DAY_FORMAT",
    "YEAR_MONTH_FORMAT",
    "c",
}
# Formats kept the same in every language on purpose, with the reason.
FIXED_FORMATS = {
    ("audit/access_log.html", "Y-m-d H:i:s"): "a log's time to the second, as exported",
}
FORMAT_IN_TEMPLATE = re.compile(r"""\|(?:date|time):(["'])(.*?)\1""")


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


class TemplateFormatTests(SimpleTestCase):
    def test_templates_use_each_languages_own_formats(self):
        hand_made = []
        for path in sorted(TEMPLATES.rglob("*.html")):
            name = path.relative_to(TEMPLATES).as_posix()
            for match in FORMAT_IN_TEMPLATE.finditer(path.read_text()):
                fmt = match.group(2)
                if fmt not in LANGUAGE_FORMATS and (name, fmt) not in FIXED_FORMATS:
                    hand_made.append(f"{name}: {fmt}")

        self.assertEqual(hand_made, [], "Use a format named in LANGUAGE_FORMATS")


class PageDateTests(CastTestCase):
    def test_conversation_dates_follow_the_language(self):
        conversation = Conversation.objects.create(
            person=self.employee,
            leader=self.sub_leader.user,
            kind=Conversation.Kind.EMPLOYEE,
            planned_at=WINTER,
            held_on=WINTER.date(),
            status=Conversation.Status.HELD,
        )
        self.login(self.sub_leader)
        url = reverse("conversations:detail", args=[conversation.pk])

        bokmal = self.client.get(url)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        english = self.client.get(url)

        self.assertContains(bokmal, "4. desember 2026 12:30")
        self.assertContains(english, "Dec. 4, 2026, 12:30 p.m.")
        self.assertNotContains(english, "4.12.2026")
