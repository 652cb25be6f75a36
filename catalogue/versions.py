"""Drafts, their differences from the published version, and publishing.

A draft is a full copy of the published version with the next version
number; items keep their UUIDs, so the draft can be compared item by item
and what hangs on a competence can follow it. The draft gets its own copy
of the scale, so editing levels never touches the published version.

Publishing carries the current expectations and assessments of every
competence the new version keeps over to its row there, as new current
rows; the old rows stay, as history, on the retired version. A competence
the new version drops keeps its history on the retired version.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from catalogue.loading import framework_data
from catalogue.models import (
    Comment,
    Competence,
    CompetenceIndicator,
    CompetenceLevel,
    Framework,
    Indicator,
    Level,
    Scale,
)
from conversations.models import Action
from profiles import current as current_levels
from profiles.models import Assessment, Expectation, RoleProfileLevel


def draft_of(framework: Framework) -> Framework | None:
    return Framework.objects.filter(
        uuid=framework.uuid, status=Framework.Status.DRAFT
    ).first()


def published_of(framework: Framework) -> Framework | None:
    return Framework.objects.filter(
        uuid=framework.uuid, status=Framework.Status.PUBLISHED
    ).first()


@transaction.atomic
def start_draft(published: Framework) -> Framework:
    """The framework's draft: the existing one, or a new copy of the
    published version."""
    existing = draft_of(published)
    if existing is not None:
        return existing
    scale = Scale.objects.create(
        name=published.scale.name, description=published.scale.description
    )
    Level.objects.bulk_create(
        Level(scale=scale, number=lv.number, name=lv.name, description=lv.description)
        for lv in published.scale.levels.all()
    )
    newest = Framework.objects.filter(uuid=published.uuid).aggregate(v=Max("version"))
    draft = Framework.objects.create(
        uuid=published.uuid,
        version=newest["v"] + 1,
        name=published.name,
        description=published.description,
        language=published.language,
        status=Framework.Status.DRAFT,
        scale=scale,
    )
    competences = {
        c.pk: Competence(
            framework=draft,
            uuid=c.uuid,
            name=c.name,
            description=c.description,
            position=c.position,
            replaces=c.replaces,
        )
        for c in published.competences.all()
    }
    Competence.objects.bulk_create(competences.values())
    indicators = {
        i.pk: Indicator(framework=draft, uuid=i.uuid, text=i.text, replaces=i.replaces)
        for i in published.indicators.all()
    }
    Indicator.objects.bulk_create(indicators.values())
    CompetenceIndicator.objects.bulk_create(
        CompetenceIndicator(
            competence=competences[link.competence_id],
            indicator=indicators[link.indicator_id],
            position=link.position,
        )
        for link in CompetenceIndicator.objects.filter(competence__framework=published)
    )
    CompetenceLevel.objects.bulk_create(
        CompetenceLevel(
            competence=competences[text.competence_id],
            number=text.number,
            description=text.description,
        )
        for text in CompetenceLevel.objects.filter(competence__framework=published)
    )
    return draft


@dataclass(frozen=True)
class Change:
    kind: str  # added, removed, changed, moved
    what: str
    detail: str = ""


def differences(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """What the new version changes, item by item, in the product's own
    framework format."""
    changes: list[Change] = []
    for key, label in (("name", _("Name")), ("description", _("Description"))):
        if old[key] != new[key]:
            changes.append(Change("changed", label, new[key]))
    old_levels = {lv["number"]: lv for lv in old["scale"]["levels"]}
    new_levels = {lv["number"]: lv for lv in new["scale"]["levels"]}
    for number in sorted(old_levels.keys() | new_levels.keys()):
        before, after = old_levels.get(number), new_levels.get(number)
        what = _("Level %(number)s") % {"number": number}
        if before is None:
            changes.append(Change("added", what, after["name"]))
        elif after is None:
            changes.append(Change("removed", what, before["name"]))
        elif (before["name"], before["description"]) != (
            after["name"],
            after["description"],
        ):
            changes.append(Change("changed", what, after["description"]))
    old_comps = {c["uuid"]: c for c in old["competences"]}
    new_order = [c["uuid"] for c in new["competences"]]
    kept_old_order = [c["uuid"] for c in old["competences"] if c["uuid"] in new_order]
    for comp in new["competences"]:
        before = old_comps.get(comp["uuid"])
        if before is None:
            changes.append(Change("added", comp["name"]))
            continue
        changes += competence_differences(before, comp)
    for comp in old["competences"]:
        if comp["uuid"] not in new_order:
            changes.append(Change("removed", comp["name"]))
    if [u for u in new_order if u in old_comps] != kept_old_order:
        changes.append(Change("moved", _("Order of the competences")))
    return changes


def competence_differences(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes = []
    name = new["name"]
    if old["name"] != new["name"]:
        changes.append(Change("changed", name, _("was %(old)s") % {"old": old["name"]}))
    if old["description"] != new["description"]:
        changes.append(Change("changed", name, new["description"]))
    before = {i["uuid"]: i["text"] for i in old["indicators"]}
    after = {i["uuid"]: i["text"] for i in new["indicators"]}
    for key, text in after.items():
        if key not in before:
            changes.append(Change("added", name, text))
        elif before[key] != text:
            changes.append(Change("changed", name, text))
    for key, text in before.items():
        if key not in after:
            changes.append(Change("removed", name, text))
    if [k for k in after if k in before] != [k for k in before if k in after]:
        changes.append(Change("moved", name, _("order of the indicators")))
    old_texts = {lv["number"]: lv["description"] for lv in old.get("levels", [])}
    new_texts = {lv["number"]: lv["description"] for lv in new.get("levels", [])}
    for number in sorted(old_texts.keys() | new_texts.keys()):
        if old_texts.get(number) != new_texts.get(number):
            what = _("level %(number)s") % {"number": number}
            text = new_texts.get(number, "")
            changes.append(Change("changed", name, f"{what}: {text}"))
    return changes


def draft_differences(draft: Framework) -> list[Change]:
    published = published_of(draft)
    if published is None:
        return []
    return differences(framework_data(published), framework_data(draft))


@transaction.atomic
def publish(draft: Framework, by: AbstractBaseUser) -> list[Comment]:
    """Publish the draft as the new version; the old one retires. Returns
    the accepted comments the new version answers."""
    draft = Framework.objects.select_for_update().get(pk=draft.pk)
    if draft.status != Framework.Status.DRAFT:
        raise ValidationError(_("Only a draft can be published."))
    if not draft.competences.exists():
        raise ValidationError(_("A version needs at least one competence."))
    Framework.objects.filter(pk=draft.pk).update(status=Framework.Status.PUBLISHED)
    draft.status = Framework.Status.PUBLISHED
    retire_older(draft)
    answered = list(
        Comment.objects.filter(
            framework__uuid=draft.uuid,
            status=Comment.Status.ACCEPTED,
            published_in__isnull=True,
        )
    )
    Comment.objects.filter(pk__in=[c.pk for c in answered]).update(published_in=draft)
    return answered


def retire_older(new: Framework) -> None:
    """Retire the published versions older than `new`, carrying what hangs
    on their competences over to it. Newer published versions are left
    alone: loading an old file must not undo a later publication. Refused
    (ValidationError) when the new scale lacks a level people are at; the
    caller's transaction then undoes what it wrote."""
    older = list(
        Framework.objects.filter(
            uuid=new.uuid, status=Framework.Status.PUBLISHED, version__lt=new.version
        )
    )
    for old in older:
        check_levels_in_use(old, new)
    for old in older:
        Framework.objects.filter(pk=old.pk).update(status=Framework.Status.RETIRED)
        carry_over(old, new)


def check_levels_in_use(old: Framework, draft: Framework) -> None:
    """Refuse to drop a level number that a current expectation or
    assessment, or a role profile, of a kept competence uses."""
    kept = set(draft.competences.values_list("uuid", flat=True))
    numbers = set(draft.scale.levels.values_list("number", flat=True))
    records = [model.objects.current() for model in (Expectation, Assessment)]
    for rows in [*records, RoleProfileLevel.objects.all()]:
        used = (
            rows.filter(competence__framework=old, competence__uuid__in=kept)
            .exclude(level__in=numbers)
            .exclude(level__isnull=True)
            .values_list("level", flat=True)
            .distinct()
        )
        if used:
            raise ValidationError(
                _(
                    "Level %(level)s is in use by people's expectations, "
                    "assessments or role profiles; keep it in the scale."
                )
                % {"level": min(used)}
            )


def carry_over(old: Framework, new: Framework) -> None:
    """New current rows on the new version's competences for the current
    rows on the old one; the old rows stay, no longer current, as history.
    The copies keep who set them and when, so nothing looks newer than it
    is. Role profiles' levels and open actions are not history: they move
    to the new version's competence."""
    target: dict[uuid.UUID, int] = dict(new.competences.values_list("uuid", "pk"))
    for pk, key in old.competences.filter(uuid__in=list(target)).values_list(
        "pk", "uuid"
    ):
        RoleProfileLevel.objects.filter(competence_id=pk).update(
            competence_id=target[key]
        )
        Action.objects.filter(competence_id=pk, status=Action.Status.OPEN).update(
            competence_id=target[key]
        )
    for model in (Expectation, Assessment):
        current = model.objects.current().filter(
            competence__framework=old, competence__uuid__in=list(target)
        )
        ticks = ticks_by_uuid(current) if model is Assessment else {}
        copy_of: dict[int, Any] = {}  # the old row's id -> its copy
        for row in current.select_related("competence"):
            copy_of[row.pk] = row
            row.competence_id = target[row.competence.uuid]
            row.pk = None
        current.update(is_current=False)
        model.objects.bulk_create(copy_of.values(), batch_size=2000)
        if ticks:
            carry_ticks(ticks, copy_of, new)
    moved = [*old.competences.values_list("pk", flat=True), *target.values()]
    current_levels.refresh(competence_ids=moved)


def ticks_by_uuid(assessments: Any) -> dict[int, list[uuid.UUID]]:
    """Assessment id -> the UUIDs of the indicators ticked on it."""
    through = Assessment.indicators.through
    ticks: dict[int, list[uuid.UUID]] = {}
    rows = through.objects.filter(assessment__in=assessments).values_list(
        "assessment_id", "indicator__uuid"
    )
    for assessment_id, key in rows:
        ticks.setdefault(assessment_id, []).append(key)
    return ticks


def carry_ticks(
    ticks: dict[int, list[uuid.UUID]], copy_of: dict[int, Any], new: Framework
) -> None:
    """Tick on each carried self-assessment the new version's indicators
    with the UUIDs ticked on the old one, where the new version still has
    that indicator under that competence; the old row keeps all of its
    ticks as history."""
    links = CompetenceIndicator.objects.filter(competence__framework=new)
    indicator_of = {
        (competence_id, key): indicator_id
        for competence_id, key, indicator_id in links.values_list(
            "competence_id", "indicator__uuid", "indicator_id"
        )
    }
    through = Assessment.indicators.through
    through.objects.bulk_create(
        (
            through(assessment_id=copy.pk, indicator_id=indicator)
            for source, keys in ticks.items()
            for copy in [copy_of[source]]
            for key in keys
            if (indicator := indicator_of.get((copy.competence_id, key)))
        ),
        batch_size=2000,
    )
