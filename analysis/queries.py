"""Fetching what the analysis rules need, in a constant number of queries.

People are always passed as a queryset from organisation.scope and used
as a subquery, so the number of queries stays the same however large the
subtree is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import (
    Case,
    IntegerField,
    OuterRef,
    Subquery,
    When,
)
from django.db.models import Value as V
from django.db.models.functions import Substr

from analysis.rules import Standing, Summary, Thresholds
from catalogue.models import Competence, Framework
from organisation.models import SEGMENT_WIDTH, OrgUnit, PersonQuerySet
from profiles.grid import PRECEDENCE
from profiles.models import Assessment, Expectation

Key = tuple[int, int]


@dataclass(frozen=True)
class PersonRow:
    pk: int
    name: str
    unit_id: int
    unit_path: str


@dataclass
class Standings:
    """Who is where: people in order, and each person's standing per
    competence (only where there is an expectation or an assessment)."""

    people: list[PersonRow] = field(default_factory=list)
    by_key: dict[Key, Standing] = field(default_factory=dict)

    def for_competence(
        self, competence_id: int, people: Sequence[PersonRow] | None = None
    ) -> list[Standing]:
        rows = self.people if people is None else people
        found = (self.by_key.get((p.pk, competence_id)) for p in rows)
        return [s for s in found if s is not None]


def configured_thresholds(framework: Framework | None) -> Thresholds:
    """The thresholds from settings, moved to the framework's scale."""
    thresholds = Thresholds(
        mentor_level=settings.ANALYSIS_MENTOR_LEVEL,
        recruit_gap=settings.ANALYSIS_RECRUIT_GAP,
        min_coverage=settings.ANALYSIS_MIN_COVERAGE,
    )
    numbers = (
        [level.number for level in framework.scale.levels.all()] if framework else []
    )
    if not numbers:
        return thresholds
    return thresholds.for_scale(min(numbers), max(numbers))


def expected_levels(
    people: PersonQuerySet, competences: Sequence[Competence]
) -> dict[Key, int]:
    """The level expected of each person per competence: today their own
    current expectation. This is the one place to change when role
    profiles become a fallback."""
    rows = (
        Expectation.objects.current()
        .filter(
            person__in=people.values("pk"),
            competence__in=competences,
            level__isnull=False,
        )
        .values_list("person_id", "competence_id", "level")
    )
    return {
        (person_id, competence_id): level for person_id, competence_id, level in rows
    }


def current_levels(
    people: PersonQuerySet, competences: Sequence[Competence], kind: str = ""
) -> dict[Key, int]:
    """The current level per person and competence: the newest agreed
    assessment, else the leader's, else the self-assessment; only the
    given kind when one is given."""
    rows = Assessment.objects.current().filter(
        person__in=people.values("pk"),
        competence__in=competences,
        level__isnull=False,
    )
    if kind:
        rows = rows.filter(kind=kind)
    by_key: dict[Key, dict[str, int]] = {}
    for person_id, competence_id, row_kind, level in rows.values_list(
        "person_id", "competence_id", "kind", "level"
    ):
        by_key.setdefault((person_id, competence_id), {})[row_kind] = level
    strongest = {}
    for key, by_kind in by_key.items():
        strongest[key] = next(by_kind[k] for k in PRECEDENCE if k in by_kind)
    return strongest


def person_rows(people: PersonQuerySet) -> list[PersonRow]:
    rows = people.order_by("last_name", "first_name", "pk").values_list(
        "pk", "first_name", "last_name", "unit_id", "unit__path"
    )
    return [
        PersonRow(pk, f"{first} {last}", unit_id, path)
        for pk, first, last, unit_id, path in rows
    ]


def fetch_standings(
    people: PersonQuerySet, competences: Sequence[Competence], kind: str = ""
) -> Standings:
    """Everyone's standing in these competences, in three queries."""
    rows = person_rows(people)
    expected = expected_levels(people, competences)
    current = current_levels(people, competences, kind)
    names = {row.pk: row.name for row in rows}
    by_key = {
        key: Standing(key[0], names[key[0]], expected.get(key), current.get(key))
        for key in expected.keys() | current.keys()
        if key[0] in names
    }
    return Standings(rows, by_key)


def current_level_subquery(kind: str = "") -> Subquery:
    """The current level of the outer row's person and competence, by the
    same precedence as `current_levels`, as a correlated subquery."""
    rows = Assessment.objects.current().filter(
        person=OuterRef("person_id"),
        competence=OuterRef("competence_id"),
        level__isnull=False,
    )
    if kind:
        rows = rows.filter(kind=kind)
    rank = Case(
        *(When(kind=k, then=V(len(PRECEDENCE) - i)) for i, k in enumerate(PRECEDENCE)),
        output_field=IntegerField(),
    )
    return Subquery(
        rows.annotate(rank=rank).order_by("-rank").values("level")[:1],
        output_field=IntegerField(),
    )


def child_summaries(
    unit: OrgUnit,
    people: PersonQuerySet,
    competences: Sequence[Competence],
    kind: str = "",
) -> dict[tuple[str, int], Summary]:
    """Heatmap numbers per child unit of `unit` (by path) and competence,
    over each child's subtree, from one query. The unit's own members are
    grouped under the unit's own path."""
    # The database works out each row's current level and child unit; the
    # sums are done here, because an aggregate over the current level
    # would repeat its subquery once per use (four times), which costs
    # more on PostgreSQL than adding up the rows.
    rows = (
        Expectation.objects.current()
        .filter(
            person__in=people.values("pk"),
            competence__in=competences,
            level__isnull=False,
        )
        .annotate(
            current=current_level_subquery(kind),
            child=Substr("person__unit__path", 1, len(unit.path) + SEGMENT_WIDTH + 1),
        )
        .order_by()
        .values_list("child", "competence_id", "level", "current")
    )
    counts: dict[tuple[str, int], list[int]] = {}
    for child, competence_id, level, current in rows:
        total = counts.setdefault((child, competence_id), [0, 0, 0, 0])
        total[0] += 1
        if current is not None:
            total[2] += 1
            total[3] += max(level - current, 0)
            total[1] += current >= level
    return {key: Summary(*total) for key, total in counts.items()}
