"""The HR import as one call: read both files, validate, plan, and apply
unless it is a dry run or anything is wrong."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from exchange.hr.reading import FileProblem, read_table
from exchange.hr.sync import Plan, apply, plan, scope_errors
from exchange.hr.validation import RowError, validate
from organisation.models import OrgUnit

Progress = Callable[[str], None]
# How many times an import that returns a plan calls `progress`.
STEPS = 5


def default_columns() -> dict[str, dict[str, str]]:
    return settings.HR_IMPORT_COLUMNS


def unit_names(units: Sequence[OrgUnit]) -> str:
    """ "A", "A and B", "A, B and C", in the active language."""
    names = [unit.name for unit in units]
    if len(names) < 2:
        return "".join(names)
    return _("%(first)s and %(last)s") % {
        "first": ", ".join(names[:-1]),
        "last": names[-1],
    }


def import_org(
    units: tuple[str, bytes],
    people: tuple[str, bytes],
    *,
    columns: Mapping[str, Mapping[str, str]] | None = None,
    within: Sequence[OrgUnit] | None = None,
    dry_run: bool = False,
    progress: Progress = lambda step: None,
) -> Plan:
    """Import (filename, content) pairs for the units and people files.

    Returns the plan, whose snapshot lists every faulty row; nothing is
    written when there is any fault or when `dry_run` is set. Raises
    FileProblem when a file as a whole cannot be read, or names a unit or
    person outside the subtrees of `within` (None: no such limit).
    """
    # A partial mapping overrides only the headers it names.
    columns = {
        kind: {**headers, **(columns or {}).get(kind, {})}
        for kind, headers in default_columns().items()
    }
    progress(_("Reading %(file)s") % {"file": units[0]})
    unit_table = read_table(units[1], units[0], columns["units"])
    progress(_("Reading %(file)s") % {"file": people[0]})
    people_table = read_table(people[1], people[0], columns["people"])
    # A file with a header and no rows would mark everyone as left.
    for table in (unit_table, people_table):
        if not table.rows and not table.faults:
            raise FileProblem(
                _("%(file)s has no rows; nothing was changed.")
                % {"file": table.filename}
            )

    # Plan and write in one transaction, so the plan is made against the
    # same database state that it is applied to.
    with transaction.atomic():
        existing = dict(OrgUnit.objects.order_by().values_list("code", "parent__code"))
        progress(
            _("Checking %(count)s rows")
            % {"count": len(unit_table.rows) + len(people_table.rows)}
        )
        snapshot = validate(unit_table, people_table, existing)
        if within is not None and not snapshot.errors:
            outside = scope_errors(snapshot, within)
            if outside:
                raise FileProblem(
                    _("The files name units or people outside %(units)s: %(codes)s.")
                    % {
                        "units": unit_names(within),
                        "codes": ", ".join(outside[:20]),
                    }
                )
        progress(_("Comparing with the database"))
        result = plan(snapshot, within)
        result.labels = columns["people"]
        if snapshot.errors:
            progress(_("Faulty rows: writing nothing"))
        elif not result.has_changes:
            progress(_("No changes to write"))
        elif dry_run:
            progress(_("Dry run: writing nothing"))
        else:
            progress(_("Writing changes"))
            apply(result)
    return result


__all__ = ["FileProblem", "Plan", "RowError", "import_org"]
