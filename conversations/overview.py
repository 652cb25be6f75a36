"""The leader's overview: conversations due, overdue and prepared, and
open actions, for the people a login leads or serves. A fixed number of
queries however many people and conversations there are."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from conversations.access import unit_condition
from conversations.models import Action, Conversation
from organisation.models import PersonQuerySet
from organisation.scope import User, changeable_people, scope_of, unit_scope_paths
from profiles.models import Assessment

# A planned conversation is due when it is this close.
DUE_WITHIN = datetime.timedelta(days=14)
# Someone whose last conversation was held longer ago than this, and who
# has none planned, is due one.
CONVERSATION_INTERVAL = datetime.timedelta(days=365)


@dataclass(frozen=True)
class Flag:
    """Whether something is overdue or due soon, for the table."""

    overdue: bool
    due: bool


def led_conversations(user: User) -> QuerySet[Conversation]:
    """Conversations about the people the user sees, not their own, that
    are not closed; each annotated with `self_assessed` (a self-assessment
    recorded since it was planned)."""
    scope = scope_of(user)
    people = scope.visible()
    if scope.own is not None:
        people = people.exclude(pk=scope.own.pk)
    self_assessed = Assessment.objects.filter(
        person_id=OuterRef("person_id"),
        kind=Assessment.Kind.SELF,
        level__isnull=False,
        created_at__gte=OuterRef("created_at"),
    )
    return (
        Conversation.objects.filter(person__in=people.values("pk"))
        .exclude(status=Conversation.Status.FOLLOWED_UP)
        .annotate(self_assessed=Exists(self_assessed))
        .select_related("person__unit", "leader__person")
        .order_by("planned_at", "pk")
    )


def own_conversations(user: User) -> QuerySet[Conversation]:
    """The conversations about the user's own person, newest first."""
    return (
        Conversation.objects.filter(person__user_id=user.pk)
        .select_related("person", "leader__person")
        .order_by("-planned_at", "-pk")
    )


def open_actions_in_scope(user: User) -> QuerySet[Action]:
    """Open actions about the people the user sees (not themself) or the
    units they analyse, the overdue first and those without a due date
    last."""
    scope = scope_of(user)
    people = scope.visible()
    if scope.own is not None:
        people = people.exclude(pk=scope.own.pk)
    condition = Q(person__in=people.values("pk"))
    paths = unit_scope_paths(user)
    if paths is None or paths:
        condition |= unit_condition(paths)
    return (
        Action.objects.filter(condition, status=Action.Status.OPEN)
        .select_related("person", "unit", "competence__framework", "owner__person")
        # SQLite sorts a missing date first, PostgreSQL last: say which.
        .order_by(F("due_on").asc(nulls_last=True), "pk")
    )


def flag(day: datetime.date | None, today: datetime.date) -> Flag:
    if day is None:
        return Flag(overdue=False, due=False)
    return Flag(overdue=day < today, due=today <= day <= today + DUE_WITHIN)


def without_conversation(user: User, today: datetime.date) -> PersonQuerySet:
    """The people this login may plan conversations with who have none
    open (planned, prepared, held) and none held in the last year, by
    name."""
    recent_or_open = Conversation.objects.filter(person_id=OuterRef("pk")).filter(
        Q(held_on__gte=today - CONVERSATION_INTERVAL)
        | Q(
            status__in=[
                Conversation.Status.PLANNED,
                Conversation.Status.PREPARED,
                Conversation.Status.HELD,
            ]
        )
    )
    return (
        changeable_people(user)
        .active()
        .exclude(Exists(recent_or_open))
        .select_related("unit")
        .order_by("last_name", "first_name", "pk")
    )
