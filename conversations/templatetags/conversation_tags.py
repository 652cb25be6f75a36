from __future__ import annotations

from django import template
from django.core.exceptions import ObjectDoesNotExist

register = template.Library()


@register.filter
def who(user) -> str:  # type: ignore[no-untyped-def]
    """A login's person's name, else its username."""
    if user is None:
        return ""
    try:
        return user.person.full_name
    except ObjectDoesNotExist:
        return user.get_username()
