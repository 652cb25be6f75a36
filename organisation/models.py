"""The organisation: a tree of units and the people in them.

The tree is stored as a materialised path: each unit's `path` is its
ancestors' ids and its own, zero-padded and joined by "/". A subtree is
then one range scan on an indexed column, on SQLite and PostgreSQL alike
(`startswith` would compile to LIKE ... ESCAPE, which SQLite cannot serve
from an index).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _

SEGMENT_WIDTH = 10
PATH_LENGTH = 400
# How deep the tree may go: one path segment per level.
MAX_DEPTH = PATH_LENGTH // (SEGMENT_WIDTH + 1)
# Sorts after every character a path holds (digits and "/").
PATH_END = "~"


def path_segment(pk: int) -> str:
    return f"{pk:0{SEGMENT_WIDTH}d}/"


class OrgUnitQuerySet(models.QuerySet["OrgUnit"]):
    def subtree(self, unit: OrgUnit) -> OrgUnitQuerySet:
        """The unit and every unit below it."""
        return self.filter(path__gte=unit.path, path__lt=unit.path + PATH_END)


class OrgUnit(models.Model):
    code = models.CharField(_("unit code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    path = models.CharField(max_length=PATH_LENGTH, db_index=True, editable=False)
    leaders = models.ManyToManyField(
        "Person", blank=True, related_name="led_units", verbose_name=_("leaders")
    )

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name

    @transaction.atomic
    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        # The path needs the unit's own id, which exists only after the
        # insert; a new unit is therefore written twice.
        if self.pk is None:
            self.path = ""
            super().save(*args, **kwargs)
            kwargs = {"update_fields": ["path"]}
        fields = kwargs.get("update_fields")
        if fields is not None and "parent" in fields and "path" not in fields:
            kwargs["update_fields"] = [*fields, "path"]
        elif fields is not None and "path" not in fields:
            # The parent is not saved, so the paths stay as they are.
            super().save(*args, **kwargs)
            return
        old = OrgUnit.objects.filter(pk=self.pk).values_list("path", flat=True).first()
        prefix = self.parent.path if self.parent_id else ""
        new = prefix + path_segment(self.pk)
        if old and new != old and new.startswith(old):
            raise ValueError(f"{self} cannot be placed under itself or a unit below it")
        self.path = new
        super().save(*args, **kwargs)
        if old and new != old:
            # A moved unit takes everything below it along: one statement
            # rewrites the start of every path in its old subtree.
            OrgUnit.objects.filter(path__gt=old, path__lt=old + PATH_END).update(
                path=Concat(
                    Value(new),
                    Substr("path", len(old) + 1),
                    output_field=models.CharField(),
                )
            )

    def clean(self) -> None:
        super().clean()
        # self.path is still the stored one: the form does not set it.
        moved_below_itself = (
            self.pk is not None
            and self.parent_id is not None
            and bool(self.path)
            and self.parent.path.startswith(self.path)
        )
        if moved_below_itself:
            message = _(
                "A unit cannot be placed under itself or under a unit below it."
            )
            raise ValidationError({"parent": message})

    @property
    def depth(self) -> int:
        return self.path.count("/")


class PersonQuerySet(models.QuerySet["Person"]):
    def active(self) -> PersonQuerySet:
        return self.filter(active=True)

    def in_subtree(self, unit: OrgUnit) -> PersonQuerySet:
        return self.filter(
            unit__path__gte=unit.path, unit__path__lt=unit.path + PATH_END
        )


class Person(models.Model):
    employee_number = models.CharField(_("employee number"), max_length=50, unique=True)
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("surname"), max_length=150)
    email = models.EmailField(_("e-mail"), blank=True)
    title = models.CharField(_("position title"), max_length=200, blank=True)
    unit = models.ForeignKey(
        OrgUnit, models.PROTECT, related_name="members", verbose_name=_("unit")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("login"),
    )
    active = models.BooleanField(_("active"), default=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "employee_number"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Role(models.Model):
    """A role beyond leader and employee, which come from the organisation.

    An HR adviser's role names the unit whose subtree they serve; they read
    the people there and change them only when `can_change_people` is set.
    """

    class Kind(models.TextChoices):
        HR = "hr", _("HR adviser")
        CATALOGUE_OWNER = "catalogue_owner", _("catalogue owner")
        ADMINISTRATOR = "administrator", _("administrator")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="roles",
        verbose_name=_("login"),
    )
    kind = models.CharField(_("role"), max_length=20, choices=Kind)
    unit = models.ForeignKey(
        OrgUnit,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="roles",
        verbose_name=_("unit"),
        help_text=_("For HR advisers: the unit whose subtree they serve."),
    )
    can_change_people = models.BooleanField(_("may change people"), default=False)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="hr") | models.Q(unit__isnull=False),
                name="role_hr_needs_unit",
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "unit"], name="role_unique"
            ),
        ]

    def __str__(self) -> str:
        where = f" ({self.unit})" if self.unit_id else ""
        return f"{self.user}: {self.get_kind_display()}{where}"
