"""Slowing down password guessing.

After LOGIN_FAILURE_LIMIT failed attempts for one username within
LOGIN_FAILURE_MINUTES, that username cannot log in until the oldest of
them is older than that; an address that fails four times as often across
usernames is stopped the same way. A successful login clears the
username's failures. The attempts live in the database, so every worker
process counts the same ones.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from audit.models import FailedLogin

# An address may try this many times more failures than one username, so a
# shared office address is not stopped by one person's typos.
ADDRESS_FACTOR = 4


def window_start() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(minutes=settings.LOGIN_FAILURE_MINUTES)


def is_blocked(username: str, address: str | None) -> bool:
    since = window_start()
    recent = FailedLogin.objects.filter(at__gte=since)
    limit = settings.LOGIN_FAILURE_LIMIT
    if recent.filter(username=username.lower()).count() >= limit:
        return True
    return (
        address is not None
        and recent.filter(address=address).count() >= limit * ADDRESS_FACTOR
    )


def record_failure(username: str, address: str | None) -> None:
    FailedLogin.objects.filter(at__lt=window_start()).delete()
    FailedLogin.objects.create(username=username.lower()[:150], address=address)


def clear(username: str) -> None:
    FailedLogin.objects.filter(username=username.lower()).delete()
