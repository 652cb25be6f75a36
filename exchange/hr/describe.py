"""What an HR import plan does to people, as lines a person reads: the
preview page and the command's verbose summary show the same words."""

from __future__ import annotations

from django.utils.translation import gettext as _

from exchange.hr.sync import Plan
from exchange.hr.validation import PersonData
from organisation.models import OrgUnit


def _who(person: PersonData) -> str:
    return _("%(first)s %(last)s (%(number)s)") % {
        "first": person.first_name,
        "last": person.last_name,
        "number": person.employee_number,
    }


def _changes(plan: Plan, person: PersonData) -> str:
    return "; ".join(
        _("%(column)s: %(old)s → %(new)s")
        % {
            "column": plan.labels.get(name, name),
            "old": old or _("(empty)"),
            "new": new or _("(empty)"),
        }
        for name, old, new in plan.changes.get(person.employee_number, [])
    )


def unit_names(plan: Plan, codes: set[str]) -> dict[str, str]:
    """The units by these codes as a reader knows them: "name (code)", the
    name from the file, else from the database (one query)."""
    names = {
        code: unit.name for code, unit in plan.snapshot.units.items() if code in codes
    }
    missing = codes - set(names)
    if missing:
        names |= dict(
            OrgUnit.objects.filter(code__in=missing).values_list("code", "name")
        )
    return {
        code: _("%(name)s (%(code)s)") % {"name": names[code], "code": code}
        for code in codes
        if code in names
    }


def people_lines(plan: Plan, limit: int | None = None) -> list[str]:
    """One line per person the plan adds, changes, moves, brings back or
    marks as left; at most `limit` of each kind."""
    shown = [
        *plan.new_people[:limit],
        *plan.moved_people[:limit],
        *plan.left_people[:limit],
    ]
    codes = {p.unit_code for p in shown} | {
        plan.moved_from.get(p.employee_number) or "" for p in plan.moved_people[:limit]
    }
    units = unit_names(plan, codes - {""})

    def unit(code: str | None) -> str:
        return units.get(code or "", code or _("(none)"))

    lines = [
        _("New: %(who)s, %(unit)s") % {"who": _who(p), "unit": unit(p.unit_code)}
        for p in plan.new_people[:limit]
    ]
    lines += [
        _("Changed: %(who)s: %(changes)s")
        % {"who": _who(p), "changes": _changes(plan, p)}
        for p in plan.changed_people[:limit]
    ]
    for p in plan.returning_people[:limit]:
        changes = _changes(plan, p)
        lines.append(
            _("Back: %(who)s: %(changes)s") % {"who": _who(p), "changes": changes}
            if changes
            else _("Back: %(who)s") % {"who": _who(p)}
        )
    lines += [
        _("Moved: %(who)s, %(old)s → %(new)s")
        % {
            "who": _who(p),
            "old": unit(plan.moved_from.get(p.employee_number)),
            "new": unit(p.unit_code),
        }
        for p in plan.moved_people[:limit]
    ]
    lines += [
        _("Left: %(who)s, %(unit)s") % {"who": _who(p), "unit": unit(p.unit_code)}
        for p in plan.left_people[:limit]
    ]
    return lines
