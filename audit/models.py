"""The access log: who read or changed whose personal data, and when.

Rows are only ever added. The login and the person are protected from
deletion while the log mentions them, so an entry never loses who or whom;
logins are deactivated, people marked as left.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisation.models import Person

# What the product writes as the detail of an entry, shown in the
# reader's language; any other detail (a role profile's name) as written.
DETAILS = {
    "analysis": _("gap analysis"),
    "admin": _("Django admin"),
    "pdf": _("conversation PDF"),
    "ics": _("calendar file"),
}


class AccessLog(models.Model):
    class Action(models.TextChoices):
        READ_PROFILE = "read_profile", _("read profile")
        READ_TEAM = "read_team", _("read team")
        CHANGE_EXPECTATIONS = "change_expectations", _("change expectations")
        CHANGE_ASSESSMENT = "change_assessment", _("change assessment")
        EXPORT = "export", _("export")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        verbose_name=_("who"),
    )
    person = models.ForeignKey(
        Person, models.PROTECT, related_name="+", verbose_name=_("whom")
    )
    action = models.CharField(_("what"), max_length=30, choices=Action)
    at = models.DateTimeField(_("when"), default=timezone.now)
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        indexes = [
            models.Index(fields=["-at", "-id"], name="accesslog_newest"),
            models.Index(fields=["person", "-at"], name="accesslog_person"),
            models.Index(fields=["user", "-at"], name="accesslog_user"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.person}"

    def get_detail_display(self) -> str:
        return str(DETAILS.get(self.detail, self.detail))


class FailedLogin(models.Model):
    """A failed attempt to log in, kept for a short while so that guessing
    passwords is slowed down (see audit/throttle.py)."""

    username = models.CharField(_("username"), max_length=150)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("failed login")
        verbose_name_plural = _("failed logins")
        indexes = [
            models.Index(fields=["username", "at"], name="failedlogin_username"),
            models.Index(fields=["address", "at"], name="failedlogin_address"),
            models.Index(fields=["at"], name="failedlogin_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.address or ''}"
