from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from exchange.hr.importer import import_org
from organisation.models import OrgUnit, Person

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
DEMO_PASSWORD = "demo"
# Logins worth trying first, shown at start-up and in the README.
FEATURED = [
    ("kari.olsen", "top leader of the municipality"),
    ("siri.ostby", "leader of Seksjon for innovasjon"),
    ("bjorn.karlsen", "employee in Seksjon for innovasjon"),
    ("kari.tran", "HR adviser for Byrådsavdeling for finans"),
    ("aesa.saether", "catalogue owner"),
    ("admin", "administrator"),
]


class Command(BaseCommand):
    help = (
        "Import the demo organisation (7 units, 40 people) through the HR "
        "import and give everyone a login (password 'demo'). Once there is "
        "an organisation, running it again leaves it as it is."
    )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "The demo creates logins with a known password; "
                "run it only in development (DEBUG=1)."
            )
        # Only into an empty database: importing the demo files again would
        # undo what was entered since (an HR import, a move, someone who
        # left), as an import of an older export does.
        result = None
        if not OrgUnit.objects.exists():
            files = [
                (name, (DEMO_DIR / name).read_bytes())
                for name in ("units.csv", "people.csv")
            ]
            result = import_org(*files)
            if result.snapshot.errors:
                raise CommandError("\n".join(map(str, result.snapshot.errors)))

        User = get_user_model()
        for person in Person.objects.filter(user=None, active=True):
            username = (person.email or person.employee_number).split("@")[0]
            user, created = User.objects.get_or_create(username=username)
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            person.user = user
            person.save(update_fields=["user"])
        admin, created = User.objects.get_or_create(
            username="admin", defaults={"is_staff": True, "is_superuser": True}
        )
        if created:
            admin.set_password(DEMO_PASSWORD)
            admin.save()

        if result is None:
            self.stdout.write(
                f"Demo organisation: left as it is ({OrgUnit.objects.count()} "
                f"units, {Person.objects.filter(active=True).count()} people)."
            )
        else:
            counts = result.summary()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo organisation: {counts['units_new']} units and "
                    f"{counts['people_new']} people added."
                )
            )
        self.stdout.write(f"Demo logins (password '{DEMO_PASSWORD}'):")
        for username, role in FEATURED:
            self.stdout.write(f"  {username:<15} {role}")
