from __future__ import annotations

import uuid


class ExchangeError(Exception):
    """A file that cannot be imported; `problems` names each fault by its
    JSON path or CSV row."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def derived_uuid(*parts: object) -> str:
    """A stable identifier for something the catalogue keeps no UUID for
    (a rubric criterion, an association, a Moodle row without one): the
    same parts give the same lowercase identifier, shaped as a version 4
    UUID because CASE expects those."""
    name = "/".join(str(part).lower() for part in parts)
    raw = uuid.uuid5(uuid.NAMESPACE_URL, "kompetansemodul:" + name)
    return str(uuid.UUID(bytes=raw.bytes, version=4))


def as_uuid(value: object) -> str | None:
    """The value as a lowercase UUID string, or None if it is not one."""
    if not isinstance(value, str):
        return None
    try:
        return str(uuid.UUID(value.strip()))
    except ValueError:
        return None
