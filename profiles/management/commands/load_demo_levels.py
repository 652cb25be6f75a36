from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from catalogue.models import chosen_framework, competences_of
from organisation.models import OrgUnit, Person, Role
from profiles.models import Expectation, RoleProfile
from profiles.records import record_assessments, set_expectations
from profiles.roleprofiles import save_levels

# The demo HR adviser: serves Byrådsavdeling for finans and may change
# the people there.
HR_ADVISER = "kari.tran"
HR_UNIT = "E01"
# A role profile for the demo leader's section (Seksjon for innovasjon),
# given to nobody: the leader applies it from the team grid.
ROLE_PROFILE = "Rådgiver innovasjon"
ROLE_PROFILE_UNIT = "E01-2"


class Command(BaseCommand):
    help = (
        "Give the demo organisation expected levels, self- and leader "
        "assessments, and an HR adviser (after load_demo and load_framework), "
        "so that the team pages and the analysis have something to show. "
        "People who already have expectations are left alone."
    )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo data is for development only (DEBUG=1).")
        framework = chosen_framework(None)
        if framework is None or not Person.objects.exists():
            raise CommandError("Run load_framework and load_demo first.")
        competences = competences_of(framework)
        levels = framework.scale.level_numbers()
        low, high = min(levels), max(levels)

        given = set(Expectation.objects.values_list("person_id", flat=True))
        people = (
            Person.objects.active()
            .exclude(pk__in=given)
            .select_related("user", "unit")
            .order_by("employee_number")
        )
        made = 0
        for index, person in enumerate(people):
            leader = self.leader_of(person)
            if leader is None or person.user is None:
                continue  # the top leader has nobody to set theirs
            # Deterministic and varied: some meet the level, some fall
            # short by one or two, some are above it.
            expected = {
                c: min(high, low + 1 + (index + position) % 3)
                for position, c in enumerate(competences)
            }
            own = {
                c: max(low, min(high, level + 1 - (index * (position + 1)) % 3))
                for position, (c, level) in enumerate(expected.items())
            }
            lead = {c: max(low, level - 1) for c, level in own.items() if index % 2}
            set_expectations(person, expected, by=leader)
            record_assessments(
                person, "self", own, by=person.user, on=days_ago(30 - index % 20)
            )
            if lead:
                record_assessments(
                    person, "leader", lead, by=leader, on=days_ago(10 - index % 8)
                )
            made += 1

        hr = self.hr_adviser()
        profile = self.role_profile(competences, levels)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo levels: {made} people given expected levels and "
                f"assessments; HR adviser: {hr}; role profile: {profile}."
            )
        )

    def leader_of(self, person: Person):  # type: ignore[no-untyped-def]
        """A login that leads this person: the leader of their unit, or of
        the unit above for the unit's own leader."""
        unit: OrgUnit | None = person.unit
        if unit is not None and unit.leaders.filter(pk=person.pk).exists():
            unit = unit.parent
        while unit is not None:
            leader = unit.leaders.exclude(pk=person.pk).select_related("user").first()
            if leader is not None and leader.user is not None:
                return leader.user
            unit = unit.parent
        return None

    def role_profile(self, competences: list, levels: list[int]) -> str:  # type: ignore[type-arg]
        """The demo role profile, at the middle of the scale in every
        competence, kept by the leader of its unit."""
        unit = OrgUnit.objects.filter(code=ROLE_PROFILE_UNIT).first()
        leader = unit.leaders.select_related("user").first() if unit else None
        if unit is None or leader is None or leader.user is None:
            return "none (run load_demo first)"
        if not RoleProfile.objects.filter(name=ROLE_PROFILE, unit=unit).exists():
            middle = sorted(levels)[len(levels) // 2]
            save_levels(
                RoleProfile(name=ROLE_PROFILE, unit=unit),
                {c: middle for c in competences},
                by=leader.user,
            )
        return f"{ROLE_PROFILE} for {unit.name}"

    def hr_adviser(self) -> str:
        user = get_user_model().objects.filter(username=HR_ADVISER).first()
        unit = OrgUnit.objects.filter(code=HR_UNIT).first()
        if user is None or unit is None:
            return "none (run load_demo first)"
        Role.objects.get_or_create(
            user=user,
            kind=Role.Kind.HR,
            unit=unit,
            defaults={"can_change_people": True},
        )
        return f"{HR_ADVISER} for {unit.name}"


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)
