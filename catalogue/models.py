"""The catalogue: frameworks of competences, their indicators and scales.

Every item carries a UUID that stays the same across versions of a
framework, so what hangs on a competence can follow it when a new version
is published.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompetanse.ids import parse_id


class Scale(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("scale")
        verbose_name_plural = _("scales")

    def __str__(self) -> str:
        return self.name

    def level_numbers(self) -> list[int]:
        return [level.number for level in self.levels.all()]


class Level(models.Model):
    scale = models.ForeignKey(Scale, models.CASCADE, related_name="levels")
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["scale", "number"]
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        constraints = [
            models.UniqueConstraint(
                fields=["scale", "number"], name="level_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}: {self.name}"

    @property
    def label(self) -> str:
        """The level as a choice reads: its number and name, but the name
        alone when it already says the number ("Nivå 3", not the number twice)."""
        if re.search(rf"(?<!\d){self.number}(?!\d)", self.name):
            return self.name
        return f"{self.number} – {self.name}"


class FrameworkQuerySet(models.QuerySet["Framework"]):
    def published(self) -> FrameworkQuerySet:
        return self.filter(status=Framework.Status.PUBLISHED)

    def oldest_first(self) -> FrameworkQuerySet:
        """In the order their first versions came into the catalogue, so
        the default framework stays the same when another is imported or
        a new version published."""
        first = Framework.objects.filter(uuid=OuterRef("uuid")).order_by("pk")
        return self.annotate(since=Subquery(first.values("pk")[:1])).order_by(
            "since", "-version"
        )


class Framework(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        RETIRED = "retired", _("retired")

    uuid = models.UUIDField(default=uuid.uuid4, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(_("language"), max_length=10, default="nb")
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.DRAFT
    )
    scale = models.ForeignKey(
        Scale, models.PROTECT, related_name="frameworks", verbose_name=_("scale")
    )

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        ordering = ["name", "-version"]
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")
        constraints = [
            models.UniqueConstraint(
                fields=["uuid", "version"], name="framework_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"


class Competence(models.Model):
    framework = models.ForeignKey(Framework, models.CASCADE, related_name="competences")
    uuid = models.UUIDField(default=uuid.uuid4, editable=False)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("area"),
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    replaces = models.UUIDField(
        _("replaces"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The UUID of an item this one replaces (CASE replacedBy)."),
    )
    indicators = models.ManyToManyField(
        "Indicator", through="CompetenceIndicator", related_name="competences"
    )

    class Meta:
        ordering = ["framework", "position", "pk"]
        verbose_name = _("competence")
        verbose_name_plural = _("competences")
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "uuid"], name="competence_unique_in_framework"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    """One described behaviour. It may stand under more than one competence:
    the link table holds its place in each."""

    framework = models.ForeignKey(Framework, models.CASCADE, related_name="indicators")
    uuid = models.UUIDField(default=uuid.uuid4, editable=False)
    text = models.TextField(_("text"))
    replaces = models.UUIDField(
        _("replaces"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The UUID of an item this one replaces (CASE replacedBy)."),
    )

    class Meta:
        ordering = ["framework", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "uuid"], name="indicator_unique_in_framework"
            )
        ]

    def __str__(self) -> str:
        return self.text


class CompetenceIndicator(models.Model):
    competence = models.ForeignKey(
        Competence, models.CASCADE, related_name="indicator_links"
    )
    indicator = models.ForeignKey(
        Indicator, models.CASCADE, related_name="competence_links"
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["competence", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["competence", "indicator"], name="indicator_once_per_competence"
            )
        ]

    def __str__(self) -> str:
        return f"{self.competence}: {self.indicator}"


def chosen_framework(framework_id: str | None) -> Framework | None:
    """The published framework with this id, else the one that has been in
    the catalogue the longest."""
    published = Framework.objects.published().oldest_first().select_related("scale")
    pk = parse_id(framework_id)
    if pk is not None:
        framework = published.filter(pk=pk).first()
        if framework is not None:
            return framework
    return published.first()


def competences_of(framework: Framework | None) -> list[Competence]:
    if framework is None:
        return []
    return list(
        framework.competences.select_related("framework__scale").prefetch_related(
            "framework__scale__levels"
        )
    )


class CompetenceLevel(models.Model):
    """What a level of the scale means in one competence ("what level 3
    means in Kreativitet"); optional, the scale's text applies otherwise."""

    competence = models.ForeignKey(
        Competence, models.CASCADE, related_name="level_texts"
    )
    number = models.PositiveSmallIntegerField(_("level"))
    description = models.TextField(_("description"))

    class Meta:
        ordering = ["competence", "number"]
        verbose_name = _("level text")
        verbose_name_plural = _("level texts")
        constraints = [
            models.UniqueConstraint(
                fields=["competence", "number"], name="competence_level_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.competence}: {self.number}"


class CommentQuerySet(models.QuerySet["Comment"]):
    def on_item(self, framework_uuid: uuid.UUID, target: Target) -> CommentQuerySet:
        return self.filter(
            framework__uuid=framework_uuid,
            target_kind=target.kind,
            target_uuid=target.uuid,
            level_number=target.number,
        )


class Comment(models.Model):
    """Feedback on a framework, competence, indicator or level.

    The target is named by the item's stable UUID (a level by its number),
    not by a row, so a thread follows its item into later versions.
    """

    class Status(models.TextChoices):
        NEW = "new", _("new")
        ANSWERED = "answered", _("answered")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")
        HIDDEN = "hidden", _("hidden")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class Kind(models.TextChoices):
        FRAMEWORK = "framework", _("framework")
        COMPETENCE = "competence", _("competence")
        INDICATOR = "indicator", _("indicator")
        LEVEL = "level", _("level")

    framework = models.ForeignKey(
        Framework,
        models.PROTECT,
        related_name="comments",
        verbose_name=_("framework version"),
    )
    target_kind = models.CharField(_("about"), max_length=12, choices=Kind)
    target_uuid = models.UUIDField(null=True, blank=True)
    level_number = models.PositiveSmallIntegerField(null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="catalogue_comments",
        verbose_name=_("author"),
    )
    text = models.TextField(_("comment"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.NEW
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed at"), default=timezone.now)
    published_in = models.ForeignKey(
        Framework,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="answered_comments",
        verbose_name=_("published in"),
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            models.Index(
                fields=["target_kind", "target_uuid", "level_number"],
                name="comment_target",
            ),
            models.Index(fields=["status", "created_at"], name="comment_queue"),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def target(self) -> Target:
        return Target(self.target_kind, self.target_uuid, self.level_number)


@dataclass(frozen=True)
class Target:
    """What a comment is about: a kind and the item's UUID or level number."""

    kind: str
    uuid: uuid.UUID | None = None
    number: int | None = None

    @property
    def key(self) -> str:
        if self.kind == Comment.Kind.LEVEL:
            return str(self.number)
        return str(self.uuid) if self.uuid else "-"

    @classmethod
    def parse(cls, kind: str, key: str) -> Target | None:
        """The target named in a URL, or None when it cannot be one."""
        if kind == Comment.Kind.FRAMEWORK:
            return cls(kind) if key == "-" else None
        if kind == Comment.Kind.LEVEL:
            number = parse_id(key)
            return cls(kind, number=number) if number is not None else None
        if kind in (Comment.Kind.COMPETENCE, Comment.Kind.INDICATOR):
            try:
                return cls(kind, uuid.UUID(key))
            except ValueError:
                return None
        return None
