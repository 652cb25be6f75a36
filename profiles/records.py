"""Rules for writing expectations and assessments.

Writers validate against the competence's framework and scale, and keep
history: an unchanged value writes nothing, a changed one retires the
current row and adds a new current row, in one transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable, Mapping

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from catalogue.models import Competence, CompetenceIndicator, Framework, Level
from organisation.models import Person
from profiles import current as current_levels
from profiles.models import Assessment, Expectation


def check_levels(levels: Mapping[Competence, int | None]) -> None:
    """Raise ValidationError unless every level is on its competence's scale
    and every competence belongs to a published framework. One query for
    the scales, however many competences."""
    check_level_pairs(levels.items())


def check_level_pairs(pairs: Iterable[tuple[Competence, int | None]]) -> None:
    """check_levels for (competence, level) pairs, where a competence may
    come more than once (one per person in a team)."""
    pairs = list(pairs)
    scale_ids = {c.framework.scale_id for c, _level in pairs}
    numbers: dict[int, set[int]] = {scale_id: set() for scale_id in scale_ids}
    for scale_id, number in Level.objects.filter(scale_id__in=scale_ids).values_list(
        "scale_id", "number"
    ):
        numbers[scale_id].add(number)
    for competence, level in pairs:
        if competence.framework.status != Framework.Status.PUBLISHED:
            raise ValidationError(
                _("%(competence)s belongs to a framework that is not published.")
                % {"competence": competence.name}
            )
        allowed = numbers[competence.framework.scale_id]
        if level is not None and level not in allowed:
            raise ValidationError(
                _("Level %(level)s is not on the scale (%(low)s–%(high)s).")
                % {"level": level, "low": min(allowed), "high": max(allowed)}
            )


def check_person(person: Person) -> None:
    if not person.active:
        raise ValidationError(
            _("%(name)s has left and can no longer be changed.")
            % {"name": person.full_name}
        )


@transaction.atomic
def set_expectations(
    person: Person,
    levels: Mapping[Competence, int | None],
    by: AbstractBaseUser,
    note: str = "",
) -> list[Expectation]:
    """Set the expected levels of one person; returns the new rows.

    Competences whose level is unchanged are left alone, so saving the same
    form twice writes nothing the second time. A level of None removes an
    expectation (recorded as a row with no level).
    """
    check_person(person)
    check_levels(levels)
    current = {
        e.competence_id: e
        for e in Expectation.objects.current()
        .select_for_update()
        .filter(person=person, competence__in=list(levels))
    }
    now = timezone.now()
    new_rows = []
    for competence, level in levels.items():
        old = current.get(competence.pk)
        old_level = old.level if old else None
        if old_level == level:
            continue
        new_rows.append(
            Expectation(
                person=person,
                competence=competence,
                level=level,
                note=note,
                set_by=by,
                created_at=now,
            )
        )
    retired = [
        current[row.competence_id].pk
        for row in new_rows
        if row.competence_id in current
    ]
    Expectation.objects.filter(pk__in=retired).update(is_current=False)
    created = Expectation.objects.bulk_create(new_rows)
    if created:
        current_levels.refresh([person.pk], [row.competence_id for row in created])
    return created


# The earliest date an assessment may carry: older dates are typing errors
# (such as year 1), not assessments anyone made with this product.
EARLIEST_ASSESSMENT = datetime.date(2000, 1, 1)


def check_assessment_date(on: datetime.date) -> None:
    if on > timezone.localdate():
        raise ValidationError(_("An assessment cannot be dated in the future."))
    if on < EARLIEST_ASSESSMENT:
        raise ValidationError(
            _("An assessment cannot be dated before %(date)s.")
            % {"date": formats.date_format(EARLIEST_ASSESSMENT, "SHORT_DATE_FORMAT")}
        )


@transaction.atomic
def record_assessments(
    person: Person,
    kind: str,
    levels: Mapping[Competence, int | None],
    by: AbstractBaseUser,
    on: datetime.date | None = None,
    note: str = "",
    indicators: Mapping[Competence, Collection[int]] | None = None,
) -> list[Assessment]:
    """Record assessments of one kind for one person; returns the new rows.

    None clears a competence's level: like a removed expectation, it is
    recorded as a row with no level, and the next kind of assessment then
    counts (a competence never assessed stays as it is). An assessment
    equal to the current one of the same kind (level, note and ticked
    indicators) writes nothing, whatever its date, so that saving a whole
    form does not re-date the competences one did not touch. `indicators`
    are the ids of the indicators the person ticked per competence; each
    must be one of that competence's indicators.

    The current row is the newest by date, the later recorded on the same
    date. A row dated before the current one is kept as history and is
    not current (`is_current` is False on the returned row).
    """
    on = on or timezone.localdate()
    check_assessment_date(on)
    check_person(person)
    check_levels(levels)
    ticked = {
        c.pk: set(ids)
        for c, ids in (indicators or {}).items()
        if levels.get(c) is not None
    }
    check_indicators(ticked)
    current = {
        a.competence_id: a
        for a in Assessment.objects.current()
        .select_for_update()
        .filter(person=person, kind=kind, competence__in=list(levels))
    }
    current_ticks = ticks_of(current.values()) if ticked else {}
    now = timezone.now()
    new_rows = []
    retired = []
    for competence, level in levels.items():
        old = current.get(competence.pk)
        if level is None and (old is None or old.level is None):
            continue
        same = old and (old.level, old.note) == (level, note)
        wanted = ticked.get(competence.pk, set())
        if same and current_ticks.get(old.pk, set()) == wanted:
            continue
        newest = old is None or on >= old.assessed_on
        if newest and old is not None:
            retired.append(old.pk)
        new_rows.append(
            Assessment(
                person=person,
                competence=competence,
                kind=kind,
                level=level,
                assessed_on=on,
                note=note,
                assessed_by=by,
                created_at=now,
                is_current=newest,
            )
        )
    Assessment.objects.filter(pk__in=retired).update(is_current=False)
    created = Assessment.objects.bulk_create(new_rows)
    if created:
        current_levels.refresh([person.pk], [row.competence_id for row in created])
    Ticks = Assessment.indicators.through
    Ticks.objects.bulk_create(
        Ticks(assessment_id=row.pk, indicator_id=indicator)
        for row in created
        for indicator in ticked.get(row.competence_id, ())
    )
    return created


def check_indicators(ticked: Mapping[int, set[int]]) -> None:
    """Raise ValidationError unless every ticked indicator belongs to its
    competence; one query."""
    if not any(ticked.values()):
        return
    links = set(
        CompetenceIndicator.objects.filter(competence_id__in=list(ticked)).values_list(
            "competence_id", "indicator_id"
        )
    )
    for competence_id, ids in ticked.items():
        if any((competence_id, pk) not in links for pk in ids):
            raise ValidationError(
                _("An indicator you ticked does not belong to its competence.")
            )


def ticks_of(assessments: Iterable[Assessment]) -> dict[int, set[int]]:
    """Assessment id -> ids of the indicators ticked in it; one query."""
    result: dict[int, set[int]] = {}
    Ticks = Assessment.indicators.through
    for assessment_id, indicator_id in Ticks.objects.filter(
        assessment__in=list(assessments)
    ).values_list("assessment_id", "indicator_id"):
        result.setdefault(assessment_id, set()).add(indicator_id)
    return result
