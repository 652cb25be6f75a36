"""What the preparation sheet and the summary show, for both sides.

One competence a row: expected level, self-assessment, leader's
assessment, last agreed level, current level and gap (by the precedence
of profiles.grid), and for competences with a gap or no assessment the
indicators that describe them. Built in a fixed number of queries.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import F, Max, Q
from django.utils import timezone

from catalogue.models import Competence, Indicator
from conversations.models import Action, Conversation, PrivateNote
from profiles.grid import Cell, build_rows
from profiles.models import Assessment
from profiles.views import indicators_of


@dataclass(frozen=True)
class SheetRow:
    cell: Cell
    leader_level: int | None
    agreed_level: int | None
    indicators: list[Indicator] = field(default_factory=list)

    @property
    def competence(self) -> Competence:
        return self.cell.competence


@dataclass(frozen=True)
class Sheet:
    conversation: Conversation
    rows: list[SheetRow]
    # The newest self-assessment's date, and whether it was made after
    # the conversation was planned (what the employee was asked to do).
    self_assessed_on: datetime.date | None
    self_assessed_since_planned: bool
    open_actions: list[Action]
    agreed_actions: list[Action]
    private_note: PrivateNote | None

    @property
    def described(self) -> list[SheetRow]:
        """The rows whose indicators are worth talking about."""
        return [row for row in self.rows if row.indicators]


def build_sheet(
    conversation: Conversation,
    competences: list[Competence],
    viewer: AbstractBaseUser | None,
) -> Sheet:
    """The sheet for this conversation. `viewer` gets their own private
    note and nobody else's; None (the PDF) gets none."""
    person = conversation.person
    [row] = build_rows([person], competences)
    levels: dict[tuple[int, str], int] = {
        (competence_id, kind): level
        for competence_id, kind, level in Assessment.objects.current()
        .filter(person=person, competence__in=competences, level__isnull=False)
        .values_list("competence_id", "kind", "level")
    }
    worth_talking = ("gap", "not-assessed")
    indicators = indicators_of(
        [cell.competence for cell in row.cells if cell.status in worth_talking]
    )
    rows = [
        SheetRow(
            cell=cell,
            leader_level=levels.get((cell.competence.pk, Assessment.Kind.LEADER)),
            agreed_level=levels.get((cell.competence.pk, Assessment.Kind.AGREED)),
            indicators=indicators.get(cell.competence.pk, []),
        )
        for cell in row.cells
    ]
    self_assessments = Assessment.objects.filter(
        person=person,
        kind=Assessment.Kind.SELF,
        competence__in=competences,
        level__isnull=False,
    )
    if conversation.held_on:
        # Whether the employee had assessed themself for the conversation,
        # not whether they have since.
        self_assessments = self_assessments.filter(
            created_at__lt=start_of_day(conversation.held_on + datetime.timedelta(1))
        )
    newest = self_assessments.aggregate(on=Max("assessed_on"), at=Max("created_at"))
    actions = list(
        Action.objects.filter(Q(person=person) | Q(conversation=conversation))
        .select_related("competence__framework", "owner__person", "unit")
        .order_by(F("due_on").asc(nulls_last=True), "pk")
    )
    return Sheet(
        conversation=conversation,
        rows=rows,
        self_assessed_on=newest["on"],
        self_assessed_since_planned=bool(
            newest["at"] and newest["at"] >= conversation.created_at
        ),
        open_actions=[
            a
            for a in actions
            if a.status == Action.Status.OPEN and a.conversation_id != conversation.pk
        ],
        agreed_actions=[a for a in actions if a.conversation_id == conversation.pk],
        private_note=private_note_of(conversation, viewer),
    )


def start_of_day(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of `day` in the site's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def private_note_of(
    conversation: Conversation, viewer: AbstractBaseUser | None
) -> PrivateNote | None:
    if viewer is None or not viewer.is_authenticated:
        return None
    return PrivateNote.objects.filter(conversation=conversation, author=viewer).first()
