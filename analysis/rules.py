"""Mobilise, develop, recruit: the rules of DESIGN.md §5 as plain functions.

Everything here works on plain values (who is expected at which level,
who stands where); nothing reads the database or a request, so each rule
can be tested and read on its own.

Per competence in a unit's subtree, in the order municipal competence
planning uses (use what you have before you buy):

1. **mobilise** people at or above the mentor level, or above what is
   expected of them, as mentors for named colleagues with gaps; people
   above their expected level (or with no expectation) who mentor nobody
   are proposed because their competence is unused in their role;
2. **develop** everyone with a gap of 1 or more, with a mentor from step 1
   whose level reaches what is expected of them;
3. **recruit** at the highest expected level when the unit needs more
   people there than it has or can reach by development: it needs as many
   as the minimum coverage (never more than the people expected at that
   level); it has those already there; development brings those whose gap
   is smaller than the recruit gap. Unassessed people count as possibly
   there, so recruitment is never proposed on unknowns.

A person with an expectation and no assessment gets an assessment
proposal, never development or recruitment.

Thresholds are given for the four-level reference scale (1-4). A scale
with another range keeps their place on it: a level is mapped
proportionally and rounded up, so the mentor level 3 ("can teach others",
two thirds of the way up) becomes 3 on 0-4 and 6 on 1-8, and a recruit
gap of 2 becomes 3 on 0-4 and 5 on 1-8.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

REFERENCE_LOW = 1
REFERENCE_HIGH = 4

# How many people stand at each (expected, current) pair of levels.
Histogram = Mapping[tuple[int | None, int | None], int]

MOBILISE = "mobilise"
DEVELOP = "develop"
RECRUIT = "recruit"
ASSESS = "assess"


# The reasons, as lazy translations made once: each is put into words
# in the language of the request that reads it.
MENTOR = ngettext_lazy(
    "%(name)s holds %(competence)s at level %(level)s and can "
    "mentor %(mentees)s, who has a gap.",
    "%(name)s holds %(competence)s at level %(level)s and can "
    "mentor %(mentees)s, who have gaps.",
    "count",
)
UNUSED = _(
    "%(name)s holds %(competence)s at level %(level)s, which "
    "their role does not ask for: the competence is unused."
)
PARTLY_UNUSED = _(
    "%(name)s holds %(competence)s at level %(level)s, above the "
    "expected %(expected)s: the competence is partly unused."
)
DEVELOP_WITH_MENTOR = _(
    "%(name)s is at level %(level)s in %(competence)s, "
    "%(expected)s is expected (gap %(gap)s). Mentor: %(mentor)s "
    "(level %(mentor_level)s)."
)
DEVELOP_ALONE = _(
    "%(name)s is at level %(level)s in %(competence)s, "
    "%(expected)s is expected (gap %(gap)s). Nobody in the unit "
    "reaches that level: use a course or learning resource."
)
RECRUIT_NOBODY = ngettext_lazy(
    "Nobody in %(unit)s reaches level %(level)s in %(competence)s, "
    "which %(wanted)s person is expected to hold, and development "
    "brings %(reachable)s there (gaps below %(gap)s). Recruit "
    "%(count)s at level %(level)s.",
    "Nobody in %(unit)s reaches level %(level)s in %(competence)s, "
    "which %(wanted)s people are expected to hold, and development "
    "brings %(reachable)s there (gaps below %(gap)s). Recruit "
    "%(count)s at level %(level)s.",
    "wanted",
)
RECRUIT_MORE = _(
    "%(unit)s needs %(needed)s people at level %(level)s in "
    "%(competence)s; %(holders)s are there and development brings "
    "%(reachable)s more. Recruit %(count)s at level %(level)s."
)
ASSESS_FIRST = _(
    "%(name)s is expected at level %(expected)s in %(competence)s "
    "but has not been assessed: assess before planning."
)


def ceil_div(a: int, b: int) -> int:
    return -(-a // b)


@dataclass(frozen=True)
class Thresholds:
    mentor_level: int = 3
    recruit_gap: int = 2
    min_coverage: int = 2

    def for_scale(self, low: int, high: int) -> Thresholds:
        """The thresholds moved to a scale from `low` to `high`, keeping
        their proportional place on the 1-4 reference scale (rounded up)."""
        span = high - low
        reference = REFERENCE_HIGH - REFERENCE_LOW
        mentor = low + ceil_div((self.mentor_level - REFERENCE_LOW) * span, reference)
        gap = max(1, ceil_div(self.recruit_gap * span, reference))
        return Thresholds(
            mentor_level=min(mentor, high),
            recruit_gap=gap,
            min_coverage=self.min_coverage,
        )


class Standing(NamedTuple):
    """One person's expected and current level in one competence. A named
    tuple, like `Proposal`: a large unit makes tens of thousands."""

    person_id: int
    name: str
    expected: int | None
    current: int | None
    # The kind of assessment the current level came from: "agreed",
    # "leader" or "self" (profiles.models.Assessment.Kind), or "".
    source: str = ""

    @property
    def gap(self) -> int | None:
        if self.expected is None or self.current is None:
            return None
        return self.expected - self.current

    @property
    def current_text(self) -> object:
        """The current level as a reason names it: with the kind of
        assessment it came from, put into words when read."""
        if not self.source:
            return self.current
        return LevelFrom(self.current, self.source)


class LevelFrom(NamedTuple):
    """A level and the kind of assessment it came from, worded only when
    a reason is read (a large unit has tens of thousands of them)."""

    level: int | None
    source: str

    def __str__(self) -> str:
        return str(
            format_lazy(
                _("{level} ({source})"), level=self.level, source=SOURCES[self.source]
            )
        )


# The kinds of assessment, worded as profiles.models.Assessment.Kind does
# (kept here so that the rules import no models).
SOURCES = {
    "agreed": _("agreed level"),
    "leader": _("leader's assessment"),
    "self": _("self-assessment"),
}


class Proposal(NamedTuple):
    """One proposal and why. The reason is put into words only when it is
    read: a large unit has thousands of proposals and a page shows a few."""

    kind: str
    competence_id: int
    message: str  # with %(name)s placeholders, usually a lazy translation
    values: tuple[tuple[str, object], ...] = ()
    person_id: int | None = None
    mentor_id: int | None = None
    mentee_ids: tuple[int, ...] = ()
    level: int | None = None
    count: int | None = None

    @property
    def reason(self) -> str:
        values = dict(self.values)
        if values.get("source"):
            # Named with the kind of assessment it came from only here:
            # most proposals are never read.
            values["level"] = LevelFrom(values["level"], values["source"])
        return str(self.message % values)


@dataclass
class Plan:
    """The proposals for one competence in one unit, in the order they
    should be considered."""

    competence_id: int
    competence_name: str
    mobilise: list[Proposal] = field(default_factory=list)
    develop: list[Proposal] = field(default_factory=list)
    recruit: list[Proposal] = field(default_factory=list)
    assess: list[Proposal] = field(default_factory=list)

    @property
    def proposals(self) -> list[Proposal]:
        return self.mobilise + self.develop + self.recruit + self.assess

    def __bool__(self) -> bool:
        return bool(self.proposals)


def is_mentor(standing: Standing, thresholds: Thresholds) -> bool:
    if standing.current is None:
        return False
    if standing.current >= thresholds.mentor_level:
        return True
    return standing.expected is not None and standing.current > standing.expected


def is_unused(standing: Standing, thresholds: Thresholds) -> bool:
    """Competence the person holds beyond what their role asks of them."""
    if standing.current is None:
        return False
    if standing.expected is None:
        return standing.current >= thresholds.mentor_level
    return standing.current > standing.expected


def match_mentors(
    learners: Sequence[Standing], mentors: Sequence[Standing]
) -> dict[int, Standing | None]:
    """A mentor per learner: someone whose current level reaches the
    learner's expected level; the one with the fewest mentees so far, then
    the highest level, then by name, so the load is shared. A learner is
    never their own mentor: their level is below what is expected of them.
    """
    # One heap per level keeps this fast for thousands of people: a
    # learner only looks at the least-loaded mentor of each level.
    heaps: dict[int, list[tuple[int, str, int, Standing]]] = {}
    for mentor in mentors:
        entry = (0, mentor.name, mentor.person_id, mentor)
        heaps.setdefault(mentor.current or 0, []).append(entry)
    for heap in heaps.values():
        heapq.heapify(heap)
    matched: dict[int, Standing | None] = {}
    for learner in learners:
        able = [
            (heap[0][0], -level, heap[0][1], level)
            for level, heap in heaps.items()
            if heap and level >= (learner.expected or 0)
        ]
        if not able:
            matched[learner.person_id] = None
            continue
        level = min(able)[3]
        load, name, person_id, mentor = heapq.heappop(heaps[level])
        heapq.heappush(heaps[level], (load + 1, name, person_id, mentor))
        matched[learner.person_id] = mentor
    return matched


def names(standings: Iterable[Standing]) -> str:
    return ", ".join(s.name for s in standings)


def plan_competence(
    competence_id: int,
    competence_name: str,
    unit_name: str,
    standings: Sequence[Standing],
    thresholds: Thresholds,
) -> Plan:
    """Mobilise, develop, recruit and assess proposals for one competence
    over the people of one unit's subtree."""
    plan = Plan(competence_id, competence_name)
    by_name = sorted(standings, key=lambda s: (s.name, s.person_id))
    learners = sorted(
        (s for s in by_name if (s.gap or 0) >= 1),
        key=lambda s: (-(s.gap or 0), s.name, s.person_id),
    )
    mentors = [s for s in by_name if is_mentor(s, thresholds)]
    matched = match_mentors(learners, mentors)

    plan.mobilise = mobilise_proposals(
        competence_id, competence_name, mentors, learners, matched, thresholds
    )
    plan.develop = develop_proposals(competence_id, competence_name, learners, matched)
    plan.recruit = recruit_proposals(
        competence_id, competence_name, unit_name, by_name, thresholds
    )
    plan.assess = assess_proposals(competence_id, competence_name, by_name)
    return plan


def mobilise_proposals(
    competence_id: int,
    competence_name: str,
    mentors: Sequence[Standing],
    learners: Sequence[Standing],
    matched: dict[int, Standing | None],
    thresholds: Thresholds,
) -> list[Proposal]:
    mentees_of: dict[int, list[Standing]] = {}
    for learner in learners:
        mentor = matched[learner.person_id]
        if mentor is not None:
            mentees_of.setdefault(mentor.person_id, []).append(learner)
    proposals = []
    for mentor in mentors:
        mentees = mentees_of.get(mentor.person_id, [])
        values = {
            "name": mentor.name,
            "competence": competence_name,
            "level": mentor.current,
            "source": mentor.source,
            "expected": mentor.expected,
        }
        if mentees:
            message = MENTOR
            values |= {"mentees": names(mentees), "count": len(mentees)}
        elif is_unused(mentor, thresholds):
            message = unused_message(mentor)
        else:
            continue
        proposals.append(
            Proposal(
                kind=MOBILISE,
                competence_id=competence_id,
                message=message,
                values=tuple(values.items()),
                person_id=mentor.person_id,
                mentee_ids=tuple(s.person_id for s in mentees),
                level=mentor.current,
            )
        )
    return proposals


def unused_message(mentor: Standing) -> str:
    if mentor.expected is None:
        return UNUSED
    return PARTLY_UNUSED


def develop_proposals(
    competence_id: int,
    competence_name: str,
    learners: Sequence[Standing],
    matched: dict[int, Standing | None],
) -> list[Proposal]:
    proposals = []
    for learner in learners:
        mentor = matched[learner.person_id]
        values = {
            "name": learner.name,
            "competence": competence_name,
            "level": learner.current,
            "source": learner.source,
            "expected": learner.expected,
            "gap": learner.gap,
            "mentor": mentor.name if mentor else "",
            "mentor_level": mentor.current if mentor else "",
        }
        text = DEVELOP_WITH_MENTOR if mentor is not None else DEVELOP_ALONE
        proposals.append(
            Proposal(
                kind=DEVELOP,
                competence_id=competence_id,
                message=text,
                values=tuple(values.items()),
                person_id=learner.person_id,
                mentor_id=mentor.person_id if mentor else None,
                level=learner.expected,
            )
        )
    return proposals


@dataclass(frozen=True)
class RecruitNeed:
    """What the recruit rule found at the highest expected level."""

    level: int
    wanted: int
    needed: int
    holders: int
    reachable: int
    shortfall: int


def recruit_need(histogram: Histogram, thresholds: Thresholds) -> RecruitNeed | None:
    """The recruitment need over a group, from how many people stand at
    each (expected, current) pair; None when there is none."""
    expected_levels = [e for (e, _c), n in histogram.items() if e is not None and n]
    if not expected_levels:
        return None
    level = max(expected_levels)
    wanted = holders = reachable = unknown = 0
    for (expected, current), n in histogram.items():
        if current is not None and current >= level:
            holders += n
        if expected != level:
            continue
        wanted += n
        if current is None:
            unknown += n
        elif 0 < level - current < thresholds.recruit_gap:
            reachable += n
    needed = min(thresholds.min_coverage, wanted)
    shortfall = needed - holders - reachable - unknown
    if shortfall <= 0:
        return None
    return RecruitNeed(level, wanted, needed, holders, reachable, shortfall)


def recruit_proposals(
    competence_id: int,
    competence_name: str,
    unit_name: str,
    standings: Sequence[Standing],
    thresholds: Thresholds,
) -> list[Proposal]:
    need = recruit_need(histogram_of(standings), thresholds)
    if need is None:
        return []
    values = {
        "unit": unit_name,
        "competence": competence_name,
        "level": need.level,
        "wanted": need.wanted,
        "needed": need.needed,
        "holders": need.holders,
        "reachable": need.reachable,
        "count": need.shortfall,
        "gap": thresholds.recruit_gap,
    }
    message = RECRUIT_NOBODY if not need.holders else RECRUIT_MORE
    return [
        Proposal(
            kind=RECRUIT,
            competence_id=competence_id,
            message=message,
            values=tuple(values.items()),
            level=need.level,
            count=need.shortfall,
        )
    ]


def assess_proposals(
    competence_id: int, competence_name: str, standings: Sequence[Standing]
) -> list[Proposal]:
    return [
        Proposal(
            kind=ASSESS,
            competence_id=competence_id,
            message=ASSESS_FIRST,
            values=(
                ("name", s.name),
                ("expected", s.expected),
                ("competence", competence_name),
            ),
            person_id=s.person_id,
            level=s.expected,
        )
        for s in standings
        if s.expected is not None and s.current is None
    ]


@dataclass(frozen=True)
class Summary:
    """One heatmap cell: how a group stands in one competence."""

    expected: int = 0
    met: int = 0
    assessed: int = 0
    gap_total: int = 0

    @property
    def coverage(self) -> float | None:
        """Share of people with an expectation who are at or above it;
        unassessed people count as not there."""
        return self.met / self.expected if self.expected else None

    @property
    def mean_gap(self) -> float | None:
        """Mean shortfall over the assessed people with an expectation.
        Being above the level counts as no gap, so one expert does not
        hide a colleague's gap."""
        return self.gap_total / self.assessed if self.assessed else None

    @property
    def band(self) -> str:
        """A colour band for the cell; the cell also shows its numbers."""
        if self.coverage is None:
            return "none"
        if self.assessed == 0:
            return "unknown"
        if self.coverage >= 0.8:
            return "good"
        if self.coverage >= 0.5:
            return "fair"
        return "poor"


def histogram_of(standings: Iterable[Standing]) -> Histogram:
    """How many people stand at each (expected, current) pair."""
    return Counter((s.expected, s.current) for s in standings)


def summarise(standings: Iterable[Standing]) -> Summary:
    return summary_of(histogram_of(standings))


def summary_of(histogram: Histogram) -> Summary:
    """A heatmap cell from how many people stand at each (expected,
    current) pair."""
    expected = met = assessed = gap_total = 0
    for (wanted, current), n in histogram.items():
        if wanted is None:
            continue
        expected += n
        if current is None:
            continue
        assessed += n
        gap_total += max(wanted - current, 0) * n
        if current >= wanted:
            met += n
    return Summary(expected, met, assessed, gap_total)


@dataclass(frozen=True)
class Tally:
    """A competence's plan for a group counted instead of named, for parts
    of the organisation too large to name everyone: how many to develop,
    who could mentor, who must be assessed first, how many hold the
    mentor level, and the recruitment need."""

    learners: int = 0
    mentors: int = 0
    unassessed: int = 0
    holders: int = 0
    thin: bool = False
    recruit: RecruitNeed | None = None


def tally(histogram: Histogram, thresholds: Thresholds) -> Tally:
    """The same rules as plan_competence, counted over a histogram."""
    learners = mentors = unassessed = holders = 0
    for (expected, current), n in histogram.items():
        standing = Standing(0, "", expected, current)
        if (standing.gap or 0) >= 1:
            learners += n
        if is_mentor(standing, thresholds):
            mentors += n
        if expected is not None and current is None:
            unassessed += n
        if current is not None and current >= thresholds.mentor_level:
            holders += n
    return Tally(
        learners,
        mentors,
        unassessed,
        holders,
        thin=holders < thresholds.min_coverage,
        recruit=recruit_need(histogram, thresholds),
    )


def thin_coverage(
    standings: Sequence[Standing], thresholds: Thresholds
) -> tuple[int, bool]:
    """How many people hold the competence at the mentor level or above,
    and whether that is fewer than the minimum coverage."""
    counted = tally(histogram_of(standings), thresholds)
    return counted.holders, counted.thin
