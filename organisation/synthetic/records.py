"""Expectations and three rounds of assessment history for the synthetic
municipality, as rows ready for a bulk load.

Rows are produced lazily, person by person, so millions of them never sit
in memory at once. Dates are fixed (not taken from today) so that the
same seed gives the same rows whenever it runs.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from organisation.synthetic.tree import Municipality

UTC = datetime.UTC
EXPECTATIONS_SET = datetime.datetime(2023, 1, 9, 8, 0, tzinfo=UTC)
# One assessment round per spring, before the yearly conversations.
ROUNDS = (
    datetime.date(2023, 3, 1),
    datetime.date(2024, 3, 1),
    datetime.date(2025, 3, 1),
)
MISSING_EXPECTATION = 0.04
SKIPPED_ROUND = 0.04
KINDS = ("self", "leader", "agreed")
KIND_WEIGHTS = (0.45, 0.30, 0.25)
# Cumulative shares of expected levels 1 to 4 for employees; leaders are
# expected one level higher in the frameworks meant for leaders.
LEVEL_SHARES = (0.25, 0.70, 0.95, 1.0)

Adapt = Callable[[Any], Any]


@dataclass(frozen=True)
class Competence:
    pk: int
    for_leaders: bool


@dataclass(frozen=True)
class Ids:
    """Database ids of the people and their logins, by plan index."""

    person: Sequence[int]
    user: Sequence[int]


def expected_level(draw: float, leader: bool) -> int:
    level = 1
    for share in LEVEL_SHARES:
        if draw < share:
            break
        level += 1
    return min(4, level + 1) if leader else level


def expectations(
    town: Municipality,
    competences: Sequence[Competence],
    ids: Ids,
    adapt_datetime: Adapt,
) -> Iterator[tuple[Any, ...]]:
    """Rows of (person, competence, level, note, set_by, created_at,
    is_current): one current expectation per person and competence, a few
    left unset."""
    rng = random.Random(f"{town.seed}/expectations")
    for person in town.people:
        leader = town.leader_of(person)
        set_by = ids.user[leader.index] if leader else None
        when = adapt_datetime(
            EXPECTATIONS_SET
            + datetime.timedelta(days=rng.randrange(40), minutes=rng.randrange(480))
        )
        leads = bool(person.leads)
        person_id = ids.person[person.index]
        for competence in competences:
            draw = rng.random()
            if draw < MISSING_EXPECTATION:
                continue
            level = expected_level(rng.random(), leads and competence.for_leaders)
            yield (person_id, competence.pk, level, "", set_by, when, True)


def assessments(
    town: Municipality,
    competences: Sequence[Competence],
    ids: Ids,
    adapt_datetime: Adapt,
    adapt_date: Adapt,
    rounds: int = len(ROUNDS),
) -> Iterator[tuple[Any, ...]]:
    """Rows of (person, competence, kind, level, assessed_on, note,
    assessed_by, created_at, is_current), oldest round first.

    Each person takes part in a round as a self-assessment, a leader's
    assessment or an agreed level; a row is current when no later round of
    that person has the same kind. Levels grow a little from round to round.
    """
    rng = random.Random(f"{town.seed}/assessments")
    chosen_rounds = ROUNDS[len(ROUNDS) - rounds :]
    for person in town.people:
        leader = town.leader_of(person)
        own_user = ids.user[person.index]
        leader_user = ids.user[leader.index] if leader else None
        person_id = ids.person[person.index]
        aptitude = rng.uniform(-1.2, 1.0) + (0.4 if person.leads else 0.0)
        taken = [
            (round_number, start, rng.choices(KINDS, KIND_WEIGHTS)[0])
            for round_number, start in enumerate(chosen_rounds)
            if rng.random() >= SKIPPED_ROUND
        ]
        kinds_later: set[str] = set()
        current = [False] * len(taken)
        for i in range(len(taken) - 1, -1, -1):
            current[i] = taken[i][2] not in kinds_later
            kinds_later.add(taken[i][2])
        for (round_number, start, kind), is_current in zip(taken, current, strict=True):
            day = start + datetime.timedelta(days=rng.randrange(60))
            moment = datetime.datetime.combine(
                day, datetime.time(7, rng.randrange(60)), UTC
            )
            on, created = adapt_date(day), adapt_datetime(moment)
            by = own_user if kind == "self" else leader_user
            growth = aptitude + 0.3 * round_number
            for competence in competences:
                level = round(2.2 + growth + rng.uniform(-1.0, 1.0))
                level = 1 if level < 1 else 4 if level > 4 else level
                yield (
                    person_id,
                    competence.pk,
                    kind,
                    level,
                    on,
                    "",
                    by,
                    created,
                    is_current,
                )
