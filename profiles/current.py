"""The current levels table (`CurrentLevel`), kept from the assessments.

One mechanism for every writer: after changing assessments, call
`refresh` with the people and competences touched. It deletes their
rows and writes them again from the current assessments, in two SQL
statements however many rows, inside the caller's transaction. With no
arguments it rebuilds the whole table (the generator, the migration, and
`manage.py rebuild_current_levels` after hand edits in the database).
"""

from __future__ import annotations

from collections.abc import Collection

from django.db import connection, transaction

from profiles.models import Assessment, CurrentLevel

# The kinds of assessment in the order of the table's columns.
KINDS = [kind.value for kind in Assessment.Kind]
COLUMNS = [f"{kind}_level" for kind in KINDS]
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
    table = connection.ops.quote_name(CurrentLevel._meta.db_table)
    source = connection.ops.quote_name(Assessment._meta.db_table)
    by_kind = ", ".join("MAX(CASE WHEN kind = %s THEN level END)" for _ in KINDS)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {condition}", params)
        cursor.execute(
            f"INSERT INTO {table} (person_id, competence_id, "
            f"{', '.join(COLUMNS)}) "
            f"SELECT person_id, competence_id, {by_kind} FROM {source} "
            f"WHERE is_current AND level IS NOT NULL AND {condition} "
            "GROUP BY person_id, competence_id",
            [*KINDS, *params],
        )


def stale() -> list[tuple[int, int]]:
    """The (person, competence) pairs whose row differs from what the
    current assessments say; empty when the table is right. For tests and
    for checking a database after hand edits."""
    kept = {
        (row[0], row[1]): row[2:]
        for row in CurrentLevel.objects.values_list(
            "person_id", "competence_id", *COLUMNS
        )
    }
    wanted: dict[tuple[int, int], list[int | None]] = {}
    for person_id, competence_id, kind, level in (
        Assessment.objects.current()
        .filter(level__isnull=False)
        .values_list("person_id", "competence_id", "kind", "level")
    ):
        levels = wanted.setdefault((person_id, competence_id), [None, None, None])
        levels[KINDS.index(kind)] = level
    keys = kept.keys() | wanted.keys()
    return sorted(k for k in keys if tuple(wanted.get(k, ())) != kept.get(k))
