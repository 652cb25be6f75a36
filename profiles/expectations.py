"""Saving expectations for one person or a team without lost updates.

A form carries a version token: the signed ids of the current expectation
rows it was built from. On save, a cell whose current row is no longer the
one the form saw was changed by someone else in the meantime:

- if the user left the cell as it was, the other person's value stays;
- if the user chose what is there now, nothing is written (a form posted
  twice lands here);
- otherwise it is a conflict: nothing at all is saved, and the user is
  told who changed what from what to what, and chooses to keep their own
  value or take the other one.

Everything else is written as in `records.set_expectations`, for any
number of people in a constant number of queries.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import Competence
from organisation.models import Person
from profiles import current as current_levels
from profiles.models import Expectation
from profiles.records import check_level_pairs, check_person

SALT = "profiles.expectations.version"
MINE = "mine"
THEIRS = "theirs"

Key = tuple[int, int]  # person id, competence id
Levels = Mapping[Person, Mapping[Competence, int | None]]


@dataclass(frozen=True)
class Conflict:
    person: Person
    competence: Competence
    seen: int | None
    theirs: int | None
    mine: int | None
    changed_by: str
    changed_at: datetime.datetime

    @property
    def key(self) -> Key:
        return (self.person.pk, self.competence.pk)


@dataclass
class Outcome:
    rows: list[Expectation] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    # Cells the user changed to what someone else had saved already.
    already_saved: int = 0
    # What each cell holds now, for a form shown again after a conflict.
    now: dict[Key, int | None] = field(default_factory=dict)


def version_token(people: Iterable[Person], competences: Iterable[Competence]) -> str:
    """A token naming the current expectation rows of these cells."""
    ids = (
        Expectation.objects.current()
        .filter(person__in=list(people), competence__in=list(competences))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return signing.dumps(list(ids), salt=SALT)


def read_token(token: str) -> list[int]:
    """The row ids in a version token; ValidationError when it is damaged."""
    try:
        ids = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        raise ValidationError(
            _("The form is damaged or out of date. Reload the page and try again.")
        ) from None
    return [int(pk) for pk in ids]


def display_name(user: AbstractBaseUser | None) -> str:
    if user is None:
        return _("someone")
    person = getattr(user, "person", None)
    return person.full_name if person else user.get_username()


@transaction.atomic
def save_expectations(
    levels: Levels,
    by: AbstractBaseUser,
    seen_ids: list[int],
    *,
    note: str = "",
    resolve: Mapping[Key, str] | None = None,
) -> Outcome:
    """Save the expected levels of several people against the rows the form
    saw. Returns the new rows, or the conflicts and nothing saved."""
    resolve = resolve or {}
    people = list(levels)
    for person in people:
        check_person(person)
    check_level_pairs(
        (competence, level)
        for person_levels in levels.values()
        for competence, level in person_levels.items()
    )
    competences = {c for person_levels in levels.values() for c in person_levels}
    current = {
        (row.person_id, row.competence_id): row
        for row in Expectation.objects.current()
        .select_for_update()
        .filter(person__in=people, competence__in=competences)
    }
    users = {row.set_by_id for row in current.values()} - {None}
    names = user_names(users)
    seen = {
        (row.person_id, row.competence_id): row
        for row in Expectation.objects.filter(pk__in=seen_ids, person__in=people)
    }

    outcome = Outcome()
    now = timezone.now()
    new_rows = []
    for person, person_levels in levels.items():
        for competence, mine in person_levels.items():
            key = (person.pk, competence.pk)
            old, saw = current.get(key), seen.get(key)
            theirs = old.level if old else None
            seen_level = saw.level if saw else None
            if resolve.get(key) == THEIRS:
                mine = seen_level
            outcome.now[key] = mine
            if (old and old.pk) != (saw and saw.pk):
                if mine == seen_level:
                    outcome.now[key] = theirs
                    continue
                if mine == theirs:
                    outcome.already_saved += 1
                    continue
                outcome.conflicts.append(
                    Conflict(
                        person=person,
                        competence=competence,
                        seen=seen_level,
                        theirs=theirs,
                        mine=mine,
                        changed_by=names.get(old.set_by_id, _("someone"))
                        if old
                        else _("someone"),
                        changed_at=old.created_at if old else now,
                    )
                )
                continue
            if mine == theirs:
                continue
            new_rows.append(
                Expectation(
                    person=person,
                    competence=competence,
                    level=mine,
                    note=note,
                    set_by=by,
                    created_at=now,
                )
            )
    if outcome.conflicts:
        return outcome

    retired = [
        current[(row.person_id, row.competence_id)].pk
        for row in new_rows
        if (row.person_id, row.competence_id) in current
    ]
    Expectation.objects.filter(pk__in=retired).update(is_current=False)
    outcome.rows = Expectation.objects.bulk_create(new_rows)
    current_levels.refresh(
        [row.person_id for row in outcome.rows],
        [row.competence_id for row in outcome.rows],
    )
    return outcome


def user_names(user_ids: set[int]) -> dict[int, str]:
    """Display names of the users who set expectations; one query."""
    if not user_ids:
        return {}
    users = get_user_model().objects.filter(pk__in=user_ids).select_related("person")
    return {user.pk: display_name(user) for user in users}
