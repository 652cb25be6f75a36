"""Reading an id from user input (a query string, a form, a URL part)."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

# Database ids are 64-bit signed integers (SQLite INTEGER, PostgreSQL bigint).
LARGEST_ID = 2**63 - 1

_ASCII_DIGITS = re.compile(r"[0-9]+")


def parse_id(value: object) -> int | None:
    """The id written in `value`, or None when it cannot be one.

    Only ASCII digits count: str.isdigit() and int() also accept other
    scripts' digits and superscripts such as "²", and int() takes signs,
    spaces and underscores. A number beyond the 64-bit range would overflow
    the database's integer, so it is None as well.
    """
    if not isinstance(value, str) or not _ASCII_DIGITS.fullmatch(value):
        return None
    if len(value) > len(str(LARGEST_ID)):
        return None
    number = int(value)
    return number if number <= LARGEST_ID else None


class IdField(forms.Field):
    """A form field for an id, read by `parse_id`; None when left empty."""

    default_error_messages = {"invalid": _("Enter a valid id.")}

    def to_python(self, value: object) -> int | None:
        if value in self.empty_values:
            return None
        pk = parse_id(str(value))
        if pk is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return pk
