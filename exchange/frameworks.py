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

from django.db import transaction
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
    return "case" if content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{" else "moodle"


def decode(content: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 as Norwegian Excel
    writes it."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def parse(content: bytes, fmt: str | None = None) -> dict[str, Any]:
    """The framework in the file, in the product's format."""
    if len(content) > MAX_BYTES:
        raise ExchangeError(
            [
                _("The file is %(size)s bytes; the limit is %(limit)s.")
                % {"size": len(content), "limit": MAX_BYTES}
            ]
        )
    fmt = fmt or guess_format(content)
    text = decode(content)
    if fmt == "moodle":
        return from_moodle(text)
    try:
        package = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ExchangeError(
            [
                _("$: invalid JSON at line %(line)s, column %(column)s: %(error)s")
                % {"line": exc.lineno, "column": exc.colno, "error": exc.msg}
            ]
        ) from exc
    return from_case(package)


def import_framework(
    content: bytes, fmt: str | None = None, *, dry_run: bool = False
) -> LoadResult:
    """Write the framework in the file; with dry_run, report what would
    change and write nothing."""
    data = parse(content, fmt)
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
