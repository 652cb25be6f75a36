"""The benchmark of DESIGN.md §7 on a generated municipality.

    python bench/run.py [--people 52000] [--seed 1] [--repeat 30] [--regenerate]

Uses the database in DATABASE_URL, or bench/bench.sqlite3 without it.
Generates the municipality there when the database is empty, reuses it
when it holds that many people, and prints a table of median and p95 wall
times, query counts and the ratio to the fastest plain SQL query that
returns the same numbers. Prints figures; asserts no times.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompetanse.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{BENCH / 'bench.sqlite3'}")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from bench import scenarios  # noqa: E402
from bench.measure import Line, table  # noqa: E402
from organisation.models import Person  # noqa: E402
from organisation.synthetic.hr_files import write_hr_files  # noqa: E402
from organisation.synthetic.tree import build  # noqa: E402

# HR files per size and seed, so that the import row reads the files of
# the municipality in the database.
HR_ROOT = BENCH / "hr"
GENERATED = BENCH / "generated.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=52_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument(
        "--analysis-repeat",
        type=int,
        default=10,
        help="Runs of each analysis page; the whole municipality takes seconds.",
    )
    parser.add_argument(
        "--regenerate",
        action="store_true",
        help="Replace what the database holds with a new municipality.",
    )
    args = parser.parse_args()

    label = database_label()
    print(f"Database: {label}")
    call_command("migrate", verbosity=0)
    held = Person.objects.count()
    if held and held != args.people and not args.regenerate:
        sys.exit(
            f"The database holds {held} people, not {args.people}; "
            "pass --regenerate to replace them."
        )
    hr_dir = HR_ROOT / f"{args.people}-{args.seed}"
    if args.regenerate or not held:
        generate(label, args.people, args.seed, hr_dir, force=bool(held))
    elif not (hr_dir / "people.csv").exists():
        write_hr_files(build(args.people, args.seed), hr_dir)

    lines = [generation_line(label)]
    lines += scenarios.subtrees(args.repeat)
    lines += scenarios.team_pages(args.repeat)
    lines += scenarios.analysis_pages(args.analysis_repeat)
    lines += scenarios.save_team_expectations(args.analysis_repeat)
    lines += scenarios.throughput()
    lines += scenarios.imports(hr_dir, BENCH)
    print()
    print(table(lines))
    # The machine may be shared; the load says how far to trust the times.
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"\n{os.cpu_count()} cores, load average {load} at the end.")
    for line in lines:
        if line.note and line.figures is not None:
            print(f"- {line.work}: {line.note}")


def database_label() -> str:
    settings = connection.settings_dict
    name = Path(str(settings["NAME"])).name
    return f"{connection.vendor} ({name})"


def generate(label: str, people: int, seed: int, hr_dir: Path, *, force: bool) -> None:
    """Run generate_municipality as an operator would, and keep its time."""
    command = [
        sys.executable,
        str(ROOT / "manage.py"),
        "generate_municipality",
        f"--people={people}",
        f"--seed={seed}",
        f"--hr-files={hr_dir}",
    ]
    if force:
        command.append("--force")
    print("Generating the municipality:", flush=True)
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT)
    seconds = time.perf_counter() - started
    known = json.loads(GENERATED.read_text()) if GENERATED.exists() else {}
    known[label] = {"people": people, "seed": seed, "seconds": round(seconds, 1)}
    GENERATED.write_text(json.dumps(known, indent=2) + "\n")


def generation_line(label: str) -> Line:
    known = json.loads(GENERATED.read_text()) if GENERATED.exists() else {}
    run = known.get(label)
    if run is None:
        return Line("generate_municipality", note="reused; not timed here")
    line = Line(
        "generate_municipality",
        size=f"{run['people']:,}",
        budget="a few minutes",
        note=f"{run['seconds']:.0f} s (whole command)",
    )
    return line


if __name__ == "__main__":
    main()
