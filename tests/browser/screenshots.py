"""`make screenshots`: the main pages at desktop and phone width, for the
README, from the demo organisation with some levels filled in.

Not part of the test suite (the name does not start with test_); it runs
on the test database and server, so it never touches a real one.
"""

from __future__ import annotations

import random
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import ViewportSize

from catalogue.models import Framework
from organisation.models import Person
from organisation.scope import subordinates
from profiles.records import record_assessments, set_expectations
from tests.browser.base import DESKTOP, PHONE, BrowserTestCase

FOLDER = Path(settings.BASE_DIR) / "docs" / "screenshots"
LEADER, EMPLOYEE = "siri.ostby", "bjorn.karlsen"
SIZES: dict[str, ViewportSize] = {"desktop": DESKTOP, "phone": PHONE}


def fill_in_levels() -> None:
    """Expectations and self-assessments for the leader's people; the same
    every time, so the pictures only change when the pages do."""
    chance = random.Random(8)
    leader = Person.objects.get(user__username=LEADER)
    competences = list(Framework.objects.get().competences.all())
    for person in subordinates(leader).order_by("employee_number"):
        expected = {c: chance.randint(1, 4) for c in competences}
        set_expectations(person, expected, by=leader.user)
        assessed = {c: chance.randint(1, 4) for c in competences[:-1]}
        record_assessments(person, "self", assessed, by=person.user)


class Screenshots(BrowserTestCase):
    def setUp(self) -> None:
        self.page.context.clear_cookies()
        call_command("load_framework", verbosity=0)
        # The demo refuses to run outside development; this is a test
        # database that is thrown away afterwards.
        with override_settings(DEBUG=True):
            call_command("load_demo", verbosity=0)
        fill_in_levels()

    def user(self, username: str):  # type: ignore[no-untyped-def]
        return Person.objects.get(user__username=username).user

    def shoot(self, name: str, path: str) -> None:
        self.page.goto(self.url(path))
        for size, viewport in SIZES.items():
            self.page.set_viewport_size(viewport)
            self.page.screenshot(path=FOLDER / f"{name}-{size}.png")

    def test_write_screenshots(self):
        FOLDER.mkdir(parents=True, exist_ok=True)
        employee = Person.objects.get(user__username=EMPLOYEE)
        framework = Framework.objects.get()

        self.log_in(None)
        self.shoot("login", "/login/")
        self.log_in(self.user(LEADER))
        self.shoot("team", "/team/")
        self.shoot("person", f"/people/{employee.pk}/")
        self.shoot("expectations", f"/people/{employee.pk}/expectations/")
        unit = Person.objects.get(user__username=LEADER).unit
        self.shoot("heatmap", f"/analysis/units/{unit.pk}/heatmap/")
        self.log_in(self.user(EMPLOYEE))
        self.shoot("self-assessment", "/me/#self-assessment")
        self.shoot("catalogue", f"/catalogue/{framework.pk}/")
