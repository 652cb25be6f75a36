from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from exchange.hr.describe import people_lines
from exchange.hr.importer import STEPS, FileProblem, import_org
from exchange.hr.sync import Plan

# The labels of the preview page, so both speak alike.
SUMMARY = [
    ("units_new", gettext_lazy("New units")),
    ("units_changed", gettext_lazy("Renamed units")),
    ("units_moved", gettext_lazy("Moved units")),
    ("units_missing", gettext_lazy("Units not in the file (kept)")),
    ("people_new", gettext_lazy("New people")),
    ("people_changed", gettext_lazy("Changed people")),
    ("people_moved", gettext_lazy("Moved people")),
    ("people_left", gettext_lazy("People who have left")),
    ("people_unchanged", gettext_lazy("Unchanged people")),
    ("leaders_changed", gettext_lazy("Changed leader links")),
    ("errors", gettext_lazy("Faulty rows")),
]


class Command(BaseCommand):
    """Speaks the active language: the project's LANGUAGE_CODE (bokmål)
    unless the caller activates another, as Django leaves translations on
    for management commands."""

    help = (
        "Import units and people from the HR system's export (CSV or XLSX). "
        "The employee number is the key; people missing from the file are "
        "marked as left. Any faulty row stops the import with nothing changed. "
        "With -v 2 it lists every person it adds, changes, moves or marks as left."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("units_file", type=Path)
        parser.add_argument("people_file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Report only; write nothing."
        )
        parser.add_argument(
            "--columns",
            type=Path,
            help='JSON file mapping field names to headers: {"units": {...}, '
            '"people": {...}}',
        )

    def handle(self, *args: Any, **options: Any) -> None:
        files = [self.read(options["units_file"]), self.read(options["people_file"])]
        columns = self.columns(options["columns"])
        started = time.monotonic()

        def progress(step: str) -> None:
            progress.done += 1  # type: ignore[attr-defined]
            done = min(progress.done, STEPS)  # type: ignore[attr-defined]
            bar = "#" * (done * 20 // STEPS)
            self.stdout.write(f"[{bar:<20}] {step}")

        progress.done = 0  # type: ignore[attr-defined]
        try:
            result = import_org(
                *files,
                columns=columns,
                dry_run=options["dry_run"],
                progress=progress,
            )
        except FileProblem as exc:
            raise CommandError(str(exc)) from exc

        self.report(result, time.monotonic() - started, options["verbosity"])
        if result.snapshot.errors:
            raise CommandError(
                ngettext(
                    "%(count)s faulty row; nothing was changed.",
                    "%(count)s faulty rows; nothing was changed.",
                    len(result.snapshot.errors),
                )
                % {"count": len(result.snapshot.errors)}
            )
        if options["dry_run"]:
            self.stdout.write(self.style.NOTICE(_("Dry run: nothing was written.")))
        elif result.has_changes:
            self.stdout.write(self.style.SUCCESS(_("Import done.")))
        else:
            self.stdout.write(self.style.SUCCESS(_("No changes.")))

    def read(self, path: Path) -> tuple[str, bytes]:
        try:
            return path.name, path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(path)s: %(reason)s")
                % {"path": path, "reason": exc.strerror}
            ) from exc

    def columns(self, path: Path | None) -> dict[str, dict[str, str]] | None:
        if path is None:
            return None
        try:
            mapping = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(
                _("Cannot read the column mapping %(path)s: %(reason)s")
                % {"path": path, "reason": exc}
            ) from exc
        if not (
            isinstance(mapping, dict)
            and all(isinstance(mapping.get(k), dict) for k in ("units", "people"))
        ):
            raise CommandError(
                _('The column mapping must be {"units": {...}, "people": {...}}.')
            )
        return mapping

    def report(self, result: Plan, seconds: float, verbosity: int) -> None:
        for error in result.snapshot.errors:
            self.stderr.write(str(error))
        if verbosity >= 2:
            for line in people_lines(result):
                self.stdout.write(f"  {line}")
        counts = result.summary()
        rows = [(str(label), str(counts[key])) for key, label in SUMMARY]
        rows.append((_("Seconds"), number_format(seconds, 1)))
        width = max(len(label) for label, _value in rows)
        for label, value in rows:
            self.stdout.write(f"  {label:<{width}} {value:>7}")
