"""A person's history per competence: every expectation and assessment,
newest first, with who recorded it and which one counts now."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import Competence
from organisation.models import Person
from profiles.expectations import display_name
from profiles.models import Assessment, Expectation

EXPECTATION = "expectation"


@dataclass(frozen=True)
class Entry:
    kind: str
    kind_label: str
    level: int | None
    on: datetime.date
    recorded_at: datetime.datetime
    by: str
    note: str
    is_current: bool
    indicators: int = 0


@dataclass(frozen=True)
class Timeline:
    competence: Competence
    entries: list[Entry]


def history_of(person: Person, competences: Sequence[Competence]) -> list[Timeline]:
    """One timeline per competence, newest entry first; two queries."""
    entries: dict[int, list[Entry]] = {c.pk: [] for c in competences}
    for e in Expectation.objects.filter(
        person=person, competence__in=competences
    ).select_related("set_by__person"):
        entries[e.competence_id].append(
            Entry(
                kind=EXPECTATION,
                kind_label=_("expected level"),
                level=e.level,
                on=timezone.localdate(e.created_at),
                recorded_at=e.created_at,
                by=display_name(e.set_by),
                note=e.note,
                is_current=e.is_current,
            )
        )
    for a in (
        Assessment.objects.filter(person=person, competence__in=competences)
        .select_related("assessed_by__person")
        .annotate(ticked=Count("indicators"))
    ):
        entries[a.competence_id].append(
            Entry(
                kind=a.kind,
                kind_label=a.get_kind_display(),
                level=a.level,
                on=a.assessed_on,
                recorded_at=a.created_at,
                by=display_name(a.assessed_by),
                note=a.note,
                is_current=a.is_current,
                indicators=a.ticked,
            )
        )
    return [
        Timeline(
            competence=c,
            entries=sorted(
                entries[c.pk], key=lambda e: (e.on, e.recorded_at), reverse=True
            ),
        )
        for c in competences
    ]
