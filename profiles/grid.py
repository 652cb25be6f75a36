"""Expected against current level, per person and competence.

The current level is the newest agreed assessment, else the leader's,
else the self-assessment; each cell says which it used. A person with no
assessment has an unknown level: no gap, "not assessed".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from catalogue.models import Competence
from organisation.models import Person
from profiles.models import Assessment, Expectation

# Which assessment counts as the current level, strongest first.
PRECEDENCE = (Assessment.Kind.AGREED, Assessment.Kind.LEADER, Assessment.Kind.SELF)


@dataclass(frozen=True)
class Cell:
    competence: Competence
    expected: int | None
    current: int | None
    source: Assessment.Kind | None
    self_level: int | None = None

    @property
    def gap(self) -> int | None:
        """Expected minus current; None when either is unknown."""
        if self.expected is None or self.current is None:
            return None
        return self.expected - self.current

    @property
    def status(self) -> str:
        if self.expected is None:
            return "no-expectation"
        if self.current is None:
            return "not-assessed"
        if self.gap and self.gap > 0:
            return "gap"
        return "met"

    @property
    def source_label(self) -> str:
        return self.source.label if self.source else ""


@dataclass(frozen=True)
class Row:
    person: Person
    cells: list[Cell]

    @property
    def gaps(self) -> int:
        return sum(1 for cell in self.cells if cell.status == "gap")


def current_level(
    by_kind: dict[str, int],
) -> tuple[int | None, Assessment.Kind | None]:
    for kind in PRECEDENCE:
        if kind in by_kind:
            return by_kind[kind], kind
    return None, None


def build_rows(
    people: Iterable[Person], competences: Sequence[Competence]
) -> list[Row]:
    """One row per person, one cell per competence, in two queries however
    many people and competences there are."""
    people = list(people)
    expected: dict[tuple[int, int], int | None] = {
        (person_id, competence_id): level
        for person_id, competence_id, level in Expectation.objects.current()
        .filter(person__in=people, competence__in=competences)
        .values_list("person_id", "competence_id", "level")
    }
    assessed: dict[tuple[int, int], dict[str, int]] = {}
    for person_id, competence_id, kind, level in (
        Assessment.objects.current()
        .filter(person__in=people, competence__in=competences)
        .values_list("person_id", "competence_id", "kind", "level")
    ):
        assessed.setdefault((person_id, competence_id), {})[kind] = level

    rows = []
    for person in people:
        cells = []
        for competence in competences:
            key = (person.pk, competence.pk)
            by_kind = assessed.get(key, {})
            level, source = current_level(by_kind)
            cells.append(
                Cell(
                    competence=competence,
                    expected=expected.get(key),
                    current=level,
                    source=source,
                    self_level=by_kind.get(Assessment.Kind.SELF),
                )
            )
        rows.append(Row(person=person, cells=cells))
    return rows
