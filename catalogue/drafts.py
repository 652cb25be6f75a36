"""Editing a draft version: every change here is refused on anything but
a draft, so a published version never changes."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from catalogue.models import (
    Competence,
    CompetenceIndicator,
    CompetenceLevel,
    Framework,
    Indicator,
    Level,
    Scale,
)
from profiles.models import Assessment, Expectation, RoleProfileLevel


def check_draft(framework: Framework) -> None:
    if framework.status != Framework.Status.DRAFT:
        raise ValidationError(_("Only a draft can be changed."))


def add_competence(draft: Framework, name: str, description: str) -> Competence:
    check_draft(draft)
    last = draft.competences.aggregate(p=Max("position"))["p"] or 0
    return Competence.objects.create(
        framework=draft, name=name, description=description, position=last + 1
    )


@transaction.atomic
def update_competence(
    competence: Competence,
    name: str,
    description: str,
    lines: list[str],
    level_texts: dict[int, str],
) -> None:
    """Save a competence with its indicators in the order of `lines`.

    A line equal to an existing indicator keeps it (and its UUID); a
    changed line keeps the indicator that stood in its place, unless that
    text still stands elsewhere; other lines are new indicators.
    """
    draft = competence.framework
    check_draft(draft)
    competence.name, competence.description = name, description
    competence.save(update_fields=["name", "description"])
    old = [
        link.indicator
        for link in competence.indicator_links.select_related("indicator")
    ]
    by_text = {indicator.text: indicator for indicator in old}
    unchanged = {line for line in lines if line in by_text}
    kept: list[Indicator] = []
    for position, line in enumerate(lines):
        indicator = by_text.get(line)
        if (
            indicator is None
            and position < len(old)
            and old[position].text not in unchanged
        ):
            indicator = old[position]
            indicator.text = line
            indicator.save(update_fields=["text"])
            unchanged.add(line)
        if indicator is None:
            indicator = Indicator.objects.create(framework=draft, text=line)
        kept.append(indicator)
    competence.indicator_links.all().delete()
    CompetenceIndicator.objects.bulk_create(
        CompetenceIndicator(competence=competence, indicator=indicator, position=i)
        for i, indicator in enumerate(kept, start=1)
    )
    # An indicator no competence of the draft uses any more leaves it.
    draft.indicators.filter(competence_links__isnull=True).delete()
    competence.level_texts.all().delete()
    CompetenceLevel.objects.bulk_create(
        CompetenceLevel(competence=competence, number=number, description=text)
        for number, text in sorted(level_texts.items())
        if text
    )


@transaction.atomic
def move_competence(competence: Competence, step: int) -> None:
    """Move one place up (-1) or down (+1)."""
    check_draft(competence.framework)
    order = list(competence.framework.competences.all())
    index = order.index(competence)
    other = index + step
    if not 0 <= other < len(order):
        return
    order[index], order[other] = order[other], order[index]
    for position, item in enumerate(order, start=1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])


def competence_usage(competence: Competence) -> int:
    """People with an expectation or assessment on this very row."""
    return (
        Expectation.objects.filter(competence=competence).count()
        + Assessment.objects.filter(competence=competence).count()
    )


@transaction.atomic
def delete_competence(competence: Competence) -> None:
    """Take a competence out of the draft; refused when anything uses the
    row. The published version keeps it, and it retires on publishing."""
    check_draft(competence.framework)
    used = competence_usage(competence)
    if used:
        raise ValidationError(
            _(
                "%(name)s is used by %(count)s expectations or assessments; "
                "it cannot be deleted."
            )
            % {"name": competence.name, "count": used}
        )
    indicators = competence.framework.indicators
    competence.delete()
    indicators.filter(competence_links__isnull=True).delete()


def scale_level_usage(scale: Scale, number: int) -> int:
    """What stands at this level in any framework version on this scale."""
    return usage(number, competence__framework__scale=scale)


def level_in_use(number: int, used: int) -> ValidationError:
    return ValidationError(
        _(
            "Level %(number)s is used by %(count)s current expectations, "
            "assessments or role profiles; it cannot be deleted."
        )
        % {"number": number, "count": used}
    )


def level_usage(framework: Framework, number: int) -> int:
    """What stands at this level on any version of the framework."""
    return usage(number, competence__framework__uuid=framework.uuid)


def usage(number: int, **competences: object) -> int:
    """Current expectations and assessments, and role profiles' expected
    levels, at this level number in the competences these filters name."""
    rows = sum(
        model.objects.current().filter(level=number, **competences).count()
        for model in (Expectation, Assessment)
    )
    return rows + RoleProfileLevel.objects.filter(level=number, **competences).count()


@transaction.atomic
def save_levels(draft: Framework, levels: dict[int, tuple[str, str]]) -> None:
    """Set the draft scale's levels: name and text per number. A number
    left out is deleted, which is refused while people are at that level."""
    check_draft(draft)
    scale = draft.scale
    for number in set(scale.level_numbers()) - set(levels):
        used = level_usage(draft, number)
        if used:
            raise level_in_use(number, used)
        scale.levels.filter(number=number).delete()
        CompetenceLevel.objects.filter(
            competence__framework=draft, number=number
        ).delete()
    for number, (name, description) in levels.items():
        Level.objects.update_or_create(
            scale=scale,
            number=number,
            defaults={"name": name, "description": description},
        )
