from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from catalogue.models import Competence


class LevelsForm(forms.Form):
    """One level choice per competence, from that competence's scale.

    A value outside the scale fails as an invalid choice, so a forged post
    never reaches the rules.
    """

    empty_label = _("Not set")

    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "pkt-input"}),
    )

    def __init__(
        self,
        *args: Any,
        competences: Sequence[Competence],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.competences = list(competences)
        for competence in self.competences:
            levels = competence.framework.scale.levels.all()
            self.fields[self.field_name(competence)] = forms.TypedChoiceField(
                label=competence.name,
                choices=[("", self.empty_label)]
                + [
                    (level.number, f"{level.number} – {level.name}") for level in levels
                ],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.Select(attrs={"class": "pkt-input"}),
            )
        # The note goes last, after the levels.
        self.fields["note"] = self.fields.pop("note")

    @staticmethod
    def field_name_for(competence_id: int) -> str:
        return f"competence-{competence_id}"

    def field_name(self, competence: Competence) -> str:
        return self.field_name_for(competence.pk)

    def level_fields(self) -> list[forms.BoundField]:
        return [self[self.field_name(c)] for c in self.competences]

    def levels(self) -> dict[Competence, int | None]:
        return {c: self.cleaned_data[self.field_name(c)] for c in self.competences}


class ExpectationsForm(LevelsForm):
    empty_label = _("No expectation")


class SelfAssessmentForm(LevelsForm):
    empty_label = _("Not assessed")
