"""Expectations (the level a leader expects) and assessments (where a
person stands), with their history.

Every change is a new row; the newest row per person and competence (and
kind, for assessments) carries `is_current`, which a partial unique
constraint keeps to one. Reports read only current rows through an index
instead of searching the history for the newest.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import Competence
from organisation.models import Person


class RecordQuerySet(models.QuerySet):
    def current(self) -> RecordQuerySet:
        return self.filter(is_current=True)


class Expectation(models.Model):
    person = models.ForeignKey(
        Person, models.PROTECT, related_name="expectations", verbose_name=_("person")
    )
    competence = models.ForeignKey(
        Competence,
        models.PROTECT,
        related_name="expectations",
        verbose_name=_("competence"),
    )
    # None records that an expectation was removed.
    level = models.PositiveSmallIntegerField(_("expected level"), null=True)
    note = models.TextField(_("note"), blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("set by"),
    )
    created_at = models.DateTimeField(_("set at"), default=timezone.now)
    is_current = models.BooleanField(default=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("expectation")
        verbose_name_plural = _("expectations")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "competence"],
                condition=models.Q(is_current=True),
                name="expectation_one_current",
            )
        ]
        indexes = [
            models.Index(
                fields=["person", "competence", "created_at"],
                name="expectation_history",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.competence} = {self.level}"


class Assessment(models.Model):
    class Kind(models.TextChoices):
        SELF = "self", _("self-assessment")
        LEADER = "leader", _("leader's assessment")
        AGREED = "agreed", _("agreed level")

    person = models.ForeignKey(
        Person, models.PROTECT, related_name="assessments", verbose_name=_("person")
    )
    competence = models.ForeignKey(
        Competence,
        models.PROTECT,
        related_name="assessments",
        verbose_name=_("competence"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    level = models.PositiveSmallIntegerField(_("level"))
    assessed_on = models.DateField(_("date"), default=timezone.localdate)
    note = models.TextField(_("note"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("assessed by"),
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    is_current = models.BooleanField(default=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "competence", "kind"],
                condition=models.Q(is_current=True),
                name="assessment_one_current",
            )
        ]
        indexes = [
            models.Index(
                fields=["person", "competence", "kind", "created_at"],
                name="assessment_history",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.competence} = {self.level} ({self.kind})"
