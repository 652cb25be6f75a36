from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import Competence
from conversations.models import Action, Conversation
from kompetanse.ids import IdField
from organisation.models import Person
from profiles.forms import LevelsForm

INPUT = {"class": "pkt-input"}


class ConversationForm(forms.Form):
    """When and what kind of conversation; for a new one also with whom."""

    kind = forms.ChoiceField(
        label=_("Kind of conversation"),
        choices=Conversation.Kind.choices,
        widget=forms.Select(attrs=INPUT),
    )
    planned_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local", **INPUT}, format="%Y-%m-%dT%H:%M"
        ),
    )
    participants = forms.CharField(
        label=_("Other participants (optional)"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs=INPUT),
    )

    def __init__(
        self, *args: Any, people: list[Person] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if people is not None:
            # Only offered as choices; the view fetches the posted person
            # through the scope gate before this form is validated.
            self.fields["person"] = forms.TypedChoiceField(
                label=_("Employee"),
                choices=[("", "")] + [(p.pk, str(p)) for p in people],
                coerce=int,
                widget=forms.Select(attrs=INPUT),
            )
            self.order_fields(["person"])


class RecordForm(LevelsForm):
    """What was agreed in the conversation: the day, the agreed levels and
    the notes both sides see."""

    empty_label = _("Not agreed")
    guidance = _(
        "Choosing “Not agreed” for a competence that has an agreed level "
        "clears it; the history keeps the old level."
    )

    held_on = forms.DateField(
        label=_("Held on"),
        widget=forms.DateInput(attrs={"type": "date", **INPUT}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["held_on"] = self.fields.pop("held_on")
        self.fields["note"] = forms.CharField(
            label=_("Notes from the conversation (the employee sees them)"),
            required=False,
            max_length=10000,
            widget=forms.Textarea(attrs={"rows": 5, **INPUT}),
        )

    def clean_held_on(self) -> datetime.date:
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(
                _("A conversation cannot be recorded as held in the future.")
            )
        return held_on


OWNERS = [("leader", _("the leader")), ("employee", _("the employee"))]


class ActionForm(forms.Form):
    form = forms.ChoiceField(
        label=_("Action"),
        choices=[
            (_("Develop"), Action.Form.choices[:4]),
            (_("Mobilise"), Action.Form.choices[4:6]),
            (_("Recruit"), Action.Form.choices[6:]),
        ],
        widget=forms.Select(attrs=INPUT),
    )
    competence = forms.TypedChoiceField(
        label=_("Competence"), coerce=int, widget=forms.Select(attrs=INPUT)
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, **INPUT}),
    )
    owner = forms.ChoiceField(
        label=_("Responsible"), choices=OWNERS, widget=forms.Select(attrs=INPUT)
    )
    due_on = forms.DateField(
        label=_("Due date"),
        widget=forms.DateInput(attrs={"type": "date", **INPUT}),
    )

    def __init__(
        self, *args: Any, competences: list[Competence], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.competences = {c.pk: c for c in competences}
        field = self.fields["competence"]
        field.choices = [(c.pk, c.name) for c in competences]
        if competences:
            # The names are the framework's, in its language.
            field.widget.attrs["lang"] = competences[0].framework.language

    def chosen_competence(self) -> Competence:
        return self.competences[self.cleaned_data["competence"]]


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Action.Status.choices)
    # The conversation whose sheet the form was on: an open action from an
    # earlier conversation is marked done from the current one's sheet.
    back = IdField(required=False)


class PrivateNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Your private note (only you see it)"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3, **INPUT}),
    )
