"""Conversations and the actions decided in them.

A conversation (leader-, employee- or development conversation) is about
one person and moves planned → prepared → held → followed up; once
followed up it is closed and read-only, while its actions live on.

An action is about one person (develop, mobilise) or one unit (recruit).
At most one open action exists per kind, form, competence and person (or
unit), so turning the same proposal into an action twice adds nothing,
while a conversation may still agree on a course and mentoring for the
same competence.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import Competence
from organisation.models import OrgUnit, Person


class Conversation(models.Model):
    class Kind(models.TextChoices):
        LEADER = "leader", _("leader conversation")
        EMPLOYEE = "employee", _("employee conversation")
        DEVELOPMENT = "development", _("development conversation")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        PREPARED = "prepared", _("prepared")
        HELD = "held", _("held")
        FOLLOWED_UP = "followed_up", _("followed up")

    person = models.ForeignKey(
        Person,
        models.PROTECT,
        related_name="conversations",
        verbose_name=_("person"),
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="led_conversations",
        verbose_name=_("leader"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    planned_at = models.DateTimeField(_("planned for"))
    participants = models.CharField(_("other participants"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.PLANNED
    )
    # Shared with the employee and printed; private notes are PrivateNote.
    notes = models.TextField(_("notes"), blank=True)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        ordering = ["planned_at", "pk"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        indexes = [
            models.Index(fields=["person", "planned_at"], name="conversation_person"),
            models.Index(fields=["status", "planned_at"], name="conversation_due"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.person} ({self.planned_at:%Y-%m-%d})"

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.FOLLOWED_UP

    @property
    def is_open(self) -> bool:
        """Planned or prepared: not yet held."""
        return self.status in (self.Status.PLANNED, self.Status.PREPARED)

    @property
    def date(self) -> datetime.date:
        """The day it was held, else the day it is planned for (in Oslo)."""
        return self.held_on or timezone.localdate(self.planned_at)


class PrivateNote(models.Model):
    """A leader's own note on a conversation: shown to its author only,
    never to the employee, HR or in the PDF."""

    conversation = models.ForeignKey(
        Conversation,
        models.CASCADE,
        related_name="private_notes",
        verbose_name=_("conversation"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("private note"), blank=True)
    updated_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("private note")
        verbose_name_plural = _("private notes")
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "author"], name="private_note_one_per_author"
            )
        ]

    def __str__(self) -> str:
        return f"{self.conversation}: {self.author}"


# Which forms each kind of action may take; one from a proposal has none.
FORMS = {
    "develop": ("course", "mentoring", "project", "job_rotation"),
    "mobilise": ("mentor", "role"),
    "recruit": ("unit_need",),
}


class Action(models.Model):
    class Kind(models.TextChoices):
        DEVELOP = "develop", _("develop")
        MOBILISE = "mobilise", _("mobilise")
        RECRUIT = "recruit", _("recruit")

    class Form(models.TextChoices):
        COURSE = "course", _("course")
        MENTORING = "mentoring", _("mentoring")
        PROJECT = "project", _("project")
        JOB_ROTATION = "job_rotation", _("job rotation")
        MENTOR = "mentor", _("mentor for someone")
        ROLE = "role", _("a role")
        UNIT_NEED = "unit_need", _("a unit need")

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
    form = models.CharField(_("form"), max_length=12, choices=Form, blank=True)
    conversation = models.ForeignKey(
        Conversation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("conversation"),
    )
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
            models.CheckConstraint(
                condition=Q(form="")
                | Q(kind="develop", form__in=FORMS["develop"])
                | Q(kind="mobilise", form__in=FORMS["mobilise"])
                | Q(kind="recruit", form__in=FORMS["recruit"]),
                name="action_form_fits_kind",
            ),
            models.UniqueConstraint(
                fields=["kind", "form", "competence", "person"],
                condition=Q(status="open", person__isnull=False),
                name="action_one_open_per_person",
            ),
            models.UniqueConstraint(
                fields=["kind", "form", "competence", "unit"],
                condition=Q(status="open", unit__isnull=False),
                name="action_one_open_per_unit",
            ),
        ]

    def __str__(self) -> str:
        who = self.person or self.unit
        return f"{self.get_kind_display()}: {self.competence} ({who})"

    @classmethod
    def kind_of(cls, form: str) -> str:
        """The kind an action of this form is."""
        return next(kind for kind, forms in FORMS.items() if form in forms)

    def is_overdue(self, today: datetime.date) -> bool:
        return (
            self.status == self.Status.OPEN
            and self.due_on is not None
            and self.due_on < today
        )
