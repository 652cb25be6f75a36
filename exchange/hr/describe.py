"""What an HR import plan does to people, as lines a person reads: the
preview page and the command's verbose summary show the same words."""

from __future__ import annotations

from django.utils.translation import gettext as _

from exchange.hr.sync import Plan
from exchange.hr.validation import PersonData


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


def people_lines(plan: Plan, limit: int | None = None) -> list[str]:
    """One line per person the plan adds, changes, moves, brings back or
    marks as left; at most `limit` of each kind."""
    lines = [
        _("New: %(who)s, %(unit)s") % {"who": _who(p), "unit": p.unit_code}
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
            "old": plan.moved_from.get(p.employee_number) or _("(none)"),
            "new": p.unit_code,
        }
        for p in plan.moved_people[:limit]
    ]
    lines += [
        _("Left: %(who)s, %(unit)s") % {"who": _who(p), "unit": p.unit_code}
        for p in plan.left_people[:limit]
    ]
    return lines
