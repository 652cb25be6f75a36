"""Turning a proposal into an action, once."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet

from catalogue.models import Competence
from conversations.models import Action
from organisation.models import PATH_END, OrgUnit, Person, PersonQuerySet


def create_action(
    *,
    kind: str,
    competence: Competence,
    description: str,
    by: AbstractBaseUser,
    person: Person | None = None,
    unit: OrgUnit | None = None,
    mentor: Person | None = None,
) -> tuple[Action, bool]:
    """The open action of this kind for this person (or unit) and
    competence, created if there is none; returns it and whether it is new.
    An open action of the kind agreed in a conversation (a course, say)
    covers the proposal too.
    """
    target = {"person": person} if person is not None else {"unit": unit}
    lookup = {"kind": kind, "competence": competence, "status": Action.Status.OPEN}
    defaults = {
        "description": description,
        "mentor": mentor,
        "owner": by,
        "created_by": by,
    }
    existing = Action.objects.filter(**lookup, **target).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return Action.objects.create(**lookup, **target, **defaults), True
    except IntegrityError:
        # Two clicks at once: the partial unique index let only one in.
        return Action.objects.get(**lookup, **target, form=""), False


def open_actions(unit: OrgUnit, people: PersonQuerySet) -> QuerySet[Action]:
    """Open actions about these people or about units in the subtree."""
    in_subtree = Q(unit__path__gte=unit.path, unit__path__lt=unit.path + PATH_END)
    return (
        Action.objects.filter(status=Action.Status.OPEN)
        .filter(in_subtree | Q(person__in=people.values("pk")))
        .select_related(
            "competence__framework", "person", "unit", "mentor", "owner__person"
        )
    )
