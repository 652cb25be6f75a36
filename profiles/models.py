"""Expectations (the level a leader expects) and assessments (where a
person stands), with their history.

Every change is a new row; the newest row per person and competence (and
kind, for assessments, the newest by date) carries `is_current`, which a partial unique
constraint keeps to one. Reports read only current rows through an index
instead of searching the history for the newest.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import Competence, Indicator
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
    # None records that a level was cleared: the next kind then counts.
    level = models.PositiveSmallIntegerField(_("level"), null=True)
    assessed_on = models.DateField(_("date"), default=timezone.localdate)
    note = models.TextField(_("note"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("assessed by"),
    )
    # The indicators a person ticked in a self-assessment.
    indicators = models.ManyToManyField(
        Indicator, blank=True, related_name="+", verbose_name=_("indicators")
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


class CurrentLevel(models.Model):
    """Each person's current standing per competence: their own expected
    level and their current level per kind of assessment, kept from the
    current records by `profiles.current` whenever they change. It is
    derived data: the analysis of a whole municipality reads one row per
    person and competence here instead of searching millions of records. A
    row exists only where at least one of the levels is set."""

    # The covering index below starts with the person.
    person = models.ForeignKey(Person, models.CASCADE, related_name="+", db_index=False)
    competence = models.ForeignKey(Competence, models.CASCADE, related_name="+")
    expected = models.PositiveSmallIntegerField(null=True)
    self_level = models.PositiveSmallIntegerField(null=True)
    leader_level = models.PositiveSmallIntegerField(null=True)
    agreed_level = models.PositiveSmallIntegerField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "competence"], name="current_level_unique"
            )
        ]
        indexes = [
            # Holds every column the analysis reads, so that it reads a
            # unit's rows from the index alone, person by person.
            models.Index(
                fields=[
                    "person",
                    "competence",
                    "expected",
                    "agreed_level",
                    "leader_level",
                    "self_level",
                ],
                name="current_level_covering",
            ),
            models.Index(fields=["competence", "person"], name="current_level_by_comp"),
        ]

    def __str__(self) -> str:
        levels = (self.agreed_level, self.leader_level, self.self_level)
        return f"{self.person_id}/{self.competence_id}: {self.expected} {levels}"


class RoleProfile(models.Model):
    """A named set of expected levels (stillingsprofil), kept for a unit's
    subtree and reused for many people.

    It applies to a person assigned to it by hand, or else to anyone in the
    unit's subtree whose position title is one of `titles`.
    """

    name = models.CharField(_("name"), max_length=200)
    unit = models.ForeignKey(
        "organisation.OrgUnit",
        models.PROTECT,
        related_name="role_profiles",
        verbose_name=_("unit"),
    )
    titles = models.TextField(
        _("position titles"),
        blank=True,
        help_text=_("One title per line; people with that title get the profile."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    updated_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("role profile")
        verbose_name_plural = _("role profiles")

    def __str__(self) -> str:
        return self.name

    def title_set(self) -> set[str]:
        """The titles it applies to, compared without case or outer space."""
        return {t.strip().casefold() for t in self.titles.splitlines() if t.strip()}


class RoleProfileLevel(models.Model):
    profile = models.ForeignKey(
        RoleProfile, models.CASCADE, related_name="levels", verbose_name=_("profile")
    )
    competence = models.ForeignKey(
        Competence, models.PROTECT, related_name="+", verbose_name=_("competence")
    )
    level = models.PositiveSmallIntegerField(_("expected level"))

    class Meta:
        verbose_name = _("expected level in a role profile")
        verbose_name_plural = _("expected levels in role profiles")
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "competence"], name="role_profile_level_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.profile}: {self.competence} = {self.level}"


class ProfileAssignment(models.Model):
    """A role profile given to a person by hand; it wins over a title match."""

    person = models.OneToOneField(
        Person,
        models.CASCADE,
        related_name="profile_assignment",
        verbose_name=_("person"),
    )
    profile = models.ForeignKey(
        RoleProfile,
        models.CASCADE,
        related_name="assignments",
        verbose_name=_("role profile"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)

    class Meta:
        verbose_name = _("role profile assignment")
        verbose_name_plural = _("role profile assignments")

    def __str__(self) -> str:
        return f"{self.person}: {self.profile}"
