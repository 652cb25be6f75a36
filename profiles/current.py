"""The current levels table (`CurrentLevel`), kept from the expectations
and assessments.

One mechanism for every writer: after changing expectations or
assessments, call `refresh` with the people and competences touched. It
deletes their rows and writes them again from the current records, in two
SQL statements however many rows, inside the caller's transaction. With
no arguments it rebuilds the whole table (the generator, the migration,
and `manage.py rebuild_current_levels` after edits outside the product).
"""

from __future__ import annotations

from collections.abc import Collection

from django.db import connection, transaction

from organisation.models import Person
from profiles.models import Assessment, CurrentLevel, Expectation

# The kinds of assessment in the order of the table's columns.
KINDS = [kind.value for kind in Assessment.Kind]
COLUMNS = ["expected", *(f"{kind}_level" for kind in KINDS)]
# SQLite and PostgreSQL both take far more; this keeps the statement small.
CHUNK = 5_000


def refresh(
    person_ids: Collection[int] | None = None,
    competence_ids: Collection[int] | None = None,
) -> None:
    """Write the current levels again for these people and competences
    (None: all of them)."""
    people = sorted(set(person_ids)) if person_ids is not None else None
    if people is not None and len(people) > CHUNK:
        with transaction.atomic():
            for start in range(0, len(people), CHUNK):
                refresh(people[start : start + CHUNK], competence_ids)
        return
    competences = sorted(set(competence_ids)) if competence_ids is not None else None
    if people == [] or competences == []:
        return
    where, params = [], []
    for column, ids in (("person_id", people), ("competence_id", competences)):
        if ids is not None:
            where.append(f"{column} IN ({', '.join(['%s'] * len(ids))})")
            params += ids
    condition = " AND ".join(where) or "1 = 1"
    quote = connection.ops.quote_name
    table = quote(CurrentLevel._meta.db_table)
    expectations = quote(Expectation._meta.db_table)
    assessments = quote(Assessment._meta.db_table)
    nothing = ", ".join(f"NULL AS {column}" for column in COLUMNS[1:])
    by_kind = ", ".join("CASE WHEN kind = %s THEN level END" for _ in KINDS)
    highest = ", ".join(f"MAX({column})" for column in COLUMNS)
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        if people is not None and connection.features.has_select_for_update:
            # Two writers for the same person (an expectation and an
            # assessment, say) each lock only their own rows. Locking the
            # people here makes the second wait until the first commits;
            # its statements then see the first one's rows (PostgreSQL
            # reads what is committed when each statement starts). SQLite
            # lets one writer in at a time anyway.
            list(
                Person.objects.select_for_update()
                .filter(pk__in=people)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
        cursor.execute(f"DELETE FROM {table} WHERE {condition}", params)
        cursor.execute(
            f"INSERT INTO {table} (person_id, competence_id, {', '.join(COLUMNS)}) "
            f"SELECT person_id, competence_id, {highest} FROM ("
            f"SELECT person_id, competence_id, level AS expected, {nothing} "
            f"FROM {expectations} "
            f"WHERE is_current AND level IS NOT NULL AND {condition} "
            "UNION ALL "
            f"SELECT person_id, competence_id, NULL, {by_kind} FROM {assessments} "
            f"WHERE is_current AND level IS NOT NULL AND {condition}"
            ") AS records GROUP BY person_id, competence_id",
            [*params, *KINDS, *params],
        )


def stale() -> list[tuple[int, int]]:
    """The (person, competence) pairs whose row differs from what the
    current records say; empty when the table is right. For tests and for
    checking a database after edits outside the product."""
    kept = {
        (row[0], row[1]): row[2:]
        for row in CurrentLevel.objects.values_list(
            "person_id", "competence_id", *COLUMNS
        )
    }
    wanted: dict[tuple[int, int], list[int | None]] = {}

    def put(key: tuple[int, int], column: int, level: int) -> None:
        wanted.setdefault(key, [None] * len(COLUMNS))[column] = level

    for person_id, competence_id, level in (
        Expectation.objects.current()
        .filter(level__isnull=False)
        .values_list("person_id", "competence_id", "level")
    ):
        put((person_id, competence_id), 0, level)
    for person_id, competence_id, kind, level in (
        Assessment.objects.current()
        .filter(level__isnull=False)
        .values_list("person_id", "competence_id", "kind", "level")
    ):
        put((person_id, competence_id), 1 + KINDS.index(kind), level)
    keys = kept.keys() | wanted.keys()
    return sorted(k for k in keys if tuple(wanted.get(k, ())) != kept.get(k))
