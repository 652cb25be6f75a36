"""Time the heatmap and the mobilise/develop/recruit page for units of
different sizes, on the database DATABASE_URL points at (by default the
project's SQLite file).

    DATABASE_URL=... python bench/analysis.py [--runs 9]

Each page is fetched as an administrator through Django's test client,
so the figure includes the scope checks and rendering. Beside it stands
a plain SQL query computing the same numbers on the same database (the
floor), and the ratio between the two: DESIGN.md §7 asks for at most twice the floor.
The database must hold a published framework and a superuser.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompetanse.settings")
# Development settings: no SECRET_KEY needed and the test client's host.
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from catalogue.models import Framework  # noqa: E402
from organisation.models import PATH_END, SEGMENT_WIDTH, OrgUnit, Person  # noqa: E402

TARGET_SIZES = (10, 100, 1_000, 2_000, 5_000, 18_000)

# Current level by precedence in SQL: agreed (3xx) beats leader (2xx)
# beats self (1xx); the largest code per person and competence wins and
# its last two digits are the level.
FLOOR_PEOPLE = """
WITH people AS (
  SELECT p.id, u.path FROM organisation_person p
  JOIN organisation_orgunit u ON u.id = p.unit_id
  WHERE u.path >= %s AND u.path < %s AND p.active
), cur AS (
  SELECT a.person_id, a.competence_id,
    MAX(CASE a.kind WHEN 'agreed' THEN 300 WHEN 'leader' THEN 200 ELSE 100 END
        + a.level) %% 100 AS level
  FROM profiles_assessment a JOIN people ON people.id = a.person_id
  WHERE a.is_current AND a.competence_id IN (SELECT id FROM catalogue_competence
                                             WHERE framework_id = %s)
  GROUP BY a.person_id, a.competence_id
)
"""
FLOOR_HEATMAP = (
    FLOOR_PEOPLE
    + """
SELECT SUBSTR(people.path, 1, %s) AS bucket, e.competence_id, COUNT(*),
  SUM(CASE WHEN cur.level >= e.level THEN 1 ELSE 0 END), COUNT(cur.level),
  SUM(CASE WHEN cur.level < e.level THEN e.level - cur.level ELSE 0 END)
FROM profiles_expectation e JOIN people ON people.id = e.person_id
LEFT JOIN cur ON cur.person_id = e.person_id AND cur.competence_id = e.competence_id
WHERE e.is_current AND e.level IS NOT NULL
GROUP BY SUBSTR(people.path, 1, %s), e.competence_id
"""
)
FLOOR_PROPOSALS = (
    FLOOR_PEOPLE
    + """
SELECT e.person_id, e.competence_id, e.level, cur.level
FROM profiles_expectation e JOIN people ON people.id = e.person_id
LEFT JOIN cur ON cur.person_id = e.person_id AND cur.competence_id = e.competence_id
WHERE e.is_current AND e.level IS NOT NULL
"""
)


def subtree_sizes() -> dict[int, tuple[OrgUnit, int]]:
    """Active people per unit subtree, from two queries."""
    units = list(OrgUnit.objects.only("pk", "name", "path"))
    direct: dict[int, int] = {}
    for unit_id in Person.objects.active().values_list("unit_id", flat=True):
        direct[unit_id] = direct.get(unit_id, 0) + 1
    by_path = {unit.path: unit for unit in units}
    sizes = {unit.pk: 0 for unit in units}
    for unit in units:
        count = direct.get(unit.pk, 0)
        segments = unit.path.split("/")[:-1]
        for depth in range(1, len(segments) + 1):
            ancestor = by_path["/".join(segments[:depth]) + "/"]
            sizes[ancestor.pk] += count
    return {unit.pk: (unit, sizes[unit.pk]) for unit in units}


def chosen_units() -> list[tuple[OrgUnit, int]]:
    sizes = sorted(subtree_sizes().values(), key=lambda item: item[1])
    chosen: dict[int, tuple[OrgUnit, int]] = {}
    for target in TARGET_SIZES:
        unit, size = min(sizes, key=lambda item: abs(item[1] - target))
        chosen.setdefault(unit.pk, (unit, size))
    biggest = sizes[-1]
    chosen.setdefault(biggest[0].pk, biggest)
    return sorted(chosen.values(), key=lambda item: item[1])


def measure(action: Callable[[], object], runs: int) -> tuple[float, float, int]:
    """Median and p95 in milliseconds, and the queries of one run."""
    # Each request empties the connection's query log when it starts;
    # start the capture from an empty log so that the count survives.
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        action()  # warm-up, and the query count
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[max(0, math.ceil(0.95 * len(times)) - 1)]
    return statistics.median(times), p95, len(queries.captured_queries)


def run_sql(sql: str, params: list[object]) -> Callable[[], object]:
    def action() -> object:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return action


def fetch(client: Client, url: str) -> Callable[[], object]:
    def action() -> object:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        return response

    return action


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()

    framework = Framework.objects.published().first()
    admin = get_user_model().objects.filter(is_superuser=True).first()
    if framework is None or admin is None:
        raise SystemExit("Needs a published framework and a superuser.")
    client = Client()
    client.force_login(admin)
    query = f"?framework={framework.pk}"
    print(f"database: {connection.vendor}, framework: {framework}, runs: {args.runs}")
    print(
        f"{'unit':<40} {'people':>7}  {'page':<9} {'median':>8} {'p95':>8} "
        f"{'queries':>7} {'floor':>8} {'ratio':>6}"
    )
    for unit, size in chosen_units():
        bucket = len(unit.path) + SEGMENT_WIDTH + 1
        base = [unit.path, unit.path + PATH_END, framework.pk]
        pages = [
            (
                "heatmap",
                reverse("analysis:heatmap", args=[unit.pk]) + query,
                run_sql(FLOOR_HEATMAP, [*base, bucket, bucket]),
            ),
            (
                "proposals",
                reverse("analysis:unit", args=[unit.pk]) + query,
                run_sql(FLOOR_PROPOSALS, base),
            ),
        ]
        for name, url, floor in pages:
            median, p95, queries = measure(fetch(client, url), args.runs)
            floor_median, _, _ = measure(floor, args.runs)
            ratio = median / floor_median if floor_median else float("inf")
            print(
                f"{unit.name[:40]:<40} {size:>7}  {name:<9} {median:>6.1f}ms "
                f"{p95:>6.1f}ms {queries:>7} {floor_median:>6.1f}ms {ratio:>5.1f}×"
            )


if __name__ == "__main__":
    main()
