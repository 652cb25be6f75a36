from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from catalogue.loading import (
    FrameworkFileError,
    bundled_framework_paths,
    load_framework_file,
)


class Command(BaseCommand):
    help = (
        "Load a framework file into the catalogue. Loading the same file again "
        "changes nothing. Without PATH, loads the frameworks bundled with the "
        "product."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", type=Path, metavar="PATH")

    def handle(self, *args: Any, paths: list[Path], **options: Any) -> None:
        for path in paths or bundled_framework_paths():
            try:
                result = load_framework_file(path)
            except FrameworkFileError as exc:
                for problem in exc.problems:
                    self.stderr.write(f"{path}: {problem}")
                raise CommandError(
                    _("%(path)s: not loaded, nothing changed") % {"path": path}
                ) from exc
            style = self.style.SUCCESS if result.changed else self.style.NOTICE
            self.stdout.write(style(result.summary()))
