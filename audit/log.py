"""Writing the access log."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils import timezone

from audit.models import AccessLog
from organisation.models import Person


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
    now = timezone.now()
    rows = [
        AccessLog(user_id=user.pk, person=person, action=action, at=now, detail=detail)
        for person in people
        if person.user_id != user.pk
    ]
    return AccessLog.objects.bulk_create(rows)
