"""A person's history per competence: every expectation and assessment,
newest first, with who recorded it and which one counts now."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import Competence, Framework
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
    """One timeline per competence, newest entry first, in two queries.

    A competence is followed by its UUID through every version of its
    framework: publishing a version copies the current rows onto the new
    version's competence (see `catalogue.versions.carry_over`), so the
    older entries stand on earlier versions' rows. A copy is shown once."""
    if not competences:
        return []
    frameworks = {c.framework.uuid for c in competences}
    uuids = [c.uuid for c in competences]
    entries: dict[tuple, list[Entry]] = {
        (c.framework.uuid, c.uuid): [] for c in competences
    }
    seen: set[tuple] = set()

    def add(row: Expectation | Assessment, entry: Entry) -> None:
        competence = row.competence
        key = (competence.framework.uuid, competence.uuid)
        # A copy made on publishing has the same kind, level, author and
        # time as its original; the newest version's row comes first.
        same = (key, entry.kind, entry.level, entry.recorded_at, entry.by, entry.note)
        if key in entries and same not in seen:
            seen.add(same)
            entries[key].append(entry)

    newest_version_first = ["-competence__framework__version", "-pk"]
    in_any_version = {
        "person": person,
        "competence__framework__uuid__in": frameworks,
        "competence__uuid__in": uuids,
    }
    for e in (
        Expectation.objects.filter(**in_any_version)
        .select_related("set_by__person", "competence__framework")
        .order_by(*newest_version_first)
    ):
        add(
            e,
            Entry(
                kind=EXPECTATION,
                kind_label=_("expected level"),
                level=e.level,
                on=timezone.localdate(e.created_at),
                recorded_at=e.created_at,
                by=display_name(e.set_by),
                note=e.note,
                is_current=e.is_current,
            ),
        )
    for a in (
        Assessment.objects.filter(**in_any_version)
        .select_related("assessed_by__person", "competence__framework")
        .annotate(ticked=Count("indicators"))
        .order_by(*newest_version_first)
    ):
        add(
            a,
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
            ),
        )
    return [
        Timeline(
            competence=c,
            entries=sorted(
                entries[(c.framework.uuid, c.uuid)],
                key=lambda e: (e.on, e.recorded_at),
                reverse=True,
            ),
        )
        for c in competences
    ]


def retired_competences(person: Person, framework: Framework) -> list[Competence]:
    """Competences that earlier versions of this framework had and this
    version dropped, on which the person has a record: their history stays.
    Each is given as its row in the last version that had it."""
    kept = framework.competences.values("uuid")
    has_record = Exists(
        Expectation.objects.filter(person=person, competence=OuterRef("pk"))
    ) | Exists(Assessment.objects.filter(person=person, competence=OuterRef("pk")))
    dropped = (
        Competence.objects.filter(
            framework__uuid=framework.uuid, framework__version__lt=framework.version
        )
        .exclude(uuid__in=kept)
        .select_related("framework__scale")
        .order_by("uuid", "-framework__version")
    )
    # Every row of a dropped competence, so a record on any version counts;
    # the newest row names it.
    rows = list(dropped.annotate(has_record=has_record))
    with_records = {row.uuid for row in rows if row.has_record}
    newest: dict[object, Competence] = {}
    for row in rows:
        if row.uuid in with_records:
            newest.setdefault(row.uuid, row)
    return sorted(newest.values(), key=lambda c: (c.framework.version, c.position))
