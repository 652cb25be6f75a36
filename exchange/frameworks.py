"""Import and export of whole frameworks in the exchange formats.

An import is parsed and checked completely before anything is written,
then written in one transaction by the catalogue's own loader: a file
with any fault changes nothing, and the same file imported twice changes
nothing the second time.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.loading import (
    FrameworkFileError,
    LoadResult,
    framework_data,
    load_framework,
    validate,
)
from catalogue.models import Framework
from catalogue.versions import retire_older
from exchange.case import from_case, to_case
from exchange.errors import ExchangeError, as_uuid
from exchange.moodle import from_moodle, to_moodle

logger = logging.getLogger(__name__)

FORMATS = ("case", "moodle")
MAX_BYTES = 2 * 1024 * 1024


def guess_format(content: bytes) -> str:
    start = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return "case" if start in (b"{", b"[") else "moodle"


def decode(content: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 as Norwegian Excel
    writes it."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def too_large(size: int | None) -> str:
    """The fault for a file over the limit, in megabytes as people read
    them. `size` is the file's real size when known; callers read only one
    byte past the limit, so the length they hold is not it."""
    limit = filesizeformat(MAX_BYTES)
    if size is not None and size > MAX_BYTES and filesizeformat(size) != limit:
        return _("The file is %(size)s; the limit is %(limit)s.") % {
            "size": filesizeformat(size),
            "limit": limit,
        }
    return _("The file is larger than the limit of %(limit)s.") % {"limit": limit}


class _Object(dict):
    """A JSON object that remembers the keys it had more than once."""

    duplicates: list[str]


def _object(pairs: list[tuple[str, Any]]) -> _Object:
    obj = _Object(pairs)
    keys = [key for key, _value in pairs]
    obj.duplicates = sorted({key for key in keys if keys.count(key) > 1})
    return obj


def _duplicate_keys(package: Any) -> list[str]:
    """A fault for each key an object has twice: JSON readers disagree on
    which value wins, so the file is ambiguous. A walk without recursion."""
    problems = []
    stack: list[tuple[str, Any]] = [("$", package)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, _Object):
            problems += [
                _("%(where)s.%(key)s: the key appears more than once")
                % {"where": where, "key": key}
                for key in value.duplicates
            ]
            stack.extend((f"{where}.{key}", item) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((f"{where}[{i}]", item) for i, item in enumerate(value))
    return sorted(problems)


def read_json(text: str) -> Any:
    """The JSON document, or ExchangeError with the place it breaks."""
    try:
        package = json.loads(text, object_pairs_hook=_object)
    except json.JSONDecodeError as exc:
        raise ExchangeError(
            [
                _("$: invalid JSON at line %(line)s, column %(column)s: %(error)s")
                % {"line": exc.lineno, "column": exc.colno, "error": exc.msg}
            ]
        ) from exc
    except RecursionError as exc:
        raise ExchangeError([_("$: the JSON is nested too deeply")]) from exc
    except ValueError as exc:
        # Python refuses to read a number of thousands of digits.
        raise ExchangeError([_("$: a number in the file has too many digits")]) from exc
    problems = _duplicate_keys(package)
    if problems:
        raise ExchangeError(problems)
    return package


def parse(
    content: bytes, fmt: str | None = None, *, size: int | None = None
) -> dict[str, Any]:
    """The framework in the file, in the product's format. `size` is the
    file's size when the caller read only part of it."""
    if len(content) > MAX_BYTES or (size is not None and size > MAX_BYTES):
        raise ExchangeError([too_large(size)])
    fmt = fmt or guess_format(content)
    text = decode(content)
    if fmt == "moodle":
        return from_moodle(text)
    return from_case(read_json(text))


def import_framework(
    content: bytes,
    fmt: str | None = None,
    *,
    dry_run: bool = False,
    size: int | None = None,
) -> LoadResult:
    """Write the framework in the file; with dry_run, report what would
    change and write nothing."""
    data = parse(content, fmt, size=size)
    try:
        # Everything but the status is checked before the database is
        # asked anything about the file.
        validate({**data, "status": data.get("status") or Framework.Status.DRAFT})
    except FrameworkFileError as exc:
        raise ExchangeError(exc.problems) from exc
    if data.get("status") is None:
        # Moodle has no status: an existing version keeps its own, a new
        # one arrives as a draft for the owners to review.
        existing = Framework.objects.filter(
            uuid=data["uuid"], version=data["version"]
        ).first()
        data["status"] = existing.status if existing else Framework.Status.DRAFT
    try:
        validate(data)
        with transaction.atomic():
            result = load_framework(data)
            # A new published version takes over from the one before it,
            # as publishing a draft in the product does.
            if result.framework.status == Framework.Status.PUBLISHED:
                retire_older(result.framework)
            transaction.set_rollback(dry_run)
    except FrameworkFileError as exc:
        raise ExchangeError(exc.problems) from exc
    except ValidationError as exc:
        raise ExchangeError(exc.messages) from exc
    logger.info("Imported %s: %s", result.framework, dict(result.counts))
    return result


def export_framework(framework: Framework, fmt: str) -> bytes:
    data = framework_data(framework)
    if fmt == "moodle":
        return to_moodle(data)
    package = to_case(data, timezone.now())
    return json.dumps(package, ensure_ascii=False, indent=2).encode("utf-8")


def find_framework(name: str, version: int | None = None) -> Framework | None:
    """By name or UUID: the given version, else the published one, else the
    newest."""
    frameworks = Framework.objects.select_related("scale")
    matches = frameworks.filter(name=name)
    if not matches.exists():
        identifier = as_uuid(name)
        if identifier is None:
            return None
        matches = frameworks.filter(uuid=identifier)
    if version is not None:
        return matches.filter(version=version).first()
    return (
        matches.filter(status=Framework.Status.PUBLISHED).first()
        or matches.order_by("-version").first()
    )
