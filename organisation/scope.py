"""Who may see and change whom: the one place that answers it.

Every page, export and endpoint that shows personal data gets its people
through these functions. A person outside the caller's scope is answered
with 404, so a forged id does not even reveal that the person exists.

- An administrator (superuser) sees and changes everyone.
- A leader sees and changes the people below the units they lead,
  including the leaders of units below; never themself, and never a
  co-leader of the same top unit.
- Everyone sees their own profile; what they may change there is decided
  by the view (their self-assessment, not their expectations).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q
from django.http import Http404

from organisation.models import PATH_END, OrgUnit, Person, PersonQuerySet

User = AbstractBaseUser | AnonymousUser


def person_for_user(user: User) -> Person | None:
    """The person record linked to this login, or None."""
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).select_related("unit").first()


def top_led_paths(person: Person) -> list[str]:
    """Paths of the units a person leads that are not below another unit
    they lead: the roots of their scope."""
    paths = sorted(person.led_units.values_list("path", flat=True))
    tops: list[str] = []
    for path in paths:
        if not any(path.startswith(top) for top in tops):
            tops.append(path)
    return tops


def subordinates(person: Person) -> PersonQuerySet:
    """Everyone below the units this person leads, leaders of units below
    included, the person and co-leaders of their top units excluded."""
    tops = top_led_paths(person)
    if not tops:
        return Person.objects.none()
    members = Q()
    sub_leaders = Q()
    for top in tops:
        members |= Q(unit__path__gte=top, unit__path__lt=top + PATH_END)
        sub_leaders |= Q(orgunit__path__gt=top, orgunit__path__lt=top + PATH_END)
    Leadership = OrgUnit.leaders.through
    leaders_below = Leadership.objects.filter(sub_leaders).values("person_id")
    peers = Leadership.objects.filter(orgunit__path__in=tops).values("person_id")
    return (
        Person.objects.filter(members | Q(pk__in=leaders_below))
        .exclude(pk__in=peers)
        .exclude(pk=person.pk)
    )


def changeable_people(user: User) -> PersonQuerySet:
    """People whose expectations and leader assessments this user may set."""
    if not user.is_authenticated:
        return Person.objects.none()
    if user.is_superuser:
        return Person.objects.all()
    person = person_for_user(user)
    if person is None:
        return Person.objects.none()
    return subordinates(person)


def visible_people(user: User) -> PersonQuerySet:
    """People whose profile this user may read: their subordinates and
    themself."""
    own = person_for_user(user)
    people = changeable_people(user)
    if own is not None and not user.is_superuser:
        people = Person.objects.filter(Q(pk__in=people.values("pk")) | Q(pk=own.pk))
    return people


def get_visible_person(user: User, pk: int) -> Person:
    """The person with this id if the user may read them, else 404."""
    person = visible_people(user).select_related("unit").filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


def get_changeable_person(user: User, pk: int) -> Person:
    """The person with this id if the user may set their expectations and
    leader assessments, else 404. Never the user themself."""
    person = changeable_people(user).select_related("unit").filter(pk=pk).first()
    if person is None:
        raise Http404
    own = person_for_user(user)
    if own is not None and own.pk == person.pk:
        raise Http404
    return person


def may_change(user: User, person: Person) -> bool:
    """Whether this user may set the person's expectations and leader
    assessments."""
    own = person_for_user(user)
    if own is not None and own.pk == person.pk:
        return False
    return changeable_people(user).filter(pk=person.pk).exists()
