"""Rules for conversations: planning, preparing, holding, following up.

Each rule checks the conversation is still open for changes inside its
transaction, after locking the row, so a conversation closed a moment ago
in another tab is not changed. Agreed levels are written as agreed
assessments through profiles.records, which keeps their history.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from catalogue.models import Competence
from conversations.models import Action, Conversation, PrivateNote
from organisation.models import Person
from profiles.models import Assessment
from profiles.records import check_person, record_assessments


def closed_message() -> str:
    return _(
        "This conversation has been followed up and closed; "
        "it can no longer be changed."
    )


def plan_conversation(
    person: Person,
    *,
    by: AbstractBaseUser,
    kind: str,
    planned_at: datetime.datetime,
    participants: str = "",
) -> Conversation:
    """A new planned conversation with this person, held by `by`."""
    check_person(person)
    check_time_free(person, planned_at)
    return Conversation.objects.create(
        person=person,
        leader=by,
        kind=kind,
        planned_at=planned_at,
        participants=participants,
    )


def check_time_free(
    person: Person, planned_at: datetime.datetime, *, moved: Conversation | None = None
) -> None:
    """Refuse a second conversation with the person at the same time: a
    plan form sent twice would otherwise make two."""
    others = Conversation.objects.filter(person=person, planned_at=planned_at)
    if moved is not None:
        others = others.exclude(pk=moved.pk)
    if others.exists():
        raise ValidationError(
            _("%(name)s already has a conversation at this time.")
            % {"name": person.full_name}
        )


def locked(conversation: Conversation) -> Conversation:
    """The conversation read again under a row lock; refused once closed.
    Call inside a transaction."""
    fresh = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if fresh.is_closed:
        raise ValidationError(closed_message())
    return fresh


@transaction.atomic
def change_plan(
    conversation: Conversation,
    *,
    kind: str,
    planned_at: datetime.datetime,
    participants: str,
) -> Conversation:
    fresh = locked(conversation)
    check_time_free(fresh.person, planned_at, moved=fresh)
    fresh.kind, fresh.planned_at, fresh.participants = kind, planned_at, participants
    fresh.updated_at = timezone.now()
    fresh.save()
    return fresh


@transaction.atomic
def mark_prepared(conversation: Conversation) -> Conversation:
    """Planned → prepared; a conversation already past that stays as is."""
    fresh = locked(conversation)
    if fresh.status != Conversation.Status.PLANNED:
        raise ValidationError(_("Only a planned conversation can be marked prepared."))
    fresh.status = Conversation.Status.PREPARED
    fresh.updated_at = timezone.now()
    fresh.save(update_fields=["status", "updated_at"])
    return fresh


@transaction.atomic
def record_conversation(
    conversation: Conversation,
    *,
    by: AbstractBaseUser,
    held_on: datetime.date,
    levels: Mapping[Competence, int | None],
    notes: str,
) -> list[Assessment]:
    """Mark the conversation held on `held_on` with its shared notes, and
    record the agreed levels as agreed assessments of that day; returns
    the new assessment rows. Recording again corrects what was recorded."""
    fresh = locked(conversation)
    rows = record_assessments(
        fresh.person, Assessment.Kind.AGREED, levels, by=by, on=held_on
    )
    fresh.status = Conversation.Status.HELD
    fresh.held_on = held_on
    fresh.notes = notes
    fresh.updated_at = timezone.now()
    fresh.save()
    return rows


@transaction.atomic
def add_action(
    conversation: Conversation,
    *,
    by: AbstractBaseUser,
    form: str,
    competence: Competence,
    description: str,
    owner: AbstractBaseUser,
    due_on: datetime.date,
) -> Action:
    """An open action agreed in the conversation: about the person, or for
    recruiting, about their unit."""
    fresh = locked(conversation)
    if due_on < fresh.date:
        raise ValidationError(
            _("An action cannot be due before the conversation (%(date)s).")
            % {"date": formats.date_format(fresh.date, "DATE_FORMAT")}
        )
    kind = Action.kind_of(form)
    person = fresh.person
    recruit = kind == Action.Kind.RECRUIT
    target = {"unit": person.unit} if recruit else {"person": person}
    try:
        with transaction.atomic():
            return Action.objects.create(
                **target,
                conversation=fresh,
                kind=kind,
                form=form,
                competence=competence,
                description=description,
                owner=owner,
                due_on=due_on,
                created_by=by,
            )
    except IntegrityError:
        raise ValidationError(
            _("An open action of this form already exists for %(competence)s.")
            % {"competence": competence.name}
        ) from None


def set_action_status(action: Action, status: str) -> bool:
    """Set the status; returns whether it changed."""
    if action.status == status:
        return False
    try:
        with transaction.atomic():
            Action.objects.filter(pk=action.pk).update(status=status)
    except IntegrityError:
        # Reopening next to another open action of the same form.
        raise ValidationError(
            _("Another open action of this form exists; it cannot be reopened.")
        ) from None
    action.status = status
    return True


@transaction.atomic
def save_private_note(
    conversation: Conversation, author: AbstractBaseUser, text: str
) -> PrivateNote:
    locked(conversation)
    note, _created = PrivateNote.objects.update_or_create(
        conversation=conversation,
        author=author,
        defaults={"text": text, "updated_at": timezone.now()},
    )
    return note


@transaction.atomic
def close_conversation(conversation: Conversation) -> Conversation:
    """Held → followed up: closed, read-only from now on."""
    fresh = locked(conversation)
    if fresh.status != Conversation.Status.HELD:
        raise ValidationError(
            _("Only a conversation that has been held can be marked followed up.")
        )
    fresh.status = Conversation.Status.FOLLOWED_UP
    fresh.updated_at = timezone.now()
    fresh.save(update_fields=["status", "updated_at"])
    return fresh
