from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from catalogue.models import Framework
from catalogue.widgets import FrameworkSelect
from conversations.models import Action
from kompetanse.ids import IdField
from profiles.models import Assessment


class ProposalForm(forms.Form):
    """Which proposal to turn into an action; the proposal itself is
    worked out again on the server, never taken from the form."""

    kind = forms.ChoiceField(choices=Action.Kind.choices)
    competence = IdField()
    person = IdField(required=False)
    # The kind of assessment the page counted, as the filter chose it.
    level_kind = forms.ChoiceField(choices=Assessment.Kind.choices, required=False)
    # The unit whose page the form was on, when it was a unit above (a
    # counted page acts for its child units).
    back = IdField(required=False)


class AnalysisFilterForm(forms.Form):
    framework = forms.TypedChoiceField(
        label=_("Framework"),
        coerce=int,
        required=False,
        choices=[],
        widget=FrameworkSelect,
    )
    kind = forms.ChoiceField(
        label=_("Assessment"),
        required=False,
        choices=[
            ("", _("Current level (agreed, else leader, else self)")),
            *Assessment.Kind.choices,
        ],
    )

    def __init__(self, *args, frameworks: list[Framework], **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        field = self.fields["framework"]
        field.choices = field.widget.use(frameworks)

    def chosen_kind(self) -> str:
        return self.cleaned_data.get("kind", "") if self.is_valid() else ""
