from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from catalogue.models import Competence


class LevelSelect(forms.Select):
    """A select marked with the framework's language, which may differ from
    the page's: the level names are the framework's, the empty choice is
    page text."""

    def __init__(self, *args: Any, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.attrs["lang"] = language

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        if option["value"] == "":
            option["attrs"]["lang"] = translation.get_language()
        return option


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
            language = competence.framework.language
            field = forms.TypedChoiceField(
                label=competence.name,
                choices=[("", self.empty_label)]
                + [
                    (level.number, f"{level.number} – {level.name}") for level in levels
                ],
                coerce=int,
                empty_value=None,
                required=False,
                widget=LevelSelect(attrs={"class": "pkt-input"}, language=language),
            )
            # The label is the competence's name, in the framework's language.
            field.language = language  # type: ignore[attr-defined]
            self.fields[self.field_name(competence)] = field
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
