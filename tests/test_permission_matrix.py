"""Every URL of the app, for every role, against every person in the cast.

`PAGES` says, for each URL name, how its arguments are built and what each
role may do with GET and POST. A URL that is missing from it fails
`test_every_url_is_in_the_table`, so a new page cannot slip through; how
to add one is in DEVELOPERS.md ("The permission matrix").

Each request runs in a savepoint that is rolled back, so every case starts
from the same database. A refused request must not send a single INSERT,
UPDATE or DELETE to the database (sessions aside), so it changed nothing;
an allowed GET may write only the access log; a POST answered with the
page's `writes` status must write.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessLog, FailedLogin
from catalogue.models import Comment, Framework
from catalogue.versions import start_draft
from conversations.models import Action, Conversation
from exchange.frameworks import export_framework
from exchange.models import ImportUpload
from organisation.models import OrgUnit, Person
from profiles.expectations import version_token
from profiles.models import RoleProfile
from profiles.records import record_assessments, set_expectations
from tests.factories import (
    CastTestCase,
    make_framework,
    make_person,
    make_role_profile,
)
from tests.routes import walk

# The cast's people by attribute name (see tests/factories.py).
PEOPLE = (
    "top",
    "leader",
    "sub_leader",
    "employee",
    "colleague",
    "other_leader",
    "outsider",
)
EVERYONE = frozenset(PEOPLE)
UNITS = ("root", "agency", "team", "other", "elsewhere")

# Who sees and who changes whom, written out by hand from DESIGN.md §3
# rather than asked of organisation.scope, so that a wrong scope fails here.
SEES: dict[str, frozenset[str]] = {
    "anonymous": frozenset(),
    "employee": frozenset({"employee"}),
    "colleague": frozenset({"colleague"}),
    "sub_leader": frozenset({"sub_leader", "employee", "colleague"}),
    "leader": frozenset({"leader", "sub_leader", "employee", "colleague"}),
    "other_leader": frozenset({"other_leader", "outsider"}),
    "top": EVERYONE,
    "hr_reader": frozenset({"leader", "sub_leader", "employee", "colleague"}),
    "hr_changer": frozenset({"sub_leader", "employee", "colleague"}),
    "catalogue_owner": frozenset(),
    "administrator": EVERYONE,
    "admin": EVERYONE,
}
CHANGES: dict[str, frozenset[str]] = {
    "anonymous": frozenset(),
    "employee": frozenset(),
    "colleague": frozenset(),
    "sub_leader": frozenset({"employee", "colleague"}),
    "leader": frozenset({"sub_leader", "employee", "colleague"}),
    "other_leader": frozenset({"outsider"}),
    "top": EVERYONE - {"top"},
    "hr_reader": frozenset(),
    "hr_changer": frozenset({"sub_leader", "employee", "colleague"}),
    "catalogue_owner": frozenset(),
    "administrator": EVERYONE,
    "admin": EVERYONE,
}
# Units whose people a role may see all of, for pages about a unit (a
# team grid, a heatmap): the subtrees they lead or serve.
UNITS_SEEN: dict[str, frozenset[str]] = {
    "anonymous": frozenset(),
    "employee": frozenset(),
    "colleague": frozenset(),
    "sub_leader": frozenset({"team"}),
    "leader": frozenset({"agency", "team", "other"}),
    "other_leader": frozenset({"elsewhere"}),
    "top": frozenset(UNITS),
    "hr_reader": frozenset({"agency", "team", "other"}),
    "hr_changer": frozenset({"team"}),
    "catalogue_owner": frozenset(),
    "administrator": frozenset(UNITS),
    "admin": frozenset(UNITS),
}
# Units whose role profiles a role keeps (creates and changes): leaders
# for the subtrees they lead, HR advisers only with the right to change.
# Those who see a unit's people but keep none of its profiles read them.
UNITS_KEPT: dict[str, frozenset[str]] = {
    "anonymous": frozenset(),
    "employee": frozenset(),
    "colleague": frozenset(),
    "sub_leader": frozenset({"team"}),
    "leader": frozenset({"agency", "team", "other"}),
    "other_leader": frozenset({"elsewhere"}),
    "top": frozenset(UNITS),
    "hr_reader": frozenset(),
    "hr_changer": frozenset({"team"}),
    "catalogue_owner": frozenset(),
    "administrator": frozenset(UNITS),
    "admin": frozenset(UNITS),
}
ADMINISTRATORS = frozenset({"administrator", "admin"})
CATALOGUE_OWNERS = ADMINISTRATORS | {"catalogue_owner"}
PROFILE_KEEPERS = frozenset(role for role, units in UNITS_KEPT.items() if units)
# Who may import the HR files: administrators, and HR advisers with the
# right to change people (within their subtree).
IMPORTERS = ADMINISTRATORS | {"hr_changer"}
# HR uploads, for the pages about one: the requesting user's own, and
# someone else's.
UPLOADS = ("mine", "theirs")
# Catalogue comments, for the pages about one: the requesting user's own
# while it may still change, their own once answered, and someone else's.
COMMENTS = ("mine", "answered", "theirs")
# Framework versions: everyone reads a published or retired one, only
# catalogue owners a draft.
VERSIONS = ("published", "retired", "draft")
# The draft pages, for a draft and for a published version, which they
# must never change.
EDITED = ("draft", "published")


@dataclass(frozen=True)
class Case:
    """One request: the role making it and, for pages about a person or a
    unit, the cast name of that person or unit."""

    role: str
    target: str | None
    has_person: bool


# A rule gives the status a role must get. Anonymous visitors never reach
# a rule unless the page is public: they are sent to the login page.
Rule = Callable[[Case], int]


def logged_in(ok: int = 200) -> Rule:
    return lambda case: ok


def method_not_allowed(case: Case) -> int:
    return 405


def sees(ok: int = 200) -> Rule:
    """For pages about a person: whoever sees them, else 404."""
    return lambda case: ok if case.target in SEES[case.role] else 404


def sees_unit(ok: int = 200) -> Rule:
    """For pages about a unit: whoever sees everyone in it, else 404."""
    return lambda case: ok if case.target in UNITS_SEEN[case.role] else 404


def changes(ok: int = 200) -> Rule:
    """For pages that change a person: whoever may change them; 403 for
    who sees but may not change them; 404 for everyone else."""

    def rule(case: Case) -> int:
        if case.target in CHANGES[case.role]:
            return ok
        return 403 if case.target in SEES[case.role] else 404

    return rule


def keeps_unit(ok: int = 200) -> Rule:
    """For pages that change a role profile of a unit: whoever keeps the
    unit's profiles; 403 for who only sees them; 404 for everyone else."""

    def rule(case: Case) -> int:
        if case.target in UNITS_KEPT[case.role]:
            return ok
        return 403 if case.target in UNITS_SEEN[case.role] else 404

    return rule


def creates_in_unit(ok: int) -> Rule:
    """For creating a role profile on a unit: whoever keeps the unit; 400
    (the unit is not a choice) for who keeps others; 403 for the rest."""

    def rule(case: Case) -> int:
        if case.target in UNITS_KEPT[case.role]:
            return ok
        return 400 if case.role in PROFILE_KEEPERS else 403

    return rule


# Who may change a leader but sees no role profile that may be given to
# them: the HR adviser of the team keeps only the team's profiles, which
# the sub-leader keeps too, and nothing lies above the top leader's unit.
# Applying a profile there ends in the grid with a message, saving nothing.
NO_PROFILE_TO_GIVE = frozenset(
    {("hr_changer", "sub_leader"), ("administrator", "top"), ("admin", "top")}
)


def gives_profile(case: Case) -> bool:
    return (case.role, case.target) not in NO_PROFILE_TO_GIVE


def own_upload(ok: int = 200) -> Rule:
    """For pages about an HR upload: an importer reaches only their own
    (someone else's is 404); whoever may not import gets 403."""

    def rule(case: Case) -> int:
        if case.role not in IMPORTERS:
            return 403
        return ok if case.target == "mine" else 404

    return rule


def own_comment(ok: int = 200) -> Rule:
    """For pages that change a comment: its author while it is new; 403
    once it is answered; someone else's is 404, moderators' included."""

    def rule(case: Case) -> int:
        return {"mine": ok, "answered": 403}.get(str(case.target), 404)

    return rule


def reads_version(ok: int = 200) -> Rule:
    """For pages about a framework version: a published or retired one
    for everyone, a draft for catalogue owners only (404 for the rest)."""

    def rule(case: Case) -> int:
        if case.target != "draft" or case.role in CATALOGUE_OWNERS:
            return ok
        return 404

    return rule


def edits_draft(ok: int = 200) -> Rule:
    """For the draft pages: catalogue owners, for a draft only (a published
    version is 404); 403 for everyone else, whatever the version."""

    def rule(case: Case) -> int:
        if case.role not in CATALOGUE_OWNERS:
            return 403
        return ok if case.target == "draft" else 404

    return rule


def starts_draft(ok: int) -> Rule:
    """For starting a draft: catalogue owners, from the published version
    only (404 for a retired one or a draft); 403 for everyone else."""

    def rule(case: Case) -> int:
        if case.role not in CATALOGUE_OWNERS:
            return 403
        return ok if case.target == "published" else 404

    return rule


def catalogue_version(ok: int = 200) -> Rule:
    """For the catalogue's page of a version: never a draft, which its
    owners edit on the draft's own page."""
    return lambda case: 404 if case.target == "draft" else ok


def analyses_some_unit(case: Case) -> int:
    """The analysis start page sends whoever analyses a unit to the one
    subtree they lead or serve (each role of the cast has one); 404 for
    whoever analyses none."""
    return 302 if UNITS_SEEN[case.role] else 404


def one_of(roles: frozenset[str], ok: int = 200, refused: int = 403) -> Rule:
    return lambda case: ok if case.role in roles else refused


def with_person(ok: int, without: int) -> Rule:
    """For pages about the user's own person."""
    return lambda case: ok if case.has_person else without


def anonymous_only(ok: int, otherwise: int) -> Rule:
    return lambda case: ok if case.role == "anonymous" else otherwise


# Builders of URL arguments and POST bodies get the test (for the cast) and
# the target: a person or unit of the cast, None for pages about neither.
Target = Any
Args = Callable[[CastTestCase, Target], list[Any]]
Body = Callable[[CastTestCase, Target], dict[str, Any]]
# Builds the target of a case when it is an object made for the test (a
# role profile on a unit, an upload) rather than a member of the cast.
Maker = Callable[[CastTestCase, "Case"], Target]


def user_of(test: CastTestCase, role: str) -> AbstractBaseUser | None:
    if role == "anonymous":
        return None
    member = getattr(test, role)
    return member.user if isinstance(member, Person) else member


def cast_member(test: CastTestCase, case: Case) -> Target:
    return getattr(test, case.target) if case.target else None


def profile_on_unit(test: CastTestCase, case: Case) -> RoleProfile:
    """A role profile on the case's unit."""
    unit = getattr(test, str(case.target))
    return make_role_profile(unit, {c: 2 for c in test.competences})


def upload(test: CastTestCase, case: Case) -> ImportUpload:
    """An HR upload describing the team as it is, owned by the requesting
    user ("mine") or by another login ("theirs"): valid for an importer of
    the whole organisation and for the HR adviser of the team alike."""
    user = user_of(test, case.role)
    if case.target == "theirs" or user is None:
        user = test.administrator if case.role == "admin" else test.admin
    units, people = team_files(test)
    return ImportUpload.objects.create(
        user=user,
        units_name=units.name,
        units_data=units.read(),
        people_name=people.name,
        people_data=people.read(),
    )


def team_files(test: CastTestCase) -> tuple[SimpleUploadedFile, SimpleUploadedFile]:
    team, agency = test.team, test.agency
    units = [
        "Enhetskode;Enhetsnavn;Overordnet enhetskode;Leder ansattnummer",
        f"{team.code};{team.name};{agency.code};{test.sub_leader.employee_number}",
    ]
    people = ["Ansattnummer;Fornavn;Etternavn;E-post;Stillingstittel;Enhetskode"]
    for person in (test.sub_leader, test.employee, test.colleague):
        people.append(
            f"{person.employee_number};{person.first_name};{person.last_name};"
            f"{person.email};{person.title};{team.code}"
        )
    return (
        SimpleUploadedFile("units.csv", "\n".join(units).encode()),
        SimpleUploadedFile("people.csv", "\n".join(people).encode()),
    )


def other_user(test: CastTestCase, role: str) -> AbstractBaseUser:
    """A login other than the role's own."""
    return test.administrator if role == "admin" else test.admin


def comment(test: CastTestCase, case: Case) -> Comment:
    """A comment on the framework by the requesting user ("mine", and
    "answered" once a catalogue owner has answered it) or by someone else
    ("theirs")."""
    user = user_of(test, case.role)
    if case.target == "theirs" or user is None:
        user = other_user(test, case.role)
    answered = case.target == "answered"
    return Comment.objects.create(
        framework=test.framework,
        target_kind=Comment.Kind.FRAMEWORK,
        author=user,
        text="Permission matrix",
        status=Comment.Status.ANSWERED if answered else Comment.Status.NEW,
        answer="Svar" if answered else "",
    )


def version(test: CastTestCase, case: Case) -> Framework:
    """The published framework, a draft of its next version, or a retired
    framework."""
    if case.target == "draft":
        return start_draft(test.framework)
    if case.target == "retired":
        return make_framework("Utgått", status=Framework.Status.RETIRED)
    return test.framework


GAP = "Matrise"


def unit_with_gap(test: CastTestCase, case: Case) -> OrgUnit:
    """The case's unit with a new member one level short of what is
    expected of them, so the analysis proposes to develop them."""
    unit = getattr(test, str(case.target))
    person = make_person(GAP, unit, login=False)
    competence = test.competences[0]
    set_expectations(person, {competence: 3}, by=test.top.user)
    record_assessments(person, "agreed", {competence: 2}, by=test.top.user)
    return unit


def no_args(test: CastTestCase, target: Target) -> list[Any]:
    return []


def target_pk(test: CastTestCase, target: Target) -> list[Any]:
    assert target is not None
    return [target.pk]


def csv_format(test: CastTestCase, target: Target) -> list[Any]:
    return ["csv"]


def version_thread(test: CastTestCase, target: Target) -> list[Any]:
    """The thread about the version as a whole."""
    return [target.pk, Comment.Kind.FRAMEWORK, "-"]


def version_export(test: CastTestCase, target: Target) -> list[Any]:
    return [target.pk, "case"]


def draft_competence(test: CastTestCase, target: Target) -> list[Any]:
    assert isinstance(target, Framework)
    return [target.pk, target.competences.order_by("position").first().pk]


def levels(test: CastTestCase, target: Target) -> dict[str, str]:
    """A valid-looking body for the level forms, and harmless elsewhere."""
    body = {f"competence-{c.pk}": "2" for c in test.competences}
    return body | {"note": "Permission matrix"}


def expectations(test: CastTestCase, target: Target) -> dict[str, str]:
    """The one-person expectation form: its levels and the version token of
    the rows it was built from, without which nothing is saved."""
    assert isinstance(target, Person)
    version = version_token([target], test.competences)
    return levels(test, target) | {"version": version}


def grid(test: CastTestCase, target: Target) -> dict[str, Any]:
    """The team grid with the target's row: their id, a level per cell and
    the version token."""
    assert isinstance(target, Person)
    body: dict[str, Any] = {f"e-{target.pk}-{c.pk}": "2" for c in test.competences}
    version = version_token([target], test.competences)
    return body | {"person": [target.pk], "version": version}


def profile_for(test: CastTestCase, target: Target) -> dict[str, Any]:
    """A role profile for the target, ticked for them: on the nearest unit
    at or above theirs that they do not lead (they would keep it), else on
    their own unit, which is then refused."""
    assert isinstance(target, Person)
    led = [unit.path for unit in target.led_units.all()]
    unit = target.unit
    while unit.parent is not None and any(unit.path.startswith(p) for p in led):
        unit = unit.parent
    profile = make_role_profile(unit, {})
    return {"profile": profile.pk, "selected": [target.pk]}


def role_profile(test: CastTestCase, target: Target) -> dict[str, Any]:
    """A role profile form for a unit, or for a profile's own unit."""
    unit = target.unit if isinstance(target, RoleProfile) else target
    assert isinstance(unit, OrgUnit)
    body = {f"competence-{c.pk}": "3" for c in test.competences}
    return body | {"name": "Permission matrix", "unit": unit.pk, "titles": ""}


def hr_files(test: CastTestCase, target: Target) -> dict[str, Any]:
    units, people = team_files(test)
    return {"units": units, "people": people}


def comment_text(test: CastTestCase, target: Target) -> dict[str, str]:
    return {"text": "Permission matrix"}


def moderation(test: CastTestCase, target: Target) -> dict[str, str]:
    return {"action": "answer", "answer": "Permission matrix"}


def renamed_framework(test: CastTestCase, target: Target) -> dict[str, Any]:
    """The framework in the CASE format as its next version, which the
    import creates (a published version itself cannot change)."""
    package = json.loads(export_framework(test.framework, "case"))
    package["CFDocument"]["version"] = str(test.framework.version + 1)
    content = json.dumps(package).encode()
    return {"file": SimpleUploadedFile("framework.json", content), "format": "case"}


def draft_text(test: CastTestCase, target: Target) -> dict[str, str]:
    return {"name": "Permission matrix", "description": ""}


def scale_levels(test: CastTestCase, target: Target) -> dict[str, Any]:
    """The draft's scale with the first level renamed."""
    assert isinstance(target, Framework)
    body: dict[str, Any] = {"new_number": "", "name_new": "", "description_new": ""}
    for level in target.scale.levels.all():
        body[f"name_{level.number}"] = f"{level.name} endret"
        body[f"description_{level.number}"] = level.description
    return body


def competence_text(test: CastTestCase, target: Target) -> dict[str, str]:
    return {"name": "Permission matrix", "description": "", "indicators": "Ny"}


def move_down(test: CastTestCase, target: Target) -> dict[str, str]:
    return {"direction": "down"}


def develop_gap(test: CastTestCase, target: Target) -> dict[str, Any]:
    """The proposal to develop the member `unit_with_gap` made."""
    person = Person.objects.get(unit=target, first_name=GAP)
    competence = test.competences[0]
    return {"kind": "develop", "competence": competence.pk, "person": person.pk}


def conversation_of(test: CastTestCase, case: Case) -> Conversation:
    """A planned conversation with the case's person."""
    return Conversation.objects.create(
        person=getattr(test, str(case.target)),
        leader=test.admin,
        kind=Conversation.Kind.EMPLOYEE,
        planned_at=timezone.now(),
    )


def held_conversation_of(test: CastTestCase, case: Case) -> Conversation:
    conversation = conversation_of(test, case)
    conversation.status = Conversation.Status.HELD
    conversation.held_on = timezone.localdate()
    conversation.save()
    return conversation


def action_of(test: CastTestCase, case: Case) -> Action:
    """An open action agreed with the case's person."""
    return Action.objects.create(
        person=getattr(test, str(case.target)),
        competence=test.competences[0],
        kind=Action.Kind.DEVELOP,
        form=Action.Form.COURSE,
        description="Permission matrix",
        owner=test.admin,
    )


def plan(test: CastTestCase, target: Target) -> dict[str, Any]:
    """A conversation form; for a new one the person is the target."""
    person = target.person if isinstance(target, Conversation) else target
    return {
        "person": person.pk,
        "kind": "development",
        "planned_at": "2030-01-15T10:00",
        "participants": "Permission matrix",
    }


def held(test: CastTestCase, target: Target) -> dict[str, str]:
    today = timezone.localdate()
    return levels(test, target) | {"held_on": f"{today:%Y-%m-%d}"}


def agreed_action(test: CastTestCase, target: Target) -> dict[str, str]:
    return {
        "form": "course",
        "competence": str(test.competences[0].pk),
        "description": "Permission matrix",
        "owner": "leader",
        "due_on": "2030-02-01",
    }


def private_text(test: CastTestCase, target: Target) -> dict[str, str]:
    return {"text": "Permission matrix"}


def done(test: CastTestCase, target: Target) -> dict[str, str]:
    return {"status": "done"}


def wrong_login(test: CastTestCase, target: Target) -> dict[str, str]:
    return {"username": test.employee.user.username, "password": "wrong"}


def language(test: CastTestCase, target: Target) -> dict[str, str]:
    return {"language": "en", "next": "/"}


@dataclass(frozen=True)
class Page:
    get: Rule
    post: Rule = method_not_allowed
    args: Args = no_args
    # The cast names to build the URL for, one case each: PEOPLE for pages
    # about a person (or an object of theirs), UNITS for pages about a unit.
    targets: tuple[str, ...] = ()
    make: Maker = cast_member
    # Whether GET answers the same for every target (a form whose target
    # is in the body): tried once. Methods a page does not allow always are.
    get_once: bool = False
    body: Body = levels
    # The POST status that means something was saved, and for which cases
    # of it (a page that answers a refused form with the same redirect).
    writes: int | None = None
    saves: Callable[[Case], bool] = lambda case: True
    public: bool = False
    query: str = ""


PAGES: dict[str, Page] = {
    "home": Page(get=logged_in(302)),
    "login": Page(
        get=anonymous_only(200, otherwise=302),
        post=anonymous_only(200, otherwise=302),
        body=wrong_login,
        public=True,
    ),
    "logout": Page(get=method_not_allowed, post=logged_in(302)),
    "set-language": Page(
        get=logged_in(302), post=logged_in(302), body=language, public=True
    ),
    "catalogue:framework-list": Page(get=logged_in()),
    "catalogue:framework-detail": Page(
        get=catalogue_version(), args=target_pk, targets=VERSIONS, make=version
    ),
    "catalogue:comment-thread": Page(
        get=reads_version(),
        post=reads_version(302),
        args=version_thread,
        targets=VERSIONS,
        make=version,
        body=comment_text,
        writes=302,
    ),
    "catalogue:edit-comment": Page(
        get=own_comment(),
        post=own_comment(302),
        args=target_pk,
        targets=COMMENTS,
        make=comment,
        body=comment_text,
        writes=302,
    ),
    "catalogue:withdraw-comment": Page(
        get=method_not_allowed,
        post=own_comment(302),
        args=target_pk,
        targets=COMMENTS,
        make=comment,
        writes=302,
    ),
    "catalogue:moderate-comment": Page(
        get=method_not_allowed,
        post=one_of(CATALOGUE_OWNERS, 302),
        args=target_pk,
        targets=("theirs",),
        make=comment,
        body=moderation,
        writes=302,
    ),
    "catalogue:comment-queue": Page(get=one_of(CATALOGUE_OWNERS)),
    "catalogue:export-comments": Page(get=one_of(CATALOGUE_OWNERS)),
    "catalogue:import": Page(
        get=one_of(CATALOGUE_OWNERS),
        post=one_of(CATALOGUE_OWNERS),
        body=renamed_framework,
        writes=200,
    ),
    "catalogue:export": Page(
        get=reads_version(), args=version_export, targets=VERSIONS, make=version
    ),
    "catalogue:start-draft": Page(
        get=method_not_allowed,
        post=starts_draft(302),
        args=target_pk,
        targets=VERSIONS,
        make=version,
        writes=302,
    ),
    "catalogue:draft": Page(
        get=edits_draft(),
        post=edits_draft(302),
        args=target_pk,
        targets=EDITED,
        make=version,
        body=draft_text,
        writes=302,
    ),
    "catalogue:save-scale": Page(
        get=method_not_allowed,
        post=edits_draft(302),
        args=target_pk,
        targets=EDITED,
        make=version,
        body=scale_levels,
        writes=302,
    ),
    "catalogue:add-competence": Page(
        get=method_not_allowed,
        post=edits_draft(302),
        args=target_pk,
        targets=EDITED,
        make=version,
        body=competence_text,
        writes=302,
    ),
    "catalogue:edit-competence": Page(
        get=edits_draft(),
        post=edits_draft(302),
        args=draft_competence,
        targets=EDITED,
        make=version,
        body=competence_text,
        writes=302,
    ),
    "catalogue:move-competence": Page(
        get=method_not_allowed,
        post=edits_draft(302),
        args=draft_competence,
        targets=EDITED,
        make=version,
        body=move_down,
        writes=302,
    ),
    "catalogue:delete-competence": Page(
        get=method_not_allowed,
        post=edits_draft(302),
        args=draft_competence,
        targets=EDITED,
        make=version,
        writes=302,
    ),
    "catalogue:publish": Page(
        get=method_not_allowed,
        post=edits_draft(302),
        args=target_pk,
        targets=EDITED,
        make=version,
        writes=302,
    ),
    "analysis:index": Page(get=analyses_some_unit),
    "analysis:unit": Page(get=sees_unit(), args=target_pk, targets=UNITS),
    "analysis:heatmap": Page(get=sees_unit(), args=target_pk, targets=UNITS),
    "analysis:heatmap-csv": Page(get=sees_unit(), args=target_pk, targets=UNITS),
    "analysis:heatmap-xlsx": Page(get=sees_unit(), args=target_pk, targets=UNITS),
    "analysis:proposals-csv": Page(get=sees_unit(), args=target_pk, targets=UNITS),
    "analysis:proposals-xlsx": Page(get=sees_unit(), args=target_pk, targets=UNITS),
    "analysis:create-action": Page(
        get=method_not_allowed,
        post=keeps_unit(302),
        args=target_pk,
        targets=UNITS,
        make=unit_with_gap,
        body=develop_gap,
        writes=302,
    ),
    "conversations:list": Page(get=logged_in()),
    "conversations:calendar": Page(get=logged_in()),
    "conversations:create": Page(
        get=logged_in(),
        post=changes(302),
        targets=PEOPLE,
        get_once=True,
        body=plan,
        writes=302,
    ),
    "conversations:detail": Page(
        get=sees(), args=target_pk, targets=PEOPLE, make=conversation_of
    ),
    "conversations:pdf": Page(
        get=sees(), args=target_pk, targets=PEOPLE, make=conversation_of
    ),
    "conversations:edit": Page(
        get=changes(),
        post=changes(302),
        args=target_pk,
        targets=PEOPLE,
        make=conversation_of,
        body=plan,
        writes=302,
    ),
    "conversations:mark-prepared": Page(
        get=method_not_allowed,
        post=changes(302),
        args=target_pk,
        targets=PEOPLE,
        make=conversation_of,
        writes=302,
    ),
    "conversations:record": Page(
        get=changes(),
        post=changes(302),
        args=target_pk,
        targets=PEOPLE,
        make=conversation_of,
        body=held,
        writes=302,
    ),
    "conversations:add-action": Page(
        get=changes(),
        post=changes(302),
        args=target_pk,
        targets=PEOPLE,
        make=conversation_of,
        body=agreed_action,
        writes=302,
    ),
    "conversations:private-note": Page(
        get=method_not_allowed,
        post=changes(302),
        args=target_pk,
        targets=PEOPLE,
        make=conversation_of,
        body=private_text,
        writes=302,
    ),
    "conversations:close": Page(
        get=changes(),
        post=changes(302),
        args=target_pk,
        targets=PEOPLE,
        make=held_conversation_of,
        writes=302,
    ),
    "conversations:action-status": Page(
        get=method_not_allowed,
        post=changes(302),
        args=target_pk,
        targets=PEOPLE,
        make=action_of,
        body=done,
        writes=302,
    ),
    "profiles:team": Page(get=logged_in()),
    "profiles:me": Page(
        get=logged_in(), post=with_person(302, without=200), writes=302
    ),
    "profiles:person": Page(get=sees(), args=target_pk, targets=PEOPLE),
    "profiles:edit-expectations": Page(
        get=changes(),
        post=changes(302),
        args=target_pk,
        targets=PEOPLE,
        body=expectations,
        writes=302,
    ),
    "profiles:edit-leader-assessment": Page(
        get=changes(),
        post=changes(302),
        args=target_pk,
        targets=PEOPLE,
        writes=302,
    ),
    "profiles:edit-agreed-assessment": Page(
        get=changes(),
        post=changes(302),
        args=target_pk,
        targets=PEOPLE,
        writes=302,
    ),
    "profiles:history": Page(get=sees(), args=target_pk, targets=PEOPLE),
    "profiles:team-expectations": Page(
        get=logged_in(),
        post=changes(302),
        targets=PEOPLE,
        get_once=True,
        body=grid,
        writes=302,
    ),
    "profiles:apply-profile": Page(
        get=method_not_allowed,
        post=changes(302),
        targets=PEOPLE,
        body=profile_for,
        writes=302,
        saves=gives_profile,
    ),
    "profiles:role-profiles": Page(get=logged_in()),
    "profiles:create-role-profile": Page(
        get=one_of(PROFILE_KEEPERS),
        post=creates_in_unit(302),
        targets=UNITS,
        get_once=True,
        body=role_profile,
        writes=302,
    ),
    "profiles:edit-role-profile": Page(
        get=keeps_unit(),
        post=keeps_unit(302),
        args=target_pk,
        targets=UNITS,
        make=profile_on_unit,
        body=role_profile,
        writes=302,
    ),
    "exchange:upload-org": Page(
        get=one_of(IMPORTERS), post=one_of(IMPORTERS, 302), body=hr_files, writes=302
    ),
    "exchange:preview-org": Page(
        get=own_upload(), args=target_pk, targets=UPLOADS, make=upload
    ),
    "exchange:confirm-org": Page(
        get=method_not_allowed,
        post=own_upload(302),
        args=target_pk,
        targets=UPLOADS,
        make=upload,
        writes=302,
    ),
    "audit:log": Page(get=one_of(ADMINISTRATORS)),
    "audit:export": Page(get=one_of(ADMINISTRATORS), args=csv_format),
}

REFUSED = {403, 404, 405}


def writes(queries: CaptureQueriesContext) -> list[str]:
    """The statements that changed rows, other than the login's own
    bookkeeping (its session, and the failed logins it counts). Checking
    statements rather than comparing tables also catches a write that a
    later statement undid."""
    bookkeeping = (Session._meta.db_table, FailedLogin._meta.db_table)
    return [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and not any(table in query["sql"] for table in bookkeeping)
    ]


def tried_once(page: Page, method: str) -> bool:
    """Whether a method answers the same for every target, so that trying
    it for the first is enough: a method the page does not allow (refused
    before the target is looked at), or a GET marked `get_once`."""
    rule = page.get if method == "get" else page.post
    return rule is method_not_allowed or (method == "get" and page.get_once)


class PermissionMatrixTests(CastTestCase):
    def cases(self, role: str, page: Page) -> list[Case]:
        has_person = role in PEOPLE
        if not page.targets:
            return [Case(role, None, has_person)]
        # Anonymous visitors are sent away before the target is looked at.
        targets = page.targets[:1] if role == "anonymous" else page.targets
        return [Case(role, name, has_person) for name in targets]

    def check_role(self, role: str) -> None:
        user = user_of(self, role)
        if user is not None:
            self.client.force_login(user)
        cookies = copy.deepcopy(self.client.cookies)

        for name, page in PAGES.items():
            for number, case in enumerate(self.cases(role, page)):
                methods = ("get", "post")
                if number:
                    methods = tuple(m for m in methods if not tried_once(page, m))
                for method in methods:
                    with self.subTest(url=name, target=case.target, method=method):
                        self.check_request(name, page, case, method)
                    self.client.cookies = copy.deepcopy(cookies)

    def check_request(self, name: str, page: Page, case: Case, method: str) -> None:
        anonymous = case.role == "anonymous" and not page.public
        rule = page.get if method == "get" else page.post
        expected = 302 if anonymous else rule(case)
        refused = anonymous or expected in REFUSED
        # The target and body are built in a savepoint rolled back with the
        # request, outside the statements the request is checked by.
        with transaction.atomic():
            target = page.make(self, case)
            url = reverse(name, args=page.args(self, target)) + page.query
            body = page.body(self, target) if method == "post" else {}
            with CaptureQueriesContext(connection) as queries:
                if method == "get":
                    response = self.client.get(url)
                else:
                    response = self.client.post(url, body)
            transaction.set_rollback(True)

        self.assertEqual(response.status_code, expected, f"{method.upper()} {url}")
        if anonymous:
            self.assertTrue(response["Location"].startswith(reverse("login")))
        saved = expected == page.writes and page.saves(case)
        if refused or (method == "post" and not saved):
            self.assertEqual(writes(queries), [], f"{method.upper()} {url} wrote")
        elif method == "get":
            # Reading may write the access log, and nothing else.
            log = AccessLog._meta.db_table
            other = [sql for sql in writes(queries) if log not in sql]
            self.assertEqual(other, [], f"GET {url} wrote")
        else:
            self.assertTrue(
                writes(queries), f"POST {url} saved nothing; check its body"
            )

    def test_anonymous_is_sent_to_login(self):
        self.check_role("anonymous")

    def test_employee_reaches_only_own_profile(self):
        self.check_role("employee")

    def test_colleague_reaches_only_own_profile(self):
        self.check_role("colleague")

    def test_sub_leader_changes_own_team(self):
        self.check_role("sub_leader")

    def test_leader_changes_the_agency_below(self):
        self.check_role("leader")

    def test_leader_elsewhere_changes_only_there(self):
        self.check_role("other_leader")

    def test_top_leader_changes_everyone_below(self):
        self.check_role("top")

    def test_read_only_hr_adviser_never_changes(self):
        self.check_role("hr_reader")

    def test_hr_adviser_with_right_changes_subtree(self):
        self.check_role("hr_changer")

    def test_catalogue_owner_sees_nobody(self):
        self.check_role("catalogue_owner")

    def test_administrator_role_changes_everyone(self):
        self.check_role("administrator")

    def test_superuser_changes_everyone(self):
        self.check_role("admin")


class PermissionTableTests(CastTestCase):
    def test_every_url_is_in_the_table(self):
        names = [name for name, _route in walk()]

        for name in names:
            with self.subTest(url=name):
                self.assertIsNotNone(name, "Give every URL pattern a name.")
                self.assertIn(
                    name,
                    PAGES,
                    f"{name} is not in PAGES in tests/test_permission_matrix.py; "
                    "add it with who may GET and POST it (see DEVELOPERS.md).",
                )

    def test_table_has_no_stale_urls(self):
        names = {name for name, _route in walk()}

        self.assertEqual(set(PAGES) - names, set())

    def test_units_seen_agree_with_people_seen(self):
        names = {getattr(self, name).pk: name for name in PEOPLE}

        for role, units in UNITS_SEEN.items():
            for unit in units:
                people = Person.objects.in_subtree(getattr(self, unit))
                with self.subTest(role=role, unit=unit):
                    self.assertLessEqual({names[p.pk] for p in people}, SEES[role])


class AdminSiteTests(CastTestCase):
    def test_non_staff_cannot_reach_admin(self):
        users = [p.user for p in (self.employee, self.leader, self.top)] + [
            self.hr_changer,
            self.catalogue_owner,
            self.administrator,
        ]

        for user in users:
            with self.subTest(user=user.username):
                self.client.force_login(user)

                response = self.client.get("/admin/")

                self.assertEqual(response.status_code, 302)
                self.assertTrue(response["Location"].startswith("/admin/login/"))

    def test_anonymous_cannot_reach_admin(self):
        response = self.client.get("/admin/organisation/person/")

        self.assertEqual(response.status_code, 302)

    def test_superuser_reaches_admin(self):
        self.client.force_login(self.admin)

        self.assertEqual(self.client.get("/admin/").status_code, 200)
