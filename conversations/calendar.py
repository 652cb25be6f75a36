"""Planned conversations as an iCalendar file (RFC 5545).

Times are written in UTC (the `Z` form), which every calendar converts to
its own zone, so no VTIMEZONE block is needed. Lines end in CRLF and are
folded at 75 octets without splitting a UTF-8 character.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable

from django.utils import timezone

from conversations.models import Conversation

LENGTH = datetime.timedelta(hours=1)


# Control characters a TEXT value may not hold: all but tab (line breaks
# are escaped before this applies).
CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f]")


def escape(text: str) -> str:
    """Text escaped for a TEXT value: backslash, semicolon, comma, newline;
    other control characters but tab are left out."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    text = text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    return CONTROL.sub("", text)


def fold(line: str) -> str:
    """The line folded into pieces of at most 75 octets."""
    pieces, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        limit = 75 if not pieces else 74  # a continuation starts with a space
        if size + width > limit:
            pieces.append(current)
            current, size = "", 0
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def stamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(
    conversations: Iterable[Conversation], *, host: str, titles: dict[str, str]
) -> bytes:
    """The file; `titles` gives the summary per conversation kind (in the
    user's language), `host` makes the UIDs globally unique."""
    now = stamp(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Kompetansemodul//Samtaler//NB",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    for conversation in conversations:
        summary = f"{titles[conversation.kind]}: {conversation.person.full_name}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:conversation-{conversation.pk}@{host}",
            f"DTSTAMP:{now}",
            f"DTSTART:{stamp(conversation.planned_at)}",
            f"DTEND:{stamp(conversation.planned_at + LENGTH)}",
            f"SUMMARY:{escape(summary)}",
        ]
        if conversation.participants:
            lines.append(f"DESCRIPTION:{escape(conversation.participants)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines).encode()
