"""E-mail to people whose expectations a leader set or changed.

One message per person per save, however many competences changed, with
a link to their own page. Written in the site's default language: the
recipient's choice of language is not known outside a request.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from organisation.models import Person


def my_page_url() -> str:
    return settings.SITE_URL.rstrip("/") + reverse("profiles:me")


def tell_about_expectations(
    people: Iterable[Person],
    by_name: str,
    *,
    profile_name: str = "",
    profile_changed: bool = False,
) -> int:
    """Send one message to each of these people that has an e-mail
    address; returns how many were sent. With a profile name, the message
    says they were given that profile, or with profile_changed that its
    levels changed."""
    with translation.override(settings.LANGUAGE_CODE):
        messages = [
            EmailMessage(
                subject=_("Your expected competence levels have changed"),
                body=render_to_string(
                    "profiles/email/expectations_changed.txt",
                    {
                        "person": person,
                        "by_name": by_name,
                        "profile_name": profile_name,
                        "profile_changed": profile_changed,
                        "url": my_page_url(),
                    },
                ),
                to=[person.email],
            )
            for person in people
            if person.email
        ]
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0
