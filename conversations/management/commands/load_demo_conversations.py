from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from catalogue.models import chosen_framework, competences_of
from conversations import rules
from conversations.models import Action, Conversation
from organisation.scope import subordinates

DEMO_LEADER = "siri.ostby"
DAY = datetime.timedelta(days=1)


class Command(BaseCommand):
    help = (
        f"Give {DEMO_LEADER}'s people conversations in every state (after "
        "load_demo and load_framework). Running it again changes nothing."
    )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo data is for development only (DEBUG=1).")
        leader = get_user_model().objects.filter(username=DEMO_LEADER).first()
        framework = chosen_framework(None)
        if leader is None or framework is None:
            raise CommandError("Run load_framework and load_demo first.")
        people = list(
            subordinates(leader.person).active().order_by("last_name", "first_name")
        )[:4]
        competences = competences_of(framework)

        made = 0
        for person, state in zip(people, self.STATES, strict=False):
            if Conversation.objects.filter(person=person, leader=leader).exists():
                continue
            state(self, person, leader, competences)
            made += 1
        self.stdout.write(
            self.style.SUCCESS(f"Demo conversations: {made} added for {DEMO_LEADER}.")
        )

    def planned(self, person, leader, competences) -> Conversation:  # type: ignore[no-untyped-def]
        return rules.plan_conversation(
            person,
            by=leader,
            kind=Conversation.Kind.EMPLOYEE,
            planned_at=at(7, 10),
            participants="",
        )

    def prepared(self, person, leader, competences) -> None:  # type: ignore[no-untyped-def]
        conversation = rules.plan_conversation(
            person, by=leader, kind=Conversation.Kind.DEVELOPMENT, planned_at=at(2, 13)
        )
        rules.mark_prepared(conversation)

    def held(self, person, leader, competences, close=False) -> None:  # type: ignore[no-untyped-def]
        days = -60 if close else -3
        conversation = rules.plan_conversation(
            person,
            by=leader,
            kind=Conversation.Kind.EMPLOYEE,
            planned_at=at(days, 9),
            participants="Tillitsvalgt",
        )
        first, second = competences[:2]
        rules.record_conversation(
            conversation,
            by=leader,
            held_on=timezone.localdate() + days * DAY,
            levels={first: 2, second: 3},
            notes="Vi ble enige om kurs i tjenestedesign og at erfaringen "
            "med innbyggerdialog deles med kollegaer.",
        )
        owner = person.user or leader
        due = timezone.localdate() + (days + 45) * DAY
        course = rules.add_action(
            conversation,
            by=leader,
            form=Action.Form.COURSE,
            competence=first,
            description="Kurs i tjenestedesign",
            owner=owner,
            due_on=due,
        )
        rules.add_action(
            conversation,
            by=leader,
            form=Action.Form.MENTOR,
            competence=second,
            description="Mentor for nye kollegaer i innbyggerdialog",
            owner=leader,
            due_on=due + 60 * DAY,
        )
        if close:
            rules.set_action_status(course, Action.Status.DONE)
            rules.close_conversation(conversation)

    def followed_up(self, person, leader, competences) -> None:  # type: ignore[no-untyped-def]
        self.held(person, leader, competences, close=True)

    STATES = (planned, prepared, held, followed_up)


def at(days: int, hour: int) -> datetime.datetime:
    """A time `days` from today at this hour, in Oslo."""
    day = timezone.localdate() + days * DAY
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
