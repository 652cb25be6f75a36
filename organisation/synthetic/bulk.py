"""Loading millions of rows quickly, on SQLite and PostgreSQL.

PostgreSQL takes rows through COPY; SQLite through executemany in large
batches. Secondary indexes and foreign keys of the loaded tables are
dropped for the load and built again afterwards: building an index once
from sorted data is many times faster than keeping it up to date row by
row, and PostgreSQL would otherwise queue a foreign-key check per row
until the commit. Everything happens inside the caller's transaction, so
a failure leaves the schema as it was.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Model

BATCH = 20_000
Advance = Callable[[int], None]


def columns(model: type[Model], fields: Sequence[str]) -> list[str]:
    return [model._meta.get_field(name).column for name in fields]  # type: ignore[union-attr]


def insert(
    model: type[Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    advance: Advance | None = None,
) -> int:
    """Insert the rows (values in the order of `fields`); returns the count."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns(model, fields))
    if connection.vendor == "postgresql":
        types = _column_types(model._meta.db_table, columns(model, fields))
        sql = f"COPY {table} ({names}) FROM STDIN (FORMAT BINARY)"
        return _copy(sql, types, rows, advance)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"
    count = 0
    with connection.cursor() as cursor:
        for batch in _batches(rows):
            cursor.executemany(sql, batch)
            count += len(batch)
            if advance:
                advance(len(batch))
    return count


def _column_types(table: str, names: list[str]) -> list[int]:
    """The type oids of these columns, which binary COPY needs."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, atttypid::int FROM pg_attribute "
            "WHERE attrelid = %s::regclass AND attnum > 0",
            [table],
        )
        oids = dict(cursor.fetchall())
    return [oids[name] for name in names]


def _copy(
    sql: str,
    types: list[int],
    rows: Iterable[Sequence[Any]],
    advance: Advance | None,
) -> int:
    # Binary COPY spares the server parsing every value from text, which
    # halves the time of the big tables.
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        copy.set_types(types)
        for count, row in enumerate(rows, start=1):
            copy.write_row(row)
            if advance and count % BATCH == 0:
                advance(BATCH)
    if advance:
        advance(count % BATCH)
    return count


def _batches(rows: Iterable[Sequence[Any]]) -> Iterator[list[Sequence[Any]]]:
    iterator = iter(rows)
    while batch := list(itertools.islice(iterator, BATCH)):
        yield batch


def drop_indexes(*models: type[Model]) -> list[str]:
    """Drop the secondary indexes and foreign keys of these tables; return
    the statements that build them again. Primary keys and unique
    constraints stay."""
    tables = [model._meta.db_table for model in models]
    if connection.vendor == "postgresql":
        return _drop_postgresql(tables)
    return _drop_sqlite(tables)


def execute(statements: Sequence[str], advance: Advance | None = None) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
            if advance:
                advance(1)


def _drop_postgresql(tables: list[str]) -> list[str]:
    recreate: list[str] = []
    with connection.cursor() as cursor:
        for table in tables:
            quoted = connection.ops.quote_name(table)
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'f'",
                [table],
            )
            for name, definition in cursor.fetchall():
                name = connection.ops.quote_name(name)
                cursor.execute(f"ALTER TABLE {quoted} DROP CONSTRAINT {name}")
                recreate.append(
                    f"ALTER TABLE {quoted} ADD CONSTRAINT {name} {definition}"
                )
            # Indexes that back a constraint (primary key, unique) stay.
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
                "FROM pg_index i WHERE i.indrelid = %s::regclass "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
                "WHERE c.conindid = i.indexrelid)",
                [table],
            )
            for name, definition in cursor.fetchall():
                cursor.execute(f"DROP INDEX {name}")
                recreate.insert(0, definition)
    return recreate


def _drop_sqlite(tables: list[str]) -> list[str]:
    # Indexes SQLite made itself for constraints have no SQL and stay.
    recreate: list[str] = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master "
                "WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                [table],
            )
            for name, definition in cursor.fetchall():
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
                recreate.append(definition)
    return recreate


def reset_sequences(*models: type[Model]) -> None:
    """After inserting explicit ids, let the database continue after them."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@contextmanager
def tuned_for_load() -> Iterator[None]:
    """Settings for a large load, restored afterwards. SQLite, outside any
    transaction: no fsync per commit, a large page cache and temporary data
    in memory. PostgreSQL: more memory for building indexes."""
    if connection.vendor == "postgresql":
        # Index builds sort in memory instead of in temporary files.
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '256MB'")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET maintenance_work_mem")
        return
    if connection.in_atomic_block:
        yield
        return
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous = OFF")
        cursor.execute("PRAGMA cache_size = -262144")
        cursor.execute("PRAGMA temp_store = MEMORY")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("PRAGMA cache_size = -2000")
            cursor.execute("PRAGMA temp_store = DEFAULT")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def analyse() -> None:
    """Fresh planner statistics after a bulk load; PostgreSQL also gets a
    vacuum, which index-only scans need. Outside any transaction."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
