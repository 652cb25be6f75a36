"""Timing helpers for the benchmark: median and p95 wall time, and the
number of SQL queries, of a piece of work."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext


@dataclass
class Figures:
    median: float  # seconds
    p95: float
    queries: int
    sql: float = 0.0  # median seconds spent in those queries
    result: Any = None

    @property
    def median_ms(self) -> float:
        return self.median * 1000

    @property
    def p95_ms(self) -> float:
        return self.p95 * 1000


def p95(times: Sequence[float]) -> float:
    ordered = sorted(times)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def measure(work: Callable[[], Any], repeat: int) -> Figures:
    """Run the work once to warm up and count its queries, then `repeat`
    times on the clock."""
    result, queries, _sql = _run(work)
    times, sql_times = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        _result, _queries, sql = _run(work)
        times.append(time.perf_counter() - started)
        sql_times.append(sql)
    return Figures(
        median=statistics.median(times),
        p95=p95(times),
        queries=queries,
        sql=statistics.median(sql_times),
        result=result,
    )


def _run(work: Callable[[], Any]) -> tuple[Any, int, float]:
    """The work's result, its number of queries and their time."""
    # A request through the test client empties the query log when it
    # starts; emptied beforehand, the capture counts every query.
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        result = work()
    queries = captured.captured_queries
    return result, len(queries), sum(float(q["time"]) for q in queries)


def raw_query(sql: str, params: Sequence[Any]) -> Callable[[], list[tuple]]:
    """The plain SQL floor: one query on the same connection."""

    def run() -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return run


@dataclass
class Line:
    work: str
    size: str = ""
    figures: Figures | None = None
    floor: Figures | None = None
    budget: str = ""
    note: str = ""


def table(lines: list[Line]) -> str:
    """The figures as a Markdown table."""
    head = (
        "| work | n | median ms | p95 ms | queries | in SQL ms | SQL floor ms "
        "| ratio | budget |\n"
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
    )
    rows = [head]
    for line in lines:
        cells = [line.work, line.size]
        if line.figures is None:
            cells += [line.note, "", "", "", "", ""]
        else:
            f = line.figures
            cells += [f"{f.median_ms:.1f}", f"{f.p95_ms:.1f}", str(f.queries)]
            cells.append(f"{f.sql * 1000:.0f}")
            if line.floor is not None:
                ratio = f.median / line.floor.median if line.floor.median else 0
                cells += [f"{line.floor.median_ms:.1f}", f"{ratio:.1f}×"]
            else:
                cells += ["", ""]
        cells.append(line.budget)
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)
