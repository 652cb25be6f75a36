from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from profiles import current as current_levels
from profiles.models import CurrentLevel


class Command(BaseCommand):
    help = (
        "Write the current levels table again from the assessments, in one "
        "transaction. The product keeps it up to date itself; this is for a "
        "database whose expectations or assessments were changed outside the "
        "product. Run it while nobody saves levels: a save at the same moment "
        "may fail and must be repeated."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only report how many rows are out of date; exit 1 if any.",
        )

    def handle(self, *args: Any, check: bool = False, **options: Any) -> None:
        if check:
            stale = current_levels.stale()
            self.stdout.write(f"{len(stale)} person–competence pairs are out of date.")
            if stale:
                raise SystemExit(1)
            return
        self.stdout.write("Rebuilding the current levels …")
        started = time.perf_counter()
        current_levels.refresh()
        self.stdout.write(
            self.style.SUCCESS(
                f"{CurrentLevel.objects.count():,} rows written in "
                f"{time.perf_counter() - started:.1f} s."
            )
        )
