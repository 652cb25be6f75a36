from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit import throttle
from audit.models import AccessLog


def start_of(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of this local day, as an aware datetime."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def words_match(value: str, fields: list[str]) -> Q:
    """Every word of the value is found in one of the fields."""
    condition = Q()
    for word in value.split():
        either = Q()
        for field in fields:
            either |= Q(**{f"{field}__icontains": word})
        condition &= either
    return condition


class AccessLogFilterForm(forms.Form):
    """The filters of the access log page and its exports; all optional."""

    user = forms.CharField(label=_("Who"), required=False, max_length=150)
    person = forms.CharField(
        label=_("Whom"),
        required=False,
        max_length=150,
        help_text=_("Name or employee number"),
    )
    action = forms.ChoiceField(
        label=_("What"),
        required=False,
        choices=[("", _("All")), *AccessLog.Action.choices],
    )
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return cleaned

    def entries(self) -> QuerySet[AccessLog]:
        """The log entries that match, newest first, with who and whom."""
        data = self.cleaned_data
        entries = AccessLog.objects.select_related("user__person", "person")
        if data["user"]:
            entries = entries.filter(
                words_match(
                    data["user"],
                    [
                        "user__username",
                        "user__person__first_name",
                        "user__person__last_name",
                    ],
                )
            )
        if data["person"]:
            entries = entries.filter(
                Q(person__employee_number=data["person"].strip())
                | words_match(
                    data["person"], ["person__first_name", "person__last_name"]
                )
            )
        if data["action"]:
            entries = entries.filter(action=data["action"])
        if data["date_from"]:
            entries = entries.filter(at__gte=start_of(data["date_from"]))
        if data["date_to"]:
            next_day = data["date_to"] + datetime.timedelta(days=1)
            entries = entries.filter(at__lt=start_of(next_day))
        return entries.order_by("-at", "-pk")


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's login form, refusing a username or address that has failed
    too often lately (audit/throttle.py)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _(
            "Too many failed attempts to log in. Wait %(minutes)s minutes and "
            "try again, or ask your administrator for help."
        ),
    }

    def clean(self) -> dict:
        username = self.cleaned_data.get("username") or ""
        address = self.request.META.get("REMOTE_ADDR") if self.request else None
        if username and throttle.is_blocked(username, address):
            raise ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"minutes": settings.LOGIN_FAILURE_MINUTES},
            )
        try:
            data = super().clean()
        except ValidationError:
            if username:
                throttle.record_failure(username, address)
            raise
        throttle.clear(username)
        return data
