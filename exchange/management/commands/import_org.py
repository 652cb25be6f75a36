from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from exchange.hr.importer import FileProblem, import_org
from exchange.hr.sync import Plan

SUMMARY = [
    ("units_new", "units new"),
    ("units_changed", "units renamed"),
    ("units_moved", "units moved"),
    ("units_missing", "units not in the file (kept)"),
    ("people_new", "people new"),
    ("people_changed", "people changed"),
    ("people_moved", "people moved"),
    ("people_left", "people left"),
    ("people_unchanged", "people unchanged"),
    ("leaders_changed", "leader links changed"),
    ("errors", "errors"),
]


class Command(BaseCommand):
    help = (
        "Import units and people from the HR system's export (CSV or XLSX). "
        "The employee number is the key; people missing from the file are "
        "marked as left. Any faulty row stops the import with nothing changed."
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
        steps = 5

        def progress(step: str) -> None:
            progress.done += 1  # type: ignore[attr-defined]
            done = min(progress.done, steps)  # type: ignore[attr-defined]
            bar = "#" * (done * 20 // steps)
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

        self.report(result, time.monotonic() - started)
        if result.snapshot.errors:
            raise CommandError(
                f"{len(result.snapshot.errors)} faulty rows; nothing was changed."
            )
        if options["dry_run"]:
            self.stdout.write(self.style.NOTICE("Dry run: nothing was written."))
        elif result.has_changes:
            self.stdout.write(self.style.SUCCESS("Import done."))
        else:
            self.stdout.write(self.style.SUCCESS("No changes."))

    def read(self, path: Path) -> tuple[str, bytes]:
        try:
            return path.name, path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc

    def columns(self, path: Path | None) -> dict[str, dict[str, str]] | None:
        if path is None:
            return None
        try:
            mapping = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read the column mapping {path}: {exc}") from exc
        if not (
            isinstance(mapping, dict)
            and all(isinstance(mapping.get(k), dict) for k in ("units", "people"))
        ):
            raise CommandError(
                'The column mapping must be {"units": {...}, "people": {...}}.'
            )
        return mapping

    def report(self, result: Plan, seconds: float) -> None:
        for error in result.snapshot.errors:
            self.stderr.write(str(error))
        counts = result.summary()
        for key, label in SUMMARY:
            self.stdout.write(f"  {label:<30} {counts[key]:>7}")
        self.stdout.write(f"  {'seconds':<30} {seconds:>7.1f}")
