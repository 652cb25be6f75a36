from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from organisation.models import OrgUnit, Person

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
DEMO_PASSWORD = "demo"
# Logins worth trying first, shown at start-up and in the README.
FEATURED = [
    ("kari.olsen", "top leader of the municipality"),
    ("siri.ostby", "leader of Seksjon for innovasjon"),
    ("bjorn.karlsen", "employee in Seksjon for innovasjon"),
    ("admin", "administrator"),
]


def read_rows(name: str) -> list[dict[str, str]]:
    with open(DEMO_DIR / name, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


class Command(BaseCommand):
    help = (
        "Create the demo organisation (7 units, 40 people) with a login for "
        "everyone (password 'demo'). Running it again changes nothing."
    )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "The demo creates logins with a known password; "
                "run it only in development (DEBUG=1)."
            )
        units: dict[str, OrgUnit] = {}
        for row in read_rows("units.csv"):
            unit = OrgUnit.objects.filter(code=row["Enhetskode"]).first()
            if unit is None:
                unit = OrgUnit.objects.create(
                    code=row["Enhetskode"],
                    name=row["Enhetsnavn"],
                    parent=units.get(row["Overordnet enhetskode"]),
                )
            units[unit.code] = unit

        User = get_user_model()
        people: dict[str, Person] = {}
        for row in read_rows("people.csv"):
            email = row["E-post"]
            user, created = User.objects.get_or_create(username=email.split("@")[0])
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            person, _ = Person.objects.get_or_create(
                employee_number=row["Ansattnummer"],
                defaults={
                    "first_name": row["Fornavn"],
                    "last_name": row["Etternavn"],
                    "email": email,
                    "title": row["Stillingstittel"],
                    "unit": units[row["Enhetskode"]],
                    "user": user,
                },
            )
            people[person.employee_number] = person

        for row in read_rows("units.csv"):
            units[row["Enhetskode"]].leaders.add(people[row["Leder ansattnummer"]])

        admin, created = User.objects.get_or_create(
            username="admin", defaults={"is_staff": True, "is_superuser": True}
        )
        if created:
            admin.set_password(DEMO_PASSWORD)
            admin.save()

        self.stdout.write(
            self.style.SUCCESS(
                f"Demo organisation: {len(units)} units, {len(people)} people."
            )
        )
        self.stdout.write(f"Demo logins (password '{DEMO_PASSWORD}'):")
        for username, role in FEATURED:
            self.stdout.write(f"  {username:<15} {role}")
