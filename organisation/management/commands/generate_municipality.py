from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
    OutputWrapper,
)

from organisation.synthetic.generate import AlreadyPopulated, generate

BAR_WIDTH = 30


class Bar:
    """A progress bar on one line, redrawn at most once per percent; on
    anything but a terminal only the summary line of each phase."""

    def __init__(self, out: OutputWrapper) -> None:
        self.out = out
        self.live = out.isatty()
        self.phase, self.total, self.done, self.shown = "", 1, 0, -1

    def start(self, phase: str, total: int) -> None:
        self.phase, self.total, self.done, self.shown = phase, max(total, 1), 0, -1
        self.draw()

    def advance(self, done: int) -> None:
        self.done += done
        self.draw()

    def draw(self) -> None:
        percent = min(100, self.done * 100 // self.total)
        if not self.live or percent == self.shown:
            return
        self.shown = percent
        filled = BAR_WIDTH * percent // 100
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        self.out.write(f"\r{self.phase:<13} [{bar}] {percent:3d}%", ending="")
        self.out.flush()

    def finish(self, phase: str, count: int, seconds: float) -> None:
        if self.live:
            self.out.write("\r" + " " * (BAR_WIDTH + 22) + "\r", ending="")
        self.out.write(f"{phase:<13} {count:>10,}  {seconds:8.1f} s")


class Command(BaseCommand):
    help = (
        "Generate a synthetic municipality from a seed, for development and "
        "benchmarks: units in a tree of seven levels, people with logins, the "
        "bundled and five generated frameworks (30 competences), an expectation "
        "per person and competence and three rounds of assessments. The same "
        "seed gives the same municipality. Refuses a database that holds units "
        "or people unless --force is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=52_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--hr-files",
            type=Path,
            metavar="DIR",
            help="Also write units.csv and people.csv, as the HR system exports "
            "them, into DIR.",
        )
        parser.add_argument(
            "--no-history",
            action="store_true",
            help="Only the newest round of assessments (a third of the rows).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="First delete every unit, person (and their login), "
            "expectation, assessment and generated framework.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["people"] < 10:
            raise CommandError("--people must be 10 or more.")
        started = time.perf_counter()
        try:
            report = generate(
                options["people"],
                options["seed"],
                history=not options["no_history"],
                hr_dir=options["hr_files"],
                force=options["force"],
                progress=Bar(self.stdout),
            )
        except AlreadyPopulated as exc:
            raise CommandError(
                str(exc)
                or "The database holds units or people already; "
                "nothing was written. Use --force to replace them."
            ) from exc
        town = report.town
        assert town is not None
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {len(town.units):,} units and {len(town.people):,} "
                f"people (seed {options['seed']}) in {seconds:.1f} s."
            )
        )
