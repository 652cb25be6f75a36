"""Gates for the changes this app makes, built on organisation.scope.

The scope module decides who may see and change whom; these helpers turn
its answers into the responses the views need: 404 when the user may not
see a person, 403 when they may only read them. The user's own person is
visible but never changeable, so changing one's own data is 403 too.
"""

from __future__ import annotations

from collections.abc import Collection

from django.core.exceptions import PermissionDenied
from django.http import Http404

from organisation.models import Person
from organisation.scope import (
    User,
    changeable_people,
    get_changeable_person,
    visible_people,
)


def get_person_to_change(user: User, pk: int) -> Person:
    """The person whose expectations and assessments the user may set; 404
    outside scope, 403 when only visible (read-only, or the user's own)."""
    return get_changeable_person(user, pk)


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
