"""Shaping analysis results for pages and exports.

The rules answer per competence; pages want rows of a heatmap and
proposals marked with whether an action is already open. Plain functions
over plain values, like the rules.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from analysis.queries import PersonRow, Standings
from analysis.rules import (
    RECRUIT,
    Histogram,
    Plan,
    Proposal,
    Standing,
    Summary,
    Tally,
    Thresholds,
    plan_competence,
    summarise,
    tally,
    thin_coverage,
)
from catalogue.models import Competence
from conversations.models import Action
from organisation.models import OrgUnit

ActionKey = tuple[str, int, int | None, int | None]


@dataclass(frozen=True)
class MarkedProposal:
    proposal: Proposal
    taken: bool

    @property
    def actionable(self) -> bool:
        return self.proposal.kind in Action.Kind.values


@dataclass(frozen=True)
class Section:
    """Proposals of one kind, cut to what a page can show."""

    items: list[MarkedProposal]
    hidden: int = 0


@dataclass(frozen=True)
class MarkedPlan:
    plan: Plan
    mobilise: Section
    develop: Section
    recruit: Section
    assess: Section


@dataclass(frozen=True)
class HeatCell:
    competence: Competence
    summary: Summary
    standing: Standing | None = None


@dataclass(frozen=True)
class HeatRow:
    name: str
    cells: list[HeatCell]
    unit: OrgUnit | None = None
    person_id: int | None = None


@dataclass(frozen=True)
class CoverageRow:
    competence: Competence
    holders: int
    thin: bool


def unit_plans(
    unit: OrgUnit,
    competences: Sequence[Competence],
    standings: Standings,
    thresholds: Thresholds,
) -> list[Plan]:
    return [
        plan_competence(
            c.pk, c.name, unit.name, standings.for_competence(c.pk), thresholds
        )
        for c in competences
    ]


def action_key(proposal: Proposal, unit: OrgUnit) -> ActionKey:
    unit_id = unit.pk if proposal.kind == RECRUIT else None
    return (proposal.kind, proposal.competence_id, proposal.person_id, unit_id)


def open_keys(actions: Iterable[Action]) -> set[ActionKey]:
    return {(a.kind, a.competence_id, a.person_id, a.unit_id) for a in actions}


def mark_plans(
    plans: Iterable[Plan], unit: OrgUnit, taken: set[ActionKey], shown: int
) -> list[MarkedPlan]:
    """The plans with something to propose, each proposal marked with
    whether an open action already covers it. A large subtree can have
    thousands of proposals: at most `shown` of each kind are kept, the
    rest are counted (the export and the child units have them all)."""

    def mark(proposals: list[Proposal]) -> Section:
        items = [
            MarkedProposal(p, action_key(p, unit) in taken) for p in proposals[:shown]
        ]
        return Section(items, max(len(proposals) - shown, 0))

    return [
        MarkedPlan(
            plan,
            mark(plan.mobilise),
            mark(plan.develop),
            mark(plan.recruit),
            mark(plan.assess),
        )
        for plan in plans
        if plan
    ]


def coverage_rows(
    competences: Sequence[Competence], standings: Standings, thresholds: Thresholds
) -> list[CoverageRow]:
    rows = []
    for competence in competences:
        holders, thin = thin_coverage(
            standings.for_competence(competence.pk), thresholds
        )
        rows.append(CoverageRow(competence, holders, thin))
    return rows


def unit_rows(
    children: Sequence[OrgUnit],
    competences: Sequence[Competence],
    summaries: dict[tuple[str, int], Summary],
) -> list[HeatRow]:
    """One row per direct child unit, each over its whole subtree."""
    return [
        HeatRow(
            name=child.name,
            unit=child,
            cells=[
                HeatCell(c, summaries.get((child.path, c.pk), Summary()))
                for c in competences
            ],
        )
        for child in children
    ]


def person_rows(
    people: Sequence[PersonRow],
    competences: Sequence[Competence],
    standings: Standings,
) -> list[HeatRow]:
    rows = []
    for person in people:
        cells = []
        for c in competences:
            standing = standings.by_key.get((person.pk, c.pk))
            cells.append(
                HeatCell(c, summarise([standing] if standing else []), standing)
            )
        rows.append(HeatRow(name=person.name, cells=cells, person_id=person.pk))
    return rows


@dataclass(frozen=True)
class TallyRow:
    """One child unit's counted plan in one competence; `unit` is None for
    the people placed directly in the analysed unit. `taken`: an open
    action already covers the unit's recruitment need."""

    unit: OrgUnit | None
    tally: Tally
    taken: bool = False


@dataclass(frozen=True)
class CompetenceTally:
    competence: Competence
    total: Tally
    rows: list[TallyRow]
    taken: bool = False


def tally_plans(
    unit: OrgUnit,
    children: Sequence[OrgUnit],
    competences: Sequence[Competence],
    histograms: Mapping[tuple[str, int], Histogram],
    thresholds: Thresholds,
    taken: Collection[ActionKey] = frozenset(),
) -> list[CompetenceTally]:
    """Per competence, the counted plan of each child unit's subtree and of
    the unit's own members (when it has any), and of the whole unit."""

    def recruiting(target: OrgUnit, competence: Competence) -> bool:
        return (RECRUIT, competence.pk, None, target.pk) in taken

    plans = []
    for competence in competences:
        rows = [
            TallyRow(
                child,
                tally(histograms.get((child.path, competence.pk), {}), thresholds),
                recruiting(child, competence),
            )
            for child in children
        ]
        own = histograms.get((unit.path, competence.pk))
        if own:
            rows.insert(0, TallyRow(None, tally(own, thresholds)))
        total: Counter[tuple[int | None, int | None]] = Counter()
        for (_path, competence_id), histogram in histograms.items():
            if competence_id == competence.pk:
                total.update(histogram)
        plans.append(
            CompetenceTally(
                competence,
                tally(total, thresholds),
                rows,
                recruiting(unit, competence),
            )
        )
    return plans


def named_people(plans: Iterable[Plan | MarkedPlan]) -> list[int]:
    """The ids of everyone a page or export names in these plans, as
    learner or mentor, for the access log."""
    ids: list[int] = []
    for plan in plans:
        if isinstance(plan, MarkedPlan):
            sections = (plan.mobilise, plan.develop, plan.recruit, plan.assess)
            proposals = [item.proposal for s in sections for item in s.items]
        else:
            proposals = list(plan.proposals)
        for proposal in proposals:
            ids += [i for i in (proposal.person_id, proposal.mentor_id) if i]
    return ids
