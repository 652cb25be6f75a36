from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from exchange.errors import ExchangeError
from exchange.frameworks import FORMATS, MAX_BYTES, import_framework


class Command(BaseCommand):
    help = (
        "Import a framework from a CASE JSON package or a Moodle competency "
        "CSV. A file with any fault changes nothing; importing the same file "
        "again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, metavar="FILE")
        parser.add_argument(
            "--format", choices=FORMATS, help="default: guessed from the content"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, write nothing"
        )

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        try:
            with open(file, "rb") as handle:
                # One byte over the limit is enough to refuse the file.
                content = handle.read(MAX_BYTES + 1)
                size = os.fstat(handle.fileno()).st_size
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(path)s: %(reason)s")
                % {"path": file, "reason": exc.strerror}
            ) from exc
        try:
            result = import_framework(
                content, options["format"], dry_run=options["dry_run"], size=size
            )
        except ExchangeError as exc:
            for problem in exc.problems:
                self.stderr.write(f"{file}: {problem}")
            raise CommandError(
                _("%(path)s: not imported, nothing changed") % {"path": file}
            ) from exc
        summary = result.summary()
        if options["dry_run"]:
            summary += " " + _("(dry run, nothing written)")
        style = self.style.SUCCESS if result.changed else self.style.NOTICE
        self.stdout.write(style(summary))
