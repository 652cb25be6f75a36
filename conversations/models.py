"""Actions: what a leader decided to do about a competence.

An action is about one person (develop, mobilise) or one unit (recruit).
At most one open action exists per kind, competence and person (or unit),
so turning the same proposal into an action twice adds nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import Competence
from organisation.models import OrgUnit, Person


class Action(models.Model):
    class Kind(models.TextChoices):
        DEVELOP = "develop", _("develop")
        MOBILISE = "mobilise", _("mobilise")
        RECRUIT = "recruit", _("recruit")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    person = models.ForeignKey(
        Person,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("person"),
    )
    unit = models.ForeignKey(
        OrgUnit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("unit"),
    )
    competence = models.ForeignKey(
        Competence, models.PROTECT, related_name="actions", verbose_name=_("competence")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    description = models.TextField(_("description"))
    mentor = models.ForeignKey(
        Person,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentoring_actions",
        verbose_name=_("mentor"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="owned_actions",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, unit__isnull=True)
                | Q(person__isnull=True, unit__isnull=False),
                name="action_person_or_unit",
            ),
            models.UniqueConstraint(
                fields=["kind", "competence", "person"],
                condition=Q(status="open", person__isnull=False),
                name="action_one_open_per_person",
            ),
            models.UniqueConstraint(
                fields=["kind", "competence", "unit"],
                condition=Q(status="open", unit__isnull=False),
                name="action_one_open_per_unit",
            ),
        ]

    def __str__(self) -> str:
        who = self.person or self.unit
        return f"{self.get_kind_display()}: {self.competence} ({who})"
