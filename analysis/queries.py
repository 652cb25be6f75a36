"""Fetching what the analysis rules need, in a constant number of queries.

People are always passed as a queryset from organisation.scope and used
as a subquery, so the number of queries stays the same however large the
subtree is.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Substr

from analysis.rules import Standing, Summary, Thresholds, summary_of
from catalogue.models import Competence, Framework
from organisation.models import SEGMENT_WIDTH, OrgUnit, PersonQuerySet
from profiles.grid import PRECEDENCE
from profiles.models import CurrentLevel, RoleProfile
from profiles.roleprofiles import applying_profiles

Key = tuple[int, int]
# Per child unit (by path) and competence: how many people stand at each
# (expected, current) pair of levels.
ChildHistograms = dict[tuple[str, int], Counter[tuple[int | None, int | None]]]


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


def level_of(kind: str = "") -> Coalesce | F:
    """The current level in a `CurrentLevel` row: the agreed assessment,
    else the leader's, else the self-assessment; only the given kind when
    one is given."""
    if kind:
        return F(f"{kind}_level")
    return Coalesce(*(f"{k}_level" for k in PRECEDENCE), output_field=IntegerField())


def source_of(kind: str = "") -> Case:
    """The kind of assessment `level_of` takes the current level from in a
    `CurrentLevel` row, or "" when it has none."""
    kinds = [kind] if kind else PRECEDENCE
    return Case(
        *(When(**{f"{k}_level__isnull": False}, then=Value(k)) for k in kinds),
        default=Value(""),
        output_field=CharField(),
    )


def standing_rows(
    people: PersonQuerySet, competences: Sequence[Competence], kind: str = ""
) -> QuerySet[CurrentLevel]:
    """The current levels table for these people and competences, each row
    with its `current` level; `expected` is the person's own expectation
    (see `inherited_levels` for the role profiles')."""
    return CurrentLevel.objects.filter(
        person__in=people.values("pk"), competence__in=competences
    ).annotate(current=level_of(kind))


def inherited_levels(
    people: PersonQuerySet, competences: Sequence[Competence]
) -> dict[Key, int]:
    """The expected level each person's role profile gives per competence.
    A person's effective expectation is their own, else their role
    profile's (DESIGN.md §4). One query when no role profile exists."""
    if not RoleProfile.objects.exists():
        return {}
    wanted = {c.pk for c in competences}
    return {
        (person_id, level.competence_id): level.level
        for person_id, profile in applying_profiles(people).items()
        for level in profile.levels.all()
        if level.competence_id in wanted
    }


def person_rows(people: PersonQuerySet) -> list[PersonRow]:
    rows = people.order_by("last_name", "first_name", "pk").values_list(
        "pk", "first_name", "last_name", "unit_id", "unit__path"
    )
    return [
        PersonRow(pk, f"{first} {last}", unit_id, path)
        for pk, first, last, unit_id, path in rows
    ]


def fetch_standings(
    people: PersonQuerySet,
    competences: Sequence[Competence],
    kind: str = "",
    inherited: dict[Key, int] | None = None,
) -> Standings:
    """Everyone's standing in these competences, with the expectation
    their role profile gives where they have none of their own (pass
    `inherited_levels` when already at hand); a constant number of
    queries."""
    rows = person_rows(people)
    names = {row.pk: row.name for row in rows}
    levels = (
        standing_rows(people, competences, kind)
        .annotate(source=source_of(kind))
        .values_list("person_id", "competence_id", "expected", "current", "source")
    )
    by_key = {
        (person_id, competence_id): Standing(
            person_id, names[person_id], expected, current, source
        )
        for person_id, competence_id, expected, current, source in levels
        if (expected is not None or current is not None) and person_id in names
    }
    if inherited is None:
        inherited = inherited_levels(people, competences)
    for key, level in inherited.items():
        found = by_key.get(key)
        if found is None and key[0] in names:
            by_key[key] = Standing(key[0], names[key[0]], level, None)
        elif found is not None and found.expected is None:
            by_key[key] = found._replace(expected=level)
    return Standings(rows, by_key)


def child_path(unit: OrgUnit) -> Substr:
    """The path of the person's unit cut to the child of `unit` it lies
    in (or to `unit`'s own path for its own members)."""
    return Substr("person__unit__path", 1, len(unit.path) + SEGMENT_WIDTH + 1)


def child_histograms(
    unit: OrgUnit,
    people: PersonQuerySet,
    competences: Sequence[Competence],
    kind: str = "",
    *,
    everyone: bool = False,
) -> ChildHistograms:
    """Per child unit of `unit` (by path; the unit's own members under its
    own path) and competence: how many people stand at each (expected,
    current) pair. The database does the counting, so the answer is a few
    hundred rows however large the subtree. Only people with an
    expectation are counted, unless `everyone`: then also those with only
    a current level (who may mentor).

    Where a role profile applies to someone in the subtree, expectations
    are not all in the table: the counts are then made here from everyone's
    standing, which costs time in proportion to the subtree."""
    inherited = inherited_levels(people, competences)
    if inherited:
        standings = fetch_standings(people, competences, kind, inherited)
        return histograms_of(unit, standings, everyone=everyone)
    rows = standing_rows(people, competences, kind)
    if not everyone:
        rows = rows.filter(expected__isnull=False)
    counted = (
        rows.annotate(child=child_path(unit))
        .order_by()
        .values("child", "competence_id", "expected", "current")
        .annotate(people=Count("*"))
        .values_list("child", "competence_id", "expected", "current", "people")
    )
    histograms: ChildHistograms = {}
    for child, competence_id, expected, current, count in counted:
        if expected is None and current is None:
            continue  # only another kind of assessment than the one asked for
        histogram = histograms.setdefault((child, competence_id), Counter())
        histogram[expected, current] = count
    return histograms


def histograms_of(
    unit: OrgUnit, standings: Standings, *, everyone: bool
) -> ChildHistograms:
    """`child_histograms` worked out from everyone's standing."""
    width = len(unit.path) + SEGMENT_WIDTH + 1
    child_of = {row.pk: row.unit_path[:width] for row in standings.people}
    histograms: ChildHistograms = {}
    for (person_id, competence_id), standing in standings.by_key.items():
        if standing.expected is None and not everyone:
            continue
        if standing.expected is None and standing.current is None:
            continue
        key = (child_of[person_id], competence_id)
        histograms.setdefault(key, Counter())[standing.expected, standing.current] += 1
    return histograms


def child_summaries(
    unit: OrgUnit,
    people: PersonQuerySet,
    competences: Sequence[Competence],
    kind: str = "",
) -> dict[tuple[str, int], Summary]:
    """Heatmap numbers per child unit of `unit` (by path) and competence,
    over each child's subtree; see `child_histograms`."""
    histograms = child_histograms(unit, people, competences, kind)
    return {key: summary_of(histogram) for key, histogram in histograms.items()}
