"""Writing the synthetic municipality to the database, phase by phase."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Max, Model

from catalogue.loading import (
    bundled_framework_paths,
    load_framework,
    load_framework_file,
    validate,
)
from catalogue.models import Competence, Framework, Scale
from organisation.models import OrgUnit, Person, Role, path_segment
from organisation.synthetic import bulk, frameworks, records
from organisation.synthetic.hr_files import write_hr_files
from organisation.synthetic.tree import Municipality, build
from profiles import current as current_levels
from profiles.models import Assessment, CurrentLevel, Expectation

User = get_user_model()
# Frameworks whose competences are expected at a higher level of leaders.
FOR_LEADERS = {"Innovasjon og omstilling", "Ledelse og samarbeid"}
USER_FIELDS = [
    "id",
    "password",
    "is_superuser",
    "username",
    "first_name",
    "last_name",
    "email",
    "is_staff",
    "is_active",
    "date_joined",
]
PERSON_FIELDS = [
    "id",
    "employee_number",
    "first_name",
    "last_name",
    "email",
    "title",
    "unit",
    "user",
    "active",
]
EXPECTATION_FIELDS = [
    "person",
    "competence",
    "level",
    "note",
    "set_by",
    "created_at",
    "is_current",
]
ASSESSMENT_FIELDS = [
    "person",
    "competence",
    "kind",
    "level",
    "assessed_on",
    "note",
    "assessed_by",
    "created_at",
    "is_current",
]


class AlreadyPopulated(Exception):
    """The database holds an organisation already."""


class Progress(Protocol):
    def start(self, phase: str, total: int) -> None: ...

    def advance(self, done: int) -> None: ...

    def finish(self, phase: str, count: int, seconds: float) -> None: ...


class Silent:
    def start(self, phase: str, total: int) -> None:
        pass

    def advance(self, done: int) -> None:
        pass

    def finish(self, phase: str, count: int, seconds: float) -> None:
        pass


@dataclass
class Report:
    """What each phase wrote and how long it took."""

    town: Municipality | None = None
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def phase(self, name: str, total: int, progress: Progress) -> Iterator[Step]:
        """Time a phase and keep what it counted."""
        step = Step(progress)
        progress.start(name, total)
        started = time.perf_counter()
        yield step
        self.seconds[name] = time.perf_counter() - started
        self.counts[name] = step.count
        progress.finish(name, step.count, self.seconds[name])


@dataclass
class Step:
    progress: Progress
    count: int = 0

    def advance(self, done: int) -> None:
        self.count += done
        self.progress.advance(done)


def holds_organisation() -> bool:
    return Person.objects.exists() or OrgUnit.objects.exists()


def generate(
    people: int,
    seed: int,
    *,
    history: bool = True,
    hr_dir: Path | None = None,
    force: bool = False,
    progress: Progress | None = None,
) -> Report:
    """Build the municipality and write it to the database in one
    transaction; with `force`, clear the organisation first. Raises
    AlreadyPopulated when the database holds units or people and `force`
    is not given."""
    progress = progress or Silent()
    report = Report()
    own_transaction = not connection.in_atomic_block
    with bulk.tuned_for_load(), transaction.atomic():
        # PostgreSQL lets a transaction drop a foreign key only before it
        # has written to the tables involved, so this comes first, and only
        # in a transaction of our own.
        indexes = (
            bulk.drop_indexes(Expectation, Assessment)
            if own_transaction or connection.vendor == "sqlite"
            else []
        )
        if holds_organisation():
            if not force:
                raise AlreadyPopulated
            with report.phase("clear", 1, progress) as step:
                step.advance(clear(truncate=own_transaction))
        with report.phase("plan", people, progress) as step:
            town = report.town = build(people, seed)
            step.advance(people)
        with report.phase("catalogue", 6, progress) as step:
            competences = load_catalogue(step)
        ids = _write_organisation(report, town, progress)
        _write_records(report, town, progress, competences, ids, history)
        with report.phase("indexes", len(indexes), progress) as step:
            bulk.execute(indexes, step.advance)
        with report.phase("current levels", 1, progress) as step:
            current_levels.refresh()
            step.advance(1)
    with report.phase("analyse", 1, progress) as step:
        bulk.analyse()
        step.advance(1)
    if hr_dir is not None:
        rows = len(town.units) + len(town.people)
        with report.phase("HR files", rows, progress) as step:
            write_hr_files(town, hr_dir)
            step.advance(rows)
    return report


def load_catalogue(step: Step) -> list[records.Competence]:
    """Load the bundled frameworks and the generated ones; return every
    published competence, those of frameworks meant for leaders marked."""
    for path in bundled_framework_paths():
        load_framework_file(path)
        step.advance(1)
    for document in frameworks.documents():
        validate(document)
        load_framework(document)
        step.advance(1)
    return [
        records.Competence(pk=pk, for_leaders=name in FOR_LEADERS)
        for pk, name in Competence.objects.filter(
            framework__status=Framework.Status.PUBLISHED
        )
        .order_by("framework__name", "position", "pk")
        .values_list("pk", "framework__name")
    ]


def _next_id(model: type[Model]) -> int:
    return (model.objects.aggregate(highest=Max("pk"))["highest"] or 0) + 1


def _write_organisation(
    report: Report, town: Municipality, progress: Progress
) -> records.Ids:
    user_base, person_base = _next_id(User), _next_id(Person)
    ids = records.Ids(
        person=range(person_base, person_base + len(town.people)),
        user=range(user_base, user_base + len(town.people)),
    )
    # Compared in Python: 52,000 names are more parameters than SQLite
    # takes in one query.
    taken = set(User.objects.values_list("username", flat=True))
    if taken.intersection(person.username for person in town.people):
        raise AlreadyPopulated("Some generated usernames are taken already.")
    joined = connection.ops.adapt_datetimefield_value(records.EXPECTATIONS_SET)
    rng = random.Random(f"{town.seed}/passwords")
    with report.phase("logins", len(town.people), progress) as step:
        bulk.insert(
            User,
            USER_FIELDS,
            (
                (
                    ids.user[p.index],
                    # Unusable: people sign in through the municipality's
                    # identity provider, never with a password from here.
                    f"!{rng.getrandbits(160):040x}",
                    False,
                    p.username,
                    p.first_name,
                    p.last_name,
                    p.email,
                    False,
                    True,
                    joined,
                )
                for p in town.people
            ),
            step.advance,
        )

    unit_base = _next_id(OrgUnit)
    paths: list[str] = []
    with report.phase("units", len(town.units), progress) as step:
        rows = []
        for unit in town.units:
            prefix = paths[unit.parent.index] if unit.parent else ""
            paths.append(prefix + path_segment(unit_base + unit.index))
            parent_id = unit_base + unit.parent.index if unit.parent else None
            rows.append(
                (unit_base + unit.index, unit.code, unit.name, parent_id, paths[-1])
            )
        bulk.insert(
            OrgUnit, ["id", "code", "name", "parent", "path"], rows, step.advance
        )

    with report.phase("people", len(town.people), progress) as step:
        bulk.insert(
            Person,
            PERSON_FIELDS,
            (
                (
                    ids.person[p.index],
                    p.employee_number,
                    p.first_name,
                    p.last_name,
                    p.email,
                    p.title,
                    unit_base + p.unit.index,
                    ids.user[p.index],
                    True,
                )
                for p in town.people
            ),
            step.advance,
        )
        bulk.insert(
            OrgUnit.leaders.through,
            ["orgunit", "person"],
            (
                (unit_base + unit.index, ids.person[p.index])
                for p in town.people
                for unit in p.leads
            ),
        )
    bulk.reset_sequences(User, OrgUnit, Person, OrgUnit.leaders.through)
    return ids


def _write_records(
    report: Report,
    town: Municipality,
    progress: Progress,
    competences: list[records.Competence],
    ids: records.Ids,
    history: bool,
) -> None:
    as_datetime = connection.ops.adapt_datetimefield_value
    # Binary COPY takes dates as they are; SQLite stores them as text.
    as_date = (
        connection.ops.adapt_datefield_value
        if connection.vendor == "sqlite"
        else (lambda day: day)
    )
    rounds = len(records.ROUNDS) if history else 1
    cells = len(town.people) * len(competences)
    with report.phase("expectations", cells, progress) as step:
        bulk.insert(
            Expectation,
            EXPECTATION_FIELDS,
            records.expectations(town, competences, ids, as_datetime),
            step.advance,
        )
    with report.phase("assessments", cells * rounds, progress) as step:
        bulk.insert(
            Assessment,
            ASSESSMENT_FIELDS,
            records.assessments(town, competences, ids, as_datetime, as_date, rounds),
            step.advance,
        )


def clear(*, truncate: bool = False) -> int:
    """Delete the organisation: every assessment, expectation, role, person
    (with their login, unless staff), unit, and the generated frameworks.
    Returns the number of people deleted.

    With `truncate`, PostgreSQL empties the two history tables by TRUNCATE,
    which leaves no dead rows for the index builds and VACUUM to wade
    through; it refuses a table with pending trigger events, so only a
    transaction that has not yet written to them may ask for it."""
    if truncate and connection.vendor == "postgresql":
        tables = [
            CurrentLevel._meta.db_table,
            Assessment._meta.db_table,
            Expectation._meta.db_table,
        ]
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE " + ", ".join(map(connection.ops.quote_name, tables))
            )
    else:
        CurrentLevel.objects.all().delete()
        Assessment.objects.all().delete()
        Expectation.objects.all().delete()
    Role.objects.filter(unit__isnull=False).delete()
    user_ids = list(
        Person.objects.filter(
            user__is_staff=False, user__is_superuser=False
        ).values_list("user_id", flat=True)
    )
    OrgUnit.leaders.through.objects.all().delete()
    people = Person.objects.count()
    Person.objects.all().delete()
    OrgUnit.objects.update(parent=None)
    OrgUnit.objects.all().delete()
    for start in range(0, len(user_ids), 10_000):
        User.objects.filter(pk__in=user_ids[start : start + 10_000]).delete()
    generated = Framework.objects.filter(uuid__in=frameworks.generated_uuids())
    scales = list(generated.values_list("scale_id", flat=True))
    generated.delete()
    Scale.objects.filter(pk__in=scales, frameworks__isnull=True).delete()
    return people
