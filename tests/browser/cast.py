"""The people the browser tests log in as, with the bundled framework.

Browser tests run against a live server in another thread, so they cannot
share data made once per class: each test builds this cast again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from catalogue.comments import post_comment
from catalogue.models import Comment, Competence, Framework, Target
from catalogue.versions import start_draft
from conversations.models import Action, Conversation
from exchange.models import ImportUpload
from organisation.models import OrgUnit, Person, Role
from profiles.models import RoleProfile
from profiles.records import record_assessments, set_expectations
from tests.factories import (
    load_bundled_framework,
    make_person,
    make_role_profile,
    make_unit,
    make_user,
)

HR_FILES = Path(__file__).resolve().parent.parent / "data" / "org-small"


@dataclass(frozen=True)
class Cast:
    framework: Framework
    competences: list[Competence]
    leader: Person
    employee: Person
    colleague: Person
    hr_adviser: Person
    catalogue_owner: Person
    admin: AbstractBaseUser
    role_profile: RoleProfile
    # HR files the administrator has uploaded and not yet imported.
    upload: ImportUpload
    # The employee's comment on the first competence's description.
    comment: Comment
    # The catalogue owner's unpublished next version of the framework.
    draft: Framework
    draft_competence: Competence
    # The unit whose gaps the leader analyses.
    unit: OrgUnit
    # The leader's held conversation with the employee, with an action.
    conversation: Conversation


def make_cast() -> Cast:
    framework = load_bundled_framework()
    competences = list(framework.competences.order_by("position"))
    root = make_unit("Kommunen")
    section = make_unit("Seksjon for innovasjon", root)
    leader = make_person("Siri", section, leads=[section], last_name="Østby")
    employee = make_person(
        "Bjørn", section, last_name="Karlsen", title="Rådgiver", email="b@k.no"
    )
    colleague = make_person("Kari", section, last_name="Nilsen")
    hr_adviser = make_person("Hanne", root, last_name="Berg")
    Role.objects.create(user=hr_adviser.user, kind=Role.Kind.HR, unit=root)
    catalogue_owner = make_person("Ola", root, last_name="Dahl")
    Role.objects.create(user=catalogue_owner.user, kind=Role.Kind.CATALOGUE_OWNER)
    admin = make_user("admin", is_staff=True, is_superuser=True)

    # Every kind of cell: a gap, a met expectation, not assessed, and none.
    first, second, third = competences[:3]
    set_expectations(employee, {first: 3, second: 2, third: 2}, by=leader.user)
    record_assessments(employee, "self", {first: 1, second: 2}, by=employee.user)
    role_profile = make_role_profile(section, {first: 3, second: 2}, titles="Rådgiver")
    upload = ImportUpload.objects.create(
        user=admin,
        units_name="units.csv",
        units_data=(HR_FILES / "units.csv").read_bytes(),
        people_name="people.csv",
        people_data=(HR_FILES / "people.csv").read_bytes(),
    )
    comment = post_comment(
        framework,
        Target(Comment.Kind.COMPETENCE, first.uuid),
        employee.user,
        "Beskrivelsen kunne vært tydeligere.",
    )
    draft = start_draft(framework)
    conversation = Conversation.objects.create(
        person=employee,
        leader=leader.user,
        kind=Conversation.Kind.DEVELOPMENT,
        planned_at=timezone.now(),
        status=Conversation.Status.HELD,
        held_on=timezone.localdate(),
        notes="Bjørn ønsker å lære mer om tjenestedesign.",
    )
    Action.objects.create(
        person=employee,
        conversation=conversation,
        competence=first,
        kind=Action.Kind.DEVELOP,
        form=Action.Form.COURSE,
        description="Kurs i tjenestedesign",
        owner=employee.user,
        due_on=timezone.localdate(),
    )
    return Cast(
        framework=framework,
        competences=competences,
        leader=leader,
        employee=employee,
        colleague=colleague,
        hr_adviser=hr_adviser,
        catalogue_owner=catalogue_owner,
        admin=admin,
        role_profile=role_profile,
        upload=upload,
        comment=comment,
        draft=draft,
        draft_competence=draft.competences.order_by("position").first(),
        unit=section,
        conversation=conversation,
    )
