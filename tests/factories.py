"""Plain factories and a fixed cast for tests.

The cast, in a small tree:

    root "Kommunen"            led by top
    └── agency "Etaten"        led by leader
        ├── team "Teamet"      led by sub_leader; employee, colleague here
        └── other "Annen"      (empty)
    elsewhere "Et annet sted"  led by other_leader; outsider here

and logins without a person: admin (superuser), administrator (the
role), catalogue_owner, hr_reader (HR adviser for "Etaten", read-only) and
hr_changer (HR adviser for "Teamet", may change people).
"""

from __future__ import annotations

import itertools
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.test import TestCase

from catalogue.loading import bundled_framework_paths, load_framework_file
from catalogue.models import Competence, Framework, Level, Scale
from organisation.models import OrgUnit, Person, Role
from profiles.models import Assessment, RoleProfile, RoleProfileLevel

_numbers = itertools.count(1000)


def make_user(username: str, **extra: Any) -> AbstractBaseUser:
    return get_user_model().objects.create_user(
        username=username, password="pw", **extra
    )


def make_catalogue_owner(username: str = "owner") -> AbstractBaseUser:
    user = make_user(username, email=f"{username}@example.org")
    Role.objects.create(user=user, kind=Role.Kind.CATALOGUE_OWNER)
    return user


def make_unit(name: str, parent: OrgUnit | None = None, **extra: Any) -> OrgUnit:
    code = extra.pop("code", f"U{next(_numbers)}")
    return OrgUnit.objects.create(code=code, name=name, parent=parent, **extra)


def make_person(
    first_name: str,
    unit: OrgUnit,
    *,
    login: bool = True,
    leads: list[OrgUnit] | None = None,
    **extra: Any,
) -> Person:
    number = str(next(_numbers))
    person = Person.objects.create(
        employee_number=extra.pop("employee_number", number),
        first_name=first_name,
        last_name=extra.pop("last_name", "Testesen"),
        unit=unit,
        user=make_user(f"{first_name.lower()}{number}") if login else None,
        **extra,
    )
    for led in leads or []:
        led.leaders.add(person)
    return person


def make_role_user(username: str, kind: str, **role: Any) -> AbstractBaseUser:
    user = make_user(username)
    Role.objects.create(user=user, kind=kind, **role)
    return user


def make_framework(
    name: str = "Rammeverk",
    competences: int = 3,
    levels: int = 4,
    status: str = Framework.Status.PUBLISHED,
) -> Framework:
    scale = Scale.objects.create(name=f"Skala {name}")
    for number in range(1, levels + 1):
        Level.objects.create(scale=scale, number=number, name=f"Nivå {number}")
    framework = Framework.objects.create(name=name, scale=scale, status=status)
    for position in range(1, competences + 1):
        Competence.objects.create(
            framework=framework, name=f"Kompetanse {position}", position=position
        )
    return framework


def make_role_profile(
    unit: OrgUnit,
    levels: dict[Competence, int],
    *,
    name: str = "Rådgiver",
    titles: str = "",
) -> RoleProfile:
    profile = RoleProfile.objects.create(name=name, unit=unit, titles=titles)
    for competence, level in levels.items():
        RoleProfileLevel.objects.create(
            profile=profile, competence=competence, level=level
        )
    return profile


def admin_assessment_form(row: Assessment, **changes: Any) -> dict[str, Any]:
    """The Django admin's change form of an assessment as it stands, with
    these fields changed."""
    return {
        "person": row.person_id,
        "competence": row.competence_id,
        "kind": row.kind,
        "level": row.level,
        "assessed_on": row.assessed_on.isoformat(),
        "note": row.note,
        "assessed_by": row.assessed_by_id,
        "created_at_0": row.created_at.date().isoformat(),
        "created_at_1": "12:00:00",
        "is_current": "on" if row.is_current else "",
        **changes,
    }


def load_bundled_framework() -> Framework:
    [path] = bundled_framework_paths()
    return load_framework_file(path).framework


class CastTestCase(TestCase):
    """A small organisation with a person in every role."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.root = make_unit("Kommunen")
        cls.agency = make_unit("Etaten", cls.root)
        cls.team = make_unit("Teamet", cls.agency)
        cls.other = make_unit("Annen", cls.agency)
        cls.elsewhere = make_unit("Et annet sted", cls.root)

        cls.top = make_person("Topp", cls.root, leads=[cls.root])
        cls.leader = make_person("Leder", cls.agency, leads=[cls.agency])
        cls.sub_leader = make_person("Mellomleder", cls.team, leads=[cls.team])
        cls.employee = make_person("Ansatt", cls.team)
        cls.colleague = make_person("Kollega", cls.team)
        cls.other_leader = make_person(
            "Annenleder", cls.elsewhere, leads=[cls.elsewhere]
        )
        cls.outsider = make_person("Utenfor", cls.elsewhere)
        cls.admin = make_user("admin", is_staff=True, is_superuser=True)
        cls.administrator = make_role_user("administrator", Role.Kind.ADMINISTRATOR)
        cls.catalogue_owner = make_role_user(
            "catalogue.owner", Role.Kind.CATALOGUE_OWNER
        )
        cls.hr_reader = make_role_user("hr.reader", Role.Kind.HR, unit=cls.agency)
        cls.hr_changer = make_role_user(
            "hr.changer", Role.Kind.HR, unit=cls.team, can_change_people=True
        )

        cls.framework = make_framework()
        cls.competences = list(cls.framework.competences.all())

    def make_hr(self, *, can_change: bool, unit: OrgUnit | None = None):  # type: ignore[no-untyped-def]
        """A login with the HR adviser role for a subtree (the agency's)."""
        user = make_user(f"hr{next(_numbers)}")
        Role.objects.create(
            user=user,
            kind=Role.Kind.HR,
            unit=unit or self.agency,
            can_change_people=can_change,
        )
        return user

    def login(self, person: Person) -> None:
        self.client.force_login(person.user)
