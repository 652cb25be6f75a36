from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django.http import Http404
from django.utils import translation

from analysis.exports import plan_table
from analysis.presenting import named_people, unit_plans
from analysis.queries import configured_thresholds, fetch_standings
from analysis.views import ANALYSIS
from audit.log import record_ids
from audit.models import AccessLog
from catalogue.models import Framework, competences_of
from exchange.spreadsheet import csv_bytes, xlsx_bytes
from kompetanse.ids import parse_id
from organisation.models import OrgUnit
from organisation.scope import analysed_people, get_visible_unit

FORMATS = {".csv": csv_bytes, ".xlsx": xlsx_bytes}


class Command(BaseCommand):
    help = (
        "Write every named proposal (mobilise, develop, recruit, assess) for a "
        "unit's subtree to a CSV or XLSX file, for any size of unit: the page "
        "and its download count per child unit above ANALYSIS_NAMED_LIMIT "
        "people. The export is made for a user (--for), who must be allowed "
        "to analyse the unit, and is written to the access log in their name."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("unit", metavar="UNIT", help="the unit's id or code")
        parser.add_argument("--for", dest="username", required=True, metavar="USERNAME")
        parser.add_argument(
            "--output", type=Path, required=True, help="a .csv or .xlsx file"
        )
        parser.add_argument(
            "--framework", help="a published framework's id; default the oldest"
        )
        parser.add_argument(
            "--language", choices=[code for code, _name in settings.LANGUAGES]
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output: Path = options["output"]
        write = FORMATS.get(output.suffix.lower())
        if write is None:
            raise CommandError(f"{output}: the file name must end in .csv or .xlsx")
        if not output.parent.is_dir():
            raise CommandError(f"{output.parent}: no such folder")
        user = (
            get_user_model()
            .objects.filter(username=options["username"], is_active=True)
            .first()
        )
        if user is None:
            raise CommandError(f"No active user called {options['username']}")
        unit = self.find_unit(user, options["unit"])
        framework = self.find_framework(options["framework"])

        with translation.override(options["language"] or settings.LANGUAGE_CODE):
            started = time.perf_counter()
            people = analysed_people(user, unit)
            competences = competences_of(framework)
            self.stderr.write(f"{unit.name}: reading everyone's standing …")
            standings = fetch_standings(people, competences)
            self.stderr.write(
                f"{len(standings.people):,} people; working out the proposals …"
            )
            plans = unit_plans(
                unit, competences, standings, configured_thresholds(framework)
            )
            header, lines = plan_table(plans, standings)
            self.stderr.write(f"writing {len(lines):,} proposals …")
            output.write_bytes(write(header, lines))
            record_ids(user, named_people(plans), AccessLog.Action.EXPORT, ANALYSIS)
        seconds = time.perf_counter() - started
        self.stderr.write(
            self.style.SUCCESS(f"{output}: {len(lines):,} proposals in {seconds:.1f} s")
        )

    def find_unit(self, user: Any, given: str) -> OrgUnit:
        match = Q(code=given)
        pk = parse_id(given)
        if pk is not None:
            match |= Q(pk=pk)
        unit = OrgUnit.objects.filter(match).first()
        if unit is None:
            raise CommandError(f"No unit with the id or code {given}")
        try:
            return get_visible_unit(user, unit.pk)
        except Http404:
            raise CommandError(
                f"{user.get_username()} may not analyse {unit.name}"
            ) from None

    def find_framework(self, given: str | None) -> Framework:
        published = Framework.objects.published().oldest_first()
        if given is not None:
            pk = parse_id(given)
            framework = published.filter(pk=pk).first() if pk is not None else None
            if framework is None:
                raise CommandError(f"No published framework with the id {given}")
            return framework
        framework = published.first()
        if framework is None:
            raise CommandError("No framework has been published yet.")
        return framework
