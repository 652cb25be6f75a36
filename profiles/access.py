"""Gates for the changes this app makes, built on organisation.scope.

The scope module decides who may see and change whom; these helpers turn
its answers into the responses the views need: 404 when the user may not
see a person (or is that person), 403 when they may only read them.
"""

from __future__ import annotations

from collections.abc import Collection

from django.core.exceptions import PermissionDenied
from django.http import Http404

from organisation.models import Person
from organisation.scope import (
    User,
    changeable_people,
    get_visible_person,
    person_for_user,
    visible_people,
)


def get_person_to_change(user: User, pk: int) -> Person:
    """The person whose expectations and leader assessments the user may
    set; 404 outside scope or for the user themself, 403 when read-only."""
    person = get_visible_person(user, pk)
    own = person_for_user(user)
    if own is not None and own.pk == person.pk:
        raise Http404
    if not changeable_people(user).filter(pk=pk).exists():
        raise PermissionDenied
    return person


def get_people_to_change(user: User, pks: Collection[int]) -> list[Person]:
    """All of these people, in the order of their names, or 404 when one is
    outside scope and 403 when one is only readable; those who have left
    are included so that the rules can say so."""
    wanted = set(pks)
    people = list(
        changeable_people(user)
        .filter(pk__in=wanted)
        .select_related("unit")
        .order_by("unit__path", "last_name", "first_name", "pk")
    )
    if len(people) == len(wanted):
        return people
    if visible_people(user).filter(pk__in=wanted).count() == len(wanted):
        raise PermissionDenied
    raise Http404
