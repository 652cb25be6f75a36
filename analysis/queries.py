"""Fetching what the analysis rules need, in a constant number of queries.

People are always passed as a queryset from organisation.scope and used
as a subquery, so the number of queries stays the same however large the
subtree is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, F, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce, Substr

from analysis.rules import Standing, Summary, Thresholds
from catalogue.models import Competence, Framework
from organisation.models import SEGMENT_WIDTH, OrgUnit, PersonQuerySet
from profiles.grid import PRECEDENCE
from profiles.models import CurrentLevel, Expectation

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


def level_of(kind: str = "") -> Coalesce | F:
    """The current level in a `CurrentLevel` row: the agreed assessment,
    else the leader's, else the self-assessment; only the given kind when
    one is given."""
    if kind:
        return F(f"{kind}_level")
    return Coalesce(*(f"{k}_level" for k in PRECEDENCE), output_field=IntegerField())


def current_levels(
    people: PersonQuerySet, competences: Sequence[Competence], kind: str = ""
) -> dict[Key, int]:
    """The current level per person and competence (see `level_of`)."""
    rows = (
        CurrentLevel.objects.filter(
            person__in=people.values("pk"), competence__in=competences
        )
        .annotate(current=level_of(kind))
        .filter(current__isnull=False)
        .values_list("person_id", "competence_id", "current")
    )
    return {(person, competence): level for person, competence, level in rows}


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
    """The current level of the outer row's person and competence, as a
    correlated subquery: one lookup in the current levels table."""
    rows = CurrentLevel.objects.filter(
        person=OuterRef("person_id"), competence=OuterRef("competence_id")
    )
    return Subquery(
        rows.values(current=level_of(kind))[:1], output_field=IntegerField()
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
    # The database counts people per child unit, competence, expected and
    # current level: a few hundred rows however large the subtree; the
    # cells are added up from those here.
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
        .values("child", "competence_id", "level", "current")
        .annotate(people=Count("pk"))
        .values_list("child", "competence_id", "level", "current", "people")
    )
    counts: dict[tuple[str, int], list[int]] = {}
    for child, competence_id, level, current, people_count in rows:
        total = counts.setdefault((child, competence_id), [0, 0, 0, 0])
        total[0] += people_count
        if current is not None:
            total[2] += people_count
            total[3] += max(level - current, 0) * people_count
            total[1] += people_count if current >= level else 0
    return {key: Summary(*total) for key, total in counts.items()}
