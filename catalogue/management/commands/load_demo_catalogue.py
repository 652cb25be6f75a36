from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from organisation.models import Role

DEMO_OWNER = "aesa.saether"


class Command(BaseCommand):
    help = (
        f"Make the demo login {DEMO_OWNER} a catalogue owner (after load_demo). "
        "Running it again changes nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo data is for development only (DEBUG=1).")
        user = get_user_model().objects.filter(username=DEMO_OWNER).first()
        if user is None:
            raise CommandError(f"No login {DEMO_OWNER}; run load_demo first.")

        # Owners hear of new comments by e-mail, so the login needs the
        # address the demo person has.
        if not user.email and hasattr(user, "person"):
            user.email = user.person.email
            user.save(update_fields=["email"])
        Role.objects.get_or_create(user=user, kind=Role.Kind.CATALOGUE_OWNER, unit=None)
        self.stdout.write(
            self.style.SUCCESS(f"Catalogue owner: {DEMO_OWNER} (password 'demo')")
        )
