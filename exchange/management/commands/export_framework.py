from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from exchange.frameworks import FORMATS, export_framework, find_framework


class Command(BaseCommand):
    help = (
        "Export a framework (by name or UUID; the published version unless "
        "--framework-version says otherwise) as CASE JSON or Moodle CSV."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", metavar="NAME")
        parser.add_argument("--format", choices=FORMATS, required=True)
        parser.add_argument("--framework-version", type=int)
        parser.add_argument(
            "--output", type=Path, help="a file; default standard output"
        )

    def handle(self, *args: Any, name: str, **options: Any) -> None:
        framework = find_framework(name, options["framework_version"])
        if framework is None:
            raise CommandError(f"No framework called {name}")

        content = export_framework(framework, options["format"])
        if options["output"]:
            Path(options["output"]).write_bytes(content)
            self.stderr.write(f"{framework}: written to {options['output']}")
        else:
            self.stdout.write(content.decode("utf-8"), ending="")
