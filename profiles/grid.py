"""Expected against current level, per person and competence.

The expected level is the person's own expectation, else the level in the
role profile that applies to them, else none; each cell says which. The
current level is the newest agreed assessment, else the leader's,
else the self-assessment; each cell says which it used. A current
assessment without a level records a cleared one: the next kind counts. A person with no
assessment has an unknown level: no gap, "not assessed".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from catalogue.models import Competence
from organisation.models import Person
from profiles.models import Assessment, Expectation, RoleProfile
from profiles.roleprofiles import applying_profiles

# Where an expected level comes from.
OWN = "own"
PROFILE = "profile"

# Which assessment counts as the current level, strongest first.
PRECEDENCE = (Assessment.Kind.AGREED, Assessment.Kind.LEADER, Assessment.Kind.SELF)


@dataclass(frozen=True)
class Cell:
    competence: Competence
    expected: int | None
    current: int | None
    source: Assessment.Kind | None
    self_level: int | None = None
    # Where the expected level comes from: OWN, PROFILE or None.
    expected_from: str | None = None
    profile: RoleProfile | None = None
    own_expected: int | None = None
    profile_expected: int | None = None

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

    @property
    def expected_from_label(self) -> str:
        """Own expectation, the profile's name, or "none"."""
        if self.expected_from == OWN:
            return str(_("own expectation"))
        if self.expected_from == PROFILE and self.profile is not None:
            return _("role profile %(name)s") % {"name": self.profile.name}
        return str(_("none"))


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
    """One row per person, one cell per competence, in five queries however
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
        .filter(person__in=people, competence__in=competences, level__isnull=False)
        .values_list("person_id", "competence_id", "kind", "level")
    ):
        assessed.setdefault((person_id, competence_id), {})[kind] = level
    profiles = applying_profiles(people)
    profile_levels = {
        profile.pk: {row.competence_id: row.level for row in profile.levels.all()}
        for profile in profiles.values()
    }

    rows = []
    for person in people:
        profile = profiles.get(person.pk)
        from_profile = profile_levels[profile.pk] if profile else {}
        cells = []
        for competence in competences:
            key = (person.pk, competence.pk)
            by_kind = assessed.get(key, {})
            level, source = current_level(by_kind)
            own = expected.get(key)
            inherited = from_profile.get(competence.pk)
            cells.append(
                Cell(
                    competence=competence,
                    expected=own if own is not None else inherited,
                    current=level,
                    source=source,
                    self_level=by_kind.get(Assessment.Kind.SELF),
                    expected_from=expected_from(own, inherited),
                    profile=profile,
                    own_expected=own,
                    profile_expected=inherited,
                )
            )
        rows.append(Row(person=person, cells=cells))
    return rows


def expected_from(own: int | None, inherited: int | None) -> str | None:
    # An own row without a level records a removed expectation; the
    # profile, if any, then applies again.
    if own is not None:
        return OWN
    if inherited is not None:
        return PROFILE
    return None
