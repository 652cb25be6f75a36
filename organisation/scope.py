"""Who may see and change whom: the one place that answers it.

Every page, export and endpoint that shows personal data gets its people
through these functions. A person outside the caller's scope is answered
with 404, so a forged id does not even reveal that the person exists; a
person the caller may see but not change is answered with 403 when they
try to change them.

- An administrator (superuser, or the administrator role) sees and
  changes everyone.
- A leader sees and changes the people below the units they lead,
  including the leaders of units below; never themself, never a co-leader
  of the same top unit, and never a leader of a unit above (who may be
  registered in a unit below). A leader who has left leads nobody.
- An HR adviser sees the people in the subtrees of their roles and the
  leaders of the units there, and changes them only where the role
  allows it.
- Everyone sees their own profile; nobody changes their own expectations
  or leader assessments (the self-assessment is decided by its view).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from organisation.models import (
    PATH_END,
    OrgUnit,
    OrgUnitQuerySet,
    Person,
    PersonQuerySet,
    Role,
)

User = AbstractBaseUser | AnonymousUser


def person_for_user(user: User) -> Person | None:
    """The person record linked to this login, or None."""
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).select_related("unit").first()


def top_paths(paths: Iterable[str]) -> list[str]:
    """The paths that are not below another of the paths: the roots."""
    tops: list[str] = []
    for path in sorted(paths):
        if not any(path.startswith(top) for top in tops):
            tops.append(path)
    return tops


def top_led_paths(person: Person) -> list[str]:
    """Paths of the units a person leads that are not below another unit
    they lead: the roots of their scope. None for a person who has left."""
    if not person.active:
        return []
    return top_paths(person.led_units.values_list("path", flat=True))


def with_ancestors(paths: Iterable[str]) -> set[str]:
    """These paths and the paths of every unit above them."""
    found = set()
    for path in paths:
        segments = path.split("/")[:-1]
        for depth in range(1, len(segments) + 1):
            found.add("/".join(segments[:depth]) + "/")
    return found


def in_subtrees(paths: Iterable[str]) -> Q:
    """A filter on people whose unit lies in any of these subtrees."""
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(unit__path__gte=path, unit__path__lt=path + PATH_END)
    return condition


def leader_ids_in(paths: Iterable[str], *, strictly_below: bool = False):  # type: ignore[no-untyped-def]
    """Ids of the people who lead a unit in any of these subtrees (or only
    below their roots), wherever they are registered themselves."""
    units = Q(pk__in=[])
    for path in paths:
        low = (
            Q(orgunit__path__gt=path) if strictly_below else Q(orgunit__path__gte=path)
        )
        units |= low & Q(orgunit__path__lt=path + PATH_END)
    Leadership = OrgUnit.leaders.through
    return Leadership.objects.order_by().filter(units).values("person_id")


def member_ids_in(paths: Iterable[str]):  # type: ignore[no-untyped-def]
    return Person.objects.order_by().filter(in_subtrees(paths)).values("pk")


def served(paths: Iterable[str]) -> Q:
    """A filter on the people an HR adviser for these subtrees serves: the
    members and the leaders of the units there."""
    paths = list(paths)
    if not paths:
        return Q(pk__in=[])
    # One IN over a UNION: an OR of the two conditions would make both
    # databases read every person instead of using the two indexes.
    return Q(pk__in=member_ids_in(paths).union(leader_ids_in(paths)))


def led_by(tops: list[str]) -> Q:
    """A filter on the people led from these top units: everyone in their
    subtrees and the leaders of units below them, but nobody who leads one
    of these units or a unit above them."""
    if not tops:
        return Q(pk__in=[])
    Leadership = OrgUnit.leaders.through
    superiors = Leadership.objects.filter(
        orgunit__path__in=sorted(with_ancestors(tops))
    ).values("person_id")
    below = leader_ids_in(tops, strictly_below=True)
    return Q(pk__in=member_ids_in(tops).union(below)) & ~Q(pk__in=superiors)


def subordinates(person: Person) -> PersonQuerySet:
    """Everyone this person leads (see `led_by`), never the person."""
    tops = top_led_paths(person)
    if not tops:
        return Person.objects.none()
    return Person.objects.filter(led_by(tops)).exclude(pk=person.pk)


@dataclass(frozen=True)
class Scope:
    """What one login may reach, read from the database once: whether they
    are an administrator (who sees everyone), their own person, the top
    units they lead, and the subtrees they serve as HR adviser (all, and
    those they may change)."""

    administrator: bool = False
    own: Person | None = None
    led: tuple[str, ...] = ()
    hr_read: tuple[str, ...] = ()
    hr_change: tuple[str, ...] = ()

    def changeable(self) -> PersonQuerySet:
        """People whose expectations and leader assessments may be set."""
        if self.administrator:
            people = Person.objects.all()
        else:
            people = Person.objects.filter(
                led_by(list(self.led)) | served(self.hr_change)
            )
        if self.own is not None:
            people = people.exclude(pk=self.own.pk)
        return people

    def visible(self) -> PersonQuerySet:
        """People whose profile may be read: those that may be changed, the
        HR subtrees, and the own person."""
        if self.administrator:
            return Person.objects.all()
        condition = led_by(list(self.led)) | served(self.hr_read)
        if self.own is not None:
            condition |= Q(pk=self.own.pk)
        return Person.objects.filter(condition)


def scope_of(user: User) -> Scope:
    """The scope of this login, in at most three queries."""
    if not user.is_authenticated:
        return Scope()
    roles = list(
        Role.objects.filter(user_id=user.pk).values_list(
            "kind", "unit__path", "can_change_people"
        )
    )
    own = person_for_user(user)
    hr = [(path, change) for kind, path, change in roles if kind == Role.Kind.HR]
    return Scope(
        administrator=user.is_superuser
        or any(kind == Role.Kind.ADMINISTRATOR for kind, _path, _change in roles),
        own=own,
        led=tuple(top_led_paths(own)) if own else (),
        hr_read=tuple(path for path, _change in hr),
        hr_change=tuple(path for path, change in hr if change),
    )


def has_role(user: User, kind: str) -> bool:
    """Whether the user holds this role; administrators hold every role."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    kinds = {kind, Role.Kind.ADMINISTRATOR}
    return Role.objects.filter(user_id=user.pk, kind__in=kinds).exists()


def is_administrator(user: User) -> bool:
    return has_role(user, Role.Kind.ADMINISTRATOR)


def is_catalogue_owner(user: User) -> bool:
    return has_role(user, Role.Kind.CATALOGUE_OWNER)


def require_administrator(user: User) -> None:
    """Raise PermissionDenied unless the user is an administrator."""
    if not is_administrator(user):
        raise PermissionDenied


def hr_paths(user: User, *, changing: bool = False) -> list[str]:
    """Paths of the units whose subtrees this user serves as HR adviser."""
    scope = scope_of(user)
    return list(scope.hr_change if changing else scope.hr_read)


def changeable_people(user: User) -> PersonQuerySet:
    """People whose expectations and leader assessments this user may set;
    never the user's own person."""
    return scope_of(user).changeable()


def visible_people(user: User) -> PersonQuerySet:
    """People whose profile this user may read."""
    return scope_of(user).visible()


def get_visible_person(user: User, pk: int) -> Person:
    """The person with this id if the user may read them, else 404."""
    person = visible_people(user).select_related("unit").filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


def get_changeable_person(user: User, pk: int) -> Person:
    """The person with this id if the user may set their expectations and
    leader assessments. 404 if the user may not see them, 403 if they may
    see but not change them (their own person, a read-only HR adviser)."""
    scope = scope_of(user)
    changeable = scope.changeable().filter(pk=OuterRef("pk"))
    person = (
        scope.visible()
        .select_related("unit")
        .annotate(changeable=Exists(changeable))
        .filter(pk=pk)
        .first()
    )
    if person is None:
        raise Http404
    if not person.changeable:
        raise PermissionDenied
    return person


def may_change(user: User, person: Person) -> bool:
    """Whether this user may set the person's expectations and leader
    assessments."""
    return changeable_people(user).filter(pk=person.pk).exists()


def import_scope(user: User) -> tuple[bool, list[OrgUnit] | None]:
    """Whether the user may import HR files, and the units whose subtrees
    the files must stay within (None: the whole organisation). An HR
    adviser with several "may change people" roles gets the top units of
    all of them; a role below another of theirs adds nothing."""
    if is_administrator(user):
        return True, None
    units = {
        role.unit.path: role.unit
        for role in Role.objects.filter(
            user_id=user.pk, kind=Role.Kind.HR, can_change_people=True
        ).select_related("unit")
    }
    if not units:
        return False, None
    return True, [units[path] for path in top_paths(units)]


def unit_scope_paths(user: User, *, changing: bool = False) -> list[str] | None:
    """Paths of the units whose subtrees this user may analyse (or, with
    `changing`, act on): the units they lead and their HR subtrees. None
    means every unit."""
    if not user.is_authenticated:
        return []
    scope = scope_of(user)
    if scope.administrator:
        return None
    paths = list(scope.led)
    for path in scope.hr_change if changing else scope.hr_read:
        if not any(path.startswith(top) for top in paths):
            paths.append(path)
    return paths


def visible_units(user: User) -> OrgUnitQuerySet:
    """Units this user may analyse: the subtrees of the units a leader
    leads, an HR adviser's role subtrees, every unit for administrators."""
    paths = unit_scope_paths(user)
    if paths is None:
        return OrgUnit.objects.all()
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__gte=path, path__lt=path + PATH_END)
    return OrgUnit.objects.filter(condition)


def may_change_unit(user: User, unit: OrgUnit) -> bool:
    """Whether this user may decide actions for the unit's subtree: its
    leaders above it, HR advisers who may change people there, and
    administrators."""
    paths = unit_scope_paths(user, changing=True)
    return paths is None or any(unit.path.startswith(path) for path in paths)


def get_visible_unit(user: User, pk: int) -> OrgUnit:
    """The unit with this id if the user may analyse it, else 404."""
    unit = visible_units(user).filter(pk=pk).first()
    if unit is None:
        raise Http404
    return unit


def analysed_people(user: User, unit: OrgUnit) -> PersonQuerySet:
    """The active people of a unit's subtree whom this user may read,
    never the user themself: a leader is not in their own analysis.

    Usually the user's scope covers the whole unit, and then this is the
    subtree's members less those who lead the user's top units or a unit
    above them (see `led_by`), or less nobody for an administrator or an
    HR adviser serving the unit: a plain range on the unit path, which the
    analysis of a whole municipality needs rather than the general set."""
    scope = scope_of(user)
    people = Person.objects.active().in_subtree(unit)
    serves = any(unit.path.startswith(path) for path in scope.hr_read)
    if not (scope.administrator or serves):
        if any(unit.path.startswith(top) for top in scope.led):
            Leadership = OrgUnit.leaders.through
            superiors = Leadership.objects.filter(
                orgunit__path__in=sorted(with_ancestors(scope.led))
            ).values("person_id")
            people = people.exclude(pk__in=superiors)
        else:
            people = people.filter(pk__in=scope.visible().values("pk"))
    if scope.own is not None:
        people = people.exclude(pk=scope.own.pk)
    return people
