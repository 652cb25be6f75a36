"""Writing the access log."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils import timezone

from audit.models import AccessLog
from organisation.models import Person

# Rows per INSERT: an export of a large subtree logs thousands of people.
BATCH = 2000


def record(
    user: AbstractBaseUser | AnonymousUser,
    people: Iterable[Person],
    action: str,
    detail: str = "",
) -> list[AccessLog]:
    """Log that this user did `action` to each of these people, one row per
    person, in one query; returns the rows. The user's own person is left
    out (nobody is logged for their own data), and so is everything an
    anonymous visitor does, since views never show them personal data."""
    if not user.is_authenticated:
        return []
    ids = [person.pk for person in people if person.user_id != user.pk]
    return write(user, ids, action, detail)


def record_ids(
    user: AbstractBaseUser | AnonymousUser,
    person_ids: Iterable[int],
    action: str,
    detail: str = "",
) -> list[AccessLog]:
    """As `record`, for pages that hold people's ids rather than their rows
    (the gap analysis); each person is logged once."""
    if not user.is_authenticated:
        return []
    own = set(Person.objects.filter(user_id=user.pk).values_list("pk", flat=True))
    ids = [pk for pk in dict.fromkeys(person_ids) if pk not in own]
    return write(user, ids, action, detail)


def write(
    user: AbstractBaseUser, person_ids: Iterable[int], action: str, detail: str
) -> list[AccessLog]:
    """One row per person, all with the same time, in as few INSERTs as
    BATCH allows."""
    now = timezone.now()
    rows = [
        AccessLog(user_id=user.pk, person_id=pk, action=action, at=now, detail=detail)
        for pk in person_ids
    ]
    return AccessLog.objects.bulk_create(rows, batch_size=BATCH)
