"""What the benchmark measures, each with its plain SQL floor."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bench.measure import Line, measure, raw_query
from catalogue.models import Competence, Framework, chosen_framework, competences_of
from organisation.models import PATH_END, SEGMENT_WIDTH, OrgUnit, Person
from organisation.scope import subordinates
from profiles import current as current_levels
from profiles.expectations import read_token, save_expectations, version_token
from profiles.models import Assessment, CurrentLevel, Expectation

PERSON = Person._meta.db_table
UNIT = OrgUnit._meta.db_table
LEADERS = OrgUnit.leaders.through._meta.db_table
EXPECTATION = Expectation._meta.db_table
ASSESSMENT = Assessment._meta.db_table
CURRENT_LEVEL = CurrentLevel._meta.db_table

# The people below a leader of one unit, in plain SQL: members of the
# subtree and leaders of units below it, without the unit's own leaders.
SUBTREE_SQL = f"""
SELECT p.id FROM {PERSON} p JOIN {UNIT} u ON u.id = p.unit_id
WHERE u.path >= %s AND u.path < %s
UNION
SELECT l.person_id FROM {LEADERS} l JOIN {UNIT} u ON u.id = l.orgunit_id
WHERE u.path > %s AND u.path < %s
EXCEPT
SELECT person_id FROM {LEADERS} WHERE orgunit_id = %s
"""


class Tree:
    """People per unit and subtree, to find leaders of a given team size."""

    def __init__(self) -> None:
        self.units = {u.pk: u for u in OrgUnit.objects.only("pk", "path", "parent")}
        own = Counter(Person.objects.values_list("unit_id", flat=True))
        self.size: dict[int, int] = defaultdict(int)
        for unit in self.units.values():
            for ancestor in ancestors(unit.path):
                self.size[ancestor] += own[unit.pk]
        self.leaders: dict[int, list[int]] = defaultdict(list)
        self.led: dict[int, list[int]] = defaultdict(list)
        for unit_id, person_id in OrgUnit.leaders.through.objects.values_list(
            "orgunit_id", "person_id"
        ):
            self.leaders[unit_id].append(person_id)
            self.led[person_id].append(unit_id)

    def sole_leader(self, unit_id: int) -> Person | None:
        """The unit's leader, when they lead this unit only."""
        people = self.leaders[unit_id]
        if len(people) != 1 or len(self.led[people[0]]) != 1:
            return None
        return Person.objects.select_related("user").get(pk=people[0])

    def at_depth(self, depth: int) -> list[OrgUnit]:
        return [u for u in self.units.values() if u.depth == depth]

    def median_unit(self, depth: int) -> OrgUnit:
        units = sorted(self.at_depth(depth), key=lambda u: (self.size[u.pk], u.pk))
        units = [u for u in units if self.sole_leader(u.pk) is not None] or units
        return units[len(units) // 2]

    def leader_of_about(self, people: int) -> tuple[Person, int]:
        """A leader of one unit with as close to `people` subordinates as
        there is; returns them and their exact number."""
        near = sorted(self.units, key=lambda pk: (abs(self.size[pk] - 1 - people), pk))
        best: tuple[Person, int] | None = None
        for unit_id in near[:40]:
            leader = self.sole_leader(unit_id)
            if leader is None:
                continue
            count = subordinates(leader).active().count()
            if best is None or abs(count - people) < abs(best[1] - people):
                best = (leader, count)
            if count == people:
                break
        assert best is not None
        return best


def ancestors(path: str) -> list[int]:
    step = SEGMENT_WIDTH + 1
    return [int(path[i : i + SEGMENT_WIDTH]) for i in range(0, len(path), step)]


def subtree_params(unit: OrgUnit) -> list[object]:
    end = unit.path + PATH_END
    return [unit.path, end, unit.path, end, unit.pk]


def subtrees(repeat: int) -> list[Line]:
    """scope.subordinates of a leader at the top, middle and bottom."""
    tree = Tree()
    root = next(u for u in tree.units.values() if u.parent_id is None)
    deepest = max(u.depth for u in tree.units.values())
    lines = []
    for where, unit in (
        ("top", root),
        ("middle", tree.median_unit(4)),
        ("bottom", tree.median_unit(deepest)),
    ):
        leader = tree.sole_leader(unit.pk) or Person.objects.get(
            pk=tree.leaders[unit.pk][0]
        )
        app = measure(
            lambda leader=leader: list(
                subordinates(leader).values_list("pk", flat=True)
            ),
            repeat,
        )
        floor = measure(raw_query(SUBTREE_SQL, subtree_params(unit)), repeat)
        same = sorted(app.result) == sorted(pk for (pk,) in floor.result)
        lines.append(
            Line(
                f"subtree, leader at the {where} (depth {unit.depth})",
                size=f"{len(app.result):,}",
                figures=app,
                floor=floor,
                note="" if same else "DIFFERS from the SQL floor",
            )
        )
    return lines


def team_sql(unit: OrgUnit, competence_ids: list[int]) -> tuple[str, list[object]]:
    """The team page's numbers in one plain query: the first page of people
    and their current expectations and assessments. `IN (SELECT id FROM
    team)` rather than a join makes SQLite start from the team's few people
    instead of from all the rows of the chosen competences."""
    marks = ", ".join(["%s"] * len(competence_ids))
    sql = f"""
WITH team AS (
  SELECT p.id, p.first_name, p.last_name, p.title, u.name AS unit_name
  FROM {PERSON} p JOIN {UNIT} u ON u.id = p.unit_id
  WHERE p.active AND p.id IN ({SUBTREE_SQL})
  ORDER BY u.path, p.last_name, p.first_name, p.id
  LIMIT 50
)
SELECT t.id, t.first_name || ' ' || t.last_name, t.title, t.unit_name,
       NULL, NULL
FROM team t
UNION ALL
SELECT e.person_id, NULL, NULL, NULL, e.competence_id, e.level
FROM {EXPECTATION} e
WHERE e.person_id IN (SELECT id FROM team) AND e.is_current
  AND e.competence_id IN ({marks})
UNION ALL
SELECT a.person_id, a.kind, NULL, NULL, a.competence_id, a.level
FROM {ASSESSMENT} a
WHERE a.person_id IN (SELECT id FROM team) AND a.is_current
  AND a.competence_id IN ({marks})
"""
    return sql, [*subtree_params(unit), *competence_ids, *competence_ids]


def team_pages(repeat: int) -> list[Line]:
    """profiles:team through the test client, as leaders of 12, 1 and 40."""
    tree = Tree()
    competences = competences_of(chosen_framework(None))
    ids = [c.pk for c in competences]
    url = reverse("profiles:team")
    lines = []
    for target in (12, 1, 40):
        leader, count = tree.leader_of_about(target)
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(leader.user)

        def page(client: Client = client) -> bytes:
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            return response.content

        app = measure(page, repeat)
        [unit_id] = tree.led[leader.pk]
        sql, params = team_sql(tree.units[unit_id], ids)
        floor = measure(raw_query(sql, params), repeat)
        rows = app.result.count(b'<th scope="row">')
        people = sum(1 for row in floor.result if row[1] and row[4] is None)
        lines.append(
            Line(
                f"team page, leader of {count}",
                size=f"{count} × {len(ids)}",
                figures=app,
                floor=floor,
                budget="≤ 50 ms, p95 ≤ 100 ms" if target == 12 else "same queries",
                note="" if rows == people else "DIFFERS from the SQL floor",
            )
        )
    return lines


def imports(hr_dir: Path, bench_dir: Path) -> list[Line]:
    """import_org of the generated HR files into a fresh database, then the
    same files again, which should write nothing."""
    env = fresh_database(bench_dir)
    command = [
        sys.executable,
        "manage.py",
        "import_org",
        str(hr_dir / "units.csv"),
        str(hr_dir / "people.csv"),
    ]
    lines = []
    people = Person.objects.count()
    before = None
    for work, budget in (
        ("import of the HR file, fresh", "≤ 30 s"),
        ("unchanged re-import", "≤ 30 s, writes nothing"),
    ):
        started = time.perf_counter()
        subprocess.run(command, check=True, env=env, cwd=bench_dir.parent)
        seconds = time.perf_counter() - started
        after = table_state(env)
        note = f"{seconds:.1f} s (whole command)"
        if before is not None and after != before:
            note += "; WROTE ROWS"
        before = after
        lines.append(Line(work, size=f"{people:,}", budget=budget, note=note))
    return lines


def fresh_database(bench_dir: Path) -> dict[str, str]:
    """An empty, migrated database beside the benchmark one: a SQLite file,
    or a schema of its own in the PostgreSQL database."""
    env = dict(os.environ)
    if connection.vendor == "sqlite":
        path = bench_dir / "import.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{path}"
    else:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA IF EXISTS bench_import CASCADE")
            cursor.execute("CREATE SCHEMA bench_import")
        url = os.environ["DATABASE_URL"]
        joiner = "&" if "?" in url else "?"
        env["DATABASE_URL"] = f"{url}{joiner}currentSchema=bench_import"
    manage = [sys.executable, "manage.py"]
    subprocess.run(
        [*manage, "migrate", "--verbosity=0"], check=True, env=env, cwd=bench_dir.parent
    )
    return env


STATE = (
    "from organisation.models import OrgUnit, Person; "
    "from django.db.models import Max; "
    "print([(m.objects.count(), m.objects.aggregate(x=Max('pk'))['x']) "
    "for m in (OrgUnit, Person, OrgUnit.leaders.through)])"
)


def table_state(env: dict[str, str]) -> str:
    """Row counts and highest ids of the organisation tables."""
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", STATE],
        check=True,
        env=env,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    return done.stdout.strip()


# The analysed people's rows of the current levels table (profiles.current),
# with the current level by precedence: agreed, else leader, else self.
# CROSS JOIN makes SQLite start from the units in the path range, as the
# fastest plan does; PostgreSQL plans it as an inner join.
STANDINGS_SQL = f"""
WITH standing AS (
  SELECT SUBSTR(u.path, 1, %s) AS bucket, c.person_id, c.competence_id,
    c.expected, COALESCE(c.agreed_level, c.leader_level, c.self_level) AS level
  FROM {UNIT} u CROSS JOIN {PERSON} p CROSS JOIN {CURRENT_LEVEL} c
  WHERE p.unit_id = u.id AND c.person_id = p.id
    AND u.path >= %s AND u.path < %s AND p.active AND c.competence_id IN (
    SELECT id FROM catalogue_competence WHERE framework_id = %s)
)
"""
# The heatmap's numbers: per child unit and competence, how many have an
# expectation, how many meet it, how many are assessed, and the summed gap.
HEATMAP_SQL = (
    STANDINGS_SQL
    + """
SELECT bucket, competence_id, COUNT(*),
  SUM(CASE WHEN level >= expected THEN 1 ELSE 0 END), COUNT(level),
  SUM(CASE WHEN level < expected THEN expected - level ELSE 0 END)
FROM standing WHERE expected IS NOT NULL
GROUP BY bucket, competence_id
"""
)
# What named proposals are worked out from: each person's expected and
# current level per competence.
PROPOSALS_SQL = (
    STANDINGS_SQL
    + """
SELECT person_id, competence_id, expected, level FROM standing
WHERE expected IS NOT NULL OR level IS NOT NULL
"""
)
# What counted proposals (above ANALYSIS_NAMED_LIMIT people) are worked out
# from: per child unit and competence, how many stand at each pair of
# expected and current level.
TALLY_SQL = (
    STANDINGS_SQL
    + """
SELECT bucket, competence_id, expected, level, COUNT(*) FROM standing
WHERE expected IS NOT NULL OR level IS NOT NULL
GROUP BY bucket, competence_id, expected, level
"""
)

# DESIGN.md §7: the heatmap and the proposals for a unit of up to 2,000
# people, an agency of 5,000-18,000 and the whole municipality.
ANALYSIS_SIZES = (
    ("≤ 2,000 people", 1, 2_000, "≤ 100 ms"),
    ("agency", 5_000, 18_000, "≤ 500 ms"),
    ("whole municipality", 0, 0, "≤ 1 s"),
)


def analysis_unit(tree: Tree, low: int, high: int) -> OrgUnit | None:
    """The largest led unit whose subtree holds between low and high
    people; the root for (0, 0)."""
    if not high:
        return next(u for u in tree.units.values() if u.parent_id is None)
    fitting = [
        u
        for u in tree.units.values()
        if low <= tree.size[u.pk] <= high and tree.leaders[u.pk]
    ]
    return max(fitting, key=lambda u: (tree.size[u.pk], u.pk), default=None)


def analysis_pages(repeat: int) -> list[Line]:
    """analysis:heatmap and analysis:unit through the test client, as the
    leader of units of the three sizes of §7."""
    tree = Tree()
    framework = chosen_framework(None)
    query = f"?framework={framework.pk}" if framework else ""
    lines = []
    for label, low, high, budget in ANALYSIS_SIZES:
        unit = analysis_unit(tree, low, high)
        if unit is None or framework is None:
            lines.append(Line(f"heatmap + proposals, {label}", note="no such unit"))
            continue
        leader = Person.objects.select_related("user").get(pk=tree.leaders[unit.pk][0])
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(leader.user)
        end = unit.path + PATH_END
        bucket = len(unit.path) + SEGMENT_WIDTH + 1
        counted = tree.size[unit.pk] > settings.ANALYSIS_NAMED_LIMIT
        for page, view, sql in (
            ("heatmap", "analysis:heatmap", HEATMAP_SQL),
            (
                "proposals, counted" if counted else "proposals",
                "analysis:unit",
                TALLY_SQL if counted else PROPOSALS_SQL,
            ),
        ):
            url = reverse(view, args=[unit.pk]) + query

            def fetch(client: Client = client, url: str = url) -> bytes:
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
                return response.content

            floor_params = [bucket, unit.path, end, framework.pk]
            lines.append(
                Line(
                    f"{page}, {label} (depth {unit.depth})",
                    size=f"{tree.size[unit.pk]:,}",
                    figures=measure(fetch, repeat),
                    floor=measure(raw_query(sql, floor_params), repeat),
                    budget=budget,
                )
            )
    return lines


def save_team_expectations(repeat: int) -> list[Line]:
    """A leader of about 40 saves 30 expected levels for each of them in
    one transaction, through profiles.expectations.save_expectations (the
    team grid's save, conflict check included). Every run changes every
    level, so every run writes 1,200 rows."""
    tree = Tree()
    leader, _count = tree.leader_of_about(40)
    people = list(subordinates(leader).active().order_by("pk")[:40])
    competences = list(
        Competence.objects.filter(framework__status=Framework.Status.PUBLISHED)
        .select_related("framework__scale")
        .order_by("framework_id", "position")[:30]
    )
    rounds = iter(range(10**6))

    def save() -> int:
        level = 1 + next(rounds) % 2 * 2  # 1, 3, 1, 3, ...
        seen = read_token(version_token(people, competences))
        levels = {p: dict.fromkeys(competences, level) for p in people}
        with transaction.atomic():
            outcome = save_expectations(levels, leader.user, seen)
        assert not outcome.conflicts
        return len(outcome.rows)

    person_ids = [p.pk for p in people]
    competence_ids = [c.pk for c in competences]

    def floor() -> int:
        # The same writes in plain SQL: retire the current rows, insert
        # the new ones, and write the current levels table again (the two
        # statements of profiles.current), in one transaction.
        level = 1 + next(rounds) % 2 * 2
        marks_p = ", ".join(["%s"] * len(person_ids))
        marks_c = ", ".join(["%s"] * len(competence_ids))
        now = timezone.now()
        rows = [
            (p, c, level, "", leader.user.pk, now, True)
            for p in person_ids
            for c in competence_ids
        ]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {EXPECTATION} SET is_current = FALSE WHERE is_current"
                f" AND person_id IN ({marks_p}) AND competence_id IN ({marks_c})",
                [*person_ids, *competence_ids],
            )
            cursor.executemany(
                f"INSERT INTO {EXPECTATION} (person_id, competence_id, level, note,"
                " set_by_id, created_at, is_current) VALUES (%s, %s, %s, %s, %s,"
                " %s, %s)",
                rows,
            )
            current_levels.refresh(person_ids, competence_ids)
        return len(rows)

    # The generated levels are 1 to 4; one save first makes every level of
    # the measured runs a change.
    save()
    app = measure(save, repeat)
    return [
        Line(
            "leader saves 40 people × 30 expectations",
            size=f"{len(people)} × {len(competences)}",
            figures=app,
            floor=measure(floor, repeat),
            budget="≤ 2 s, one transaction",
            note="" if app.result == len(people) * len(competences) else "DIFFERS",
        )
    ]


def throughput(seconds: float = 10.0, clients: int = 8) -> list[Line]:
    """The team page served by gunicorn (2 workers, as on a 2-core
    machine) to `clients` threads logged in as the leader of about 12, for
    `seconds`; requests per second and errors. The load generator runs on
    the same machine and takes part of its cores."""
    import http.client
    import socket
    import threading

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    leader, _count = Tree().leader_of_about(12)
    session = SessionStore()
    session[SESSION_KEY] = str(leader.user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = leader.user.get_session_auth_hash()
    session.save()
    cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    root = Path(__file__).resolve().parent.parent
    production = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    # Without DEBUG the pages name their static files by the manifest
    # that collectstatic writes, as in production.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=root,
        env=production,
        check=True,
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers=2",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
            "kompetanse.wsgi",
        ],
        cwd=root,
        # As in production: no DEBUG (which records every query); the same
        # key, so that the session made here is valid there.
        env=production,
    )
    counts = {"ok": 0, "errors": 0}
    lock = threading.Lock()
    try:
        wait_for_port(port)

        def client(deadline: float) -> None:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            while time.monotonic() < deadline:
                try:
                    connection.request("GET", "/team/", headers={"Cookie": cookie})
                    response = connection.getresponse()
                    response.read()
                    ok = response.status == 200
                except (OSError, http.client.HTTPException):
                    connection.close()
                    ok = False
                with lock:
                    counts["ok" if ok else "errors"] += 1

        client(time.monotonic() + 1.0)  # warm-up
        counts.update(ok=0, errors=0)
        started = time.monotonic()
        threads = [
            threading.Thread(target=client, args=(started + seconds,))
            for _ in range(clients)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
        session.delete()
    rate = counts["ok"] / elapsed
    return [
        Line(
            f"throughput, team page, gunicorn 2 workers, {clients} clients",
            size=f"{counts['ok']:,} in {elapsed:.0f} s",
            budget="≥ 200 requests/s, 0 errors",
            note=f"{rate:.0f} requests/s, {counts['errors']} errors",
        )
    ]


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not listen on port {port}")
