from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from catalogue.models import Competence, Indicator
from organisation.models import Person
from profiles.expectations import MINE, THEIRS, Conflict
from profiles.grid import Cell, Row
from profiles.models import RoleProfile
from profiles.records import check_assessment_date
from profiles.suggest import suggested_level


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
                + [(level.number, level.label) for level in levels],
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

    def clean(self) -> dict[str, Any]:
        refuse_unknown_cells(self)
        return super().clean()

    def plain_fields(self) -> list[forms.BoundField]:
        return self.visible_fields()

    def levels(self) -> dict[Competence, int | None]:
        """The posted levels. A competence missing from the post is left as
        it is: a browser always sends every select, so only a damaged or
        forged post lacks one, and it must not clear anything."""
        return {
            c: self.cleaned_data[self.field_name(c)]
            for c in self.competences
            if self.add_prefix(self.field_name(c)) in self.data
        }


class ExpectationsForm(LevelsForm):
    empty_label = _("No expectation")


class AssessmentForm(LevelsForm):
    """Levels of one kind of assessment, with the date it was made."""

    empty_label = _("Not assessed")

    assessed_on = forms.DateField(
        label=_("Date of the assessment"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "pkt-input"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("assessed_on", timezone.localdate())
        self.fields["assessed_on"] = self.fields.pop("assessed_on")
        self.fields["note"] = self.fields.pop("note")
        # Each level the form showed comes back with the post, so that a
        # level the user left alone is not written over one that someone
        # else saved in the meantime (see `changed_meanwhile`).
        for competence in self.competences:
            self.fields[self.field_name(competence)].show_hidden_initial = True

    def changed_meanwhile(self) -> list[Competence]:
        """The competences whose level the user left as the form showed it
        while someone else changed it since; saving them would silently
        put the old level back. A post without the shown levels (an older
        form) has none."""
        found = []
        for competence in self.competences:
            bound = self[self.field_name(competence)]
            if bound.html_initial_name not in self.data:
                continue
            shown = self.data[bound.html_initial_name]
            now = "" if bound.initial is None else str(bound.initial)
            if self.data.get(bound.html_name, "") == shown and shown != now:
                found.append(competence)
        return found

    def levels_to_save(self) -> dict[Competence, int | None]:
        """The levels, less those someone else changed meanwhile."""
        kept = set(self.changed_meanwhile())
        return {c: lvl for c, lvl in self.levels().items() if c not in kept}

    guidance = _(
        "Choosing “Not assessed” for a competence that has a level clears "
        "it; the history keeps the old level. An assessment dated before the "
        "current one is kept in the history and does not replace it."
    )

    def clean_assessed_on(self) -> datetime.date:
        on = self.cleaned_data["assessed_on"] or timezone.localdate()
        try:
            check_assessment_date(on)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from None
        return on


@dataclass(frozen=True)
class Section:
    """One competence in a self-assessment: its indicators, the level and
    the level the ticked indicators suggest."""

    competence: Competence
    indicators: forms.BoundField
    level: forms.BoundField
    ticked: int
    total: int
    suggested: int | None


class SelfAssessmentForm(AssessmentForm):
    """A self-assessment, with the indicators the person demonstrates."""

    def __init__(
        self,
        *args: Any,
        indicators: Mapping[int, Sequence[Indicator]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for competence in self.competences:
            self.fields[self.indicators_name(competence.pk)] = (
                forms.TypedMultipleChoiceField(
                    label=_("Indicators you demonstrate in %(competence)s")
                    % {"competence": competence.name},
                    choices=[(i.pk, i.text) for i in indicators.get(competence.pk, [])],
                    coerce=int,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                    error_messages={
                        "invalid_choice": _(
                            "An indicator you ticked does not belong to its competence."
                        )
                    },
                )
            )

    @staticmethod
    def indicators_name(competence_id: int) -> str:
        return f"indicators-{competence_id}"

    def sections(self) -> list[Section]:
        sections = []
        for competence in self.competences:
            ticks = self[self.indicators_name(competence.pk)]
            # Each of the competence's own indicators once: a forged or
            # stale request may repeat one or name others.
            own = {str(pk) for pk, _text in ticks.field.choices}
            ticked = len(own.intersection(str(v) for v in ticks.value() or []))
            total = len(own)
            levels = [lvl.number for lvl in competence.framework.scale.levels.all()]
            sections.append(
                Section(
                    competence=competence,
                    indicators=ticks,
                    level=self[self.field_name(competence)],
                    ticked=ticked,
                    total=total,
                    suggested=suggested_level(ticked, total, levels),
                )
            )
        return sections

    def ticked(self) -> dict[Competence, list[int]]:
        return {
            c: self.cleaned_data[self.indicators_name(c.pk)] for c in self.competences
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for competence in self.competences:
            ticks = cleaned.get(self.indicators_name(competence.pk))
            if ticks and cleaned.get(self.field_name(competence)) is None:
                self.add_error(
                    self.field_name(competence),
                    _("Choose a level to save the indicators you ticked."),
                )
        return cleaned


class ExpectationGridForm(forms.Form):
    """Expected levels for people by competences, with a version token.

    Each cell holds the person's own expectation; its empty choice says
    what applies without one (the role profile's level, or none). Cells
    that conflict with someone else's save get a required choice between
    keeping one's own value and taking the other one.
    """

    version = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "pkt-input"}),
    )

    def __init__(
        self,
        *args: Any,
        rows: Sequence[Row],
        single: bool = False,
        conflicts: Sequence[Conflict] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.rows = list(rows)
        self.single = single
        self.conflicts = list(conflicts)
        for row in self.rows:
            for cell in row.cells:
                name = self.cell_name(row.person.pk, cell.competence.pk)
                self.fields[name] = self.cell_field(row, cell)
                self.initial.setdefault(name, cell.own_expected)
                # A choice made after a conflict comes back with the post.
                choice = self.resolve_name(row.person.pk, cell.competence.pk)
                if self.is_bound and choice in self.data:
                    self.fields[choice] = forms.ChoiceField(
                        choices=[(MINE, MINE), (THEIRS, THEIRS)],
                        widget=forms.HiddenInput,
                    )
        for conflict in self.conflicts:
            self.fields[self.resolve_name(*conflict.key)] = forms.ChoiceField(
                label=_("%(competence)s for %(name)s")
                % {"competence": conflict.competence.name, "name": conflict.person},
                choices=[
                    (
                        MINE,
                        _("Keep mine (%(level)s)") % {"level": shown(conflict.mine)},
                    ),
                    (
                        THEIRS,
                        _("Take theirs (%(level)s)")
                        % {"level": shown(conflict.theirs)},
                    ),
                ],
                widget=forms.RadioSelect,
            )
        self.fields["note"] = self.fields.pop("note")

    def cell_name(self, person_id: int, competence_id: int) -> str:
        if self.single:
            return LevelsForm.field_name_for(competence_id)
        return f"e-{person_id}-{competence_id}"

    @staticmethod
    def resolve_name(person_id: int, competence_id: int) -> str:
        return f"resolve-{person_id}-{competence_id}"

    def cell_field(self, row: Row, cell: Cell) -> forms.Field:
        levels = cell.competence.framework.scale.levels.all()
        if cell.profile_expected is not None:
            empty = _("Profile: %(level)s") % {"level": cell.profile_expected}
        else:
            empty = _("No expectation")
        language = cell.competence.framework.language
        if self.single:
            label = cell.competence.name
            choices = [(lvl.number, lvl.label) for lvl in levels]
        else:
            # The competence's name is in the framework's language (WCAG
            # 3.1.2); the message and both names are escaped before joining.
            label = mark_safe(
                escape(_("Expected level in %(competence)s for %(name)s"))
                % {
                    "competence": format_html(
                        '<span lang="{}">{}</span>', language, cell.competence.name
                    ),
                    "name": escape(row.person.full_name),
                }
            )
            choices = [(lvl.number, str(lvl.number)) for lvl in levels]
        field = forms.TypedChoiceField(
            label=label,
            choices=[("", empty), *choices],
            coerce=int,
            empty_value=None,
            required=False,
            widget=LevelSelect(attrs={"class": "pkt-input"}, language=language),
        )
        if self.single:
            # The label is the competence's name, in the framework's language.
            field.language = language  # type: ignore[attr-defined]
        return field

    def grid(self) -> list[tuple[Row, list[forms.BoundField]]]:
        """Each row with the bound fields of its cells, for the template."""
        return [
            (
                row,
                [
                    self[self.cell_name(row.person.pk, c.competence.pk)]
                    for c in row.cells
                ],
            )
            for row in self.rows
        ]

    def level_fields(self) -> list[forms.BoundField]:
        return [field for _row, fields in self.grid() for field in fields]

    def plain_fields(self) -> list[forms.BoundField]:
        """The visible fields but the conflict choices, shown on their own."""
        return [f for f in self.visible_fields() if not f.name.startswith("resolve-")]

    def resolve_fields(self) -> list[tuple[Conflict, forms.BoundField]]:
        return [(c, self[self.resolve_name(*c.key)]) for c in self.conflicts]

    def levels(self) -> dict[Person, dict[Competence, int | None]]:
        """The posted cells; as in LevelsForm.levels, a cell missing from the
        post is left as it is."""
        names = {
            (row.person, cell.competence): self.cell_name(
                row.person.pk, cell.competence.pk
            )
            for row in self.rows
            for cell in row.cells
        }
        levels: dict[Person, dict[Competence, int | None]] = {
            row.person: {} for row in self.rows
        }
        for (person, competence), name in names.items():
            if self.add_prefix(name) in self.data:
                levels[person][competence] = self.cleaned_data[name]
        return levels

    def resolve(self) -> dict[tuple[int, int], str]:
        """(person id, competence id) -> MINE or THEIRS, as posted."""
        return {
            (row.person.pk, cell.competence.pk): self.cleaned_data[name]
            for row in self.rows
            for cell in row.cells
            if (name := self.resolve_name(row.person.pk, cell.competence.pk))
            in self.cleaned_data
        }

    def clean(self) -> dict[str, Any]:
        refuse_unknown_cells(self)
        return super().clean()


CELL_NAME = re.compile(r"(e-\d+-\d+|(competence|indicators)-\d+|resolve-\d+-\d+)")


def refuse_unknown_cells(form: forms.Form) -> None:
    """Raise ValidationError when the post has a level the form does not
    show: a competence of another (maybe retired) framework, or a person
    not on the form. Refused rather than dropped without a word."""
    unknown = [
        key for key in form.data if CELL_NAME.fullmatch(key) and key not in form.fields
    ]
    if unknown:
        raise forms.ValidationError(
            _(
                "The form names a competence or person it does not show, "
                "for example of a retired framework. Nothing was saved."
            )
        )


def shown(level: int | None) -> str:
    return str(level) if level is not None else str(_("none"))


class ApplyProfileForm(forms.Form):
    """A role profile for the people ticked in the team grid."""

    profile = forms.ModelChoiceField(
        label=_("Role profile"),
        queryset=RoleProfile.objects.none(),
        empty_label=_("None (remove the assigned profile)"),
        required=False,
        widget=forms.Select(attrs={"class": "pkt-input"}),
    )
    selected = forms.TypedMultipleChoiceField(
        label=_("People"),
        coerce=int,
        error_messages={"required": _("Tick at least one person.")},
    )

    def __init__(
        self, *args: Any, profiles: Any, people: Sequence[Person], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["profile"].queryset = profiles
        self.fields["selected"].choices = [(p.pk, p.full_name) for p in people]


# More titles than any real role has; the limit keeps the list page small.
MAX_TITLES = 100


class RoleProfileForm(forms.ModelForm):
    """A role profile's name, unit, titles and one level per competence."""

    class Meta:
        model = RoleProfile
        fields = ["name", "unit", "titles"]
        widgets = {
            "name": forms.TextInput(attrs={"class": "pkt-input"}),
            "unit": forms.Select(attrs={"class": "pkt-input"}),
            "titles": forms.Textarea(attrs={"rows": 3, "class": "pkt-input"}),
        }

    def __init__(
        self,
        *args: Any,
        units: Any,
        competences: Sequence[Competence],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.competences = list(competences)
        current = {}
        if self.instance.pk:
            current = dict(self.instance.levels.values_list("competence_id", "level"))
        for competence in self.competences:
            name = LevelsForm.field_name_for(competence.pk)
            language = competence.framework.language
            field = forms.TypedChoiceField(
                label=competence.name,
                choices=[("", _("No expectation"))]
                + [
                    (lvl.number, lvl.label)
                    for lvl in competence.framework.scale.levels.all()
                ],
                coerce=int,
                empty_value=None,
                required=False,
                widget=LevelSelect(attrs={"class": "pkt-input"}, language=language),
            )
            # The label is the competence's name, in the framework's language.
            field.language = language  # type: ignore[attr-defined]
            self.fields[name] = field
            self.initial.setdefault(name, current.get(competence.pk))

    def plain_fields(self) -> list[forms.BoundField]:
        return self.visible_fields()

    def clean_titles(self) -> str:
        """One title per line, each no longer than a person's title can be,
        and no more of them than a profile sensibly lists."""
        lines = [line.strip() for line in self.cleaned_data["titles"].splitlines()]
        titles = [line for line in lines if line]
        longest = Person._meta.get_field("title").max_length
        too_long = [title for title in titles if len(title) > longest]
        if too_long:
            raise forms.ValidationError(
                _("A position title has at most %(limit)s characters: %(title)s")
                % {"limit": longest, "title": too_long[0][:40] + "…"}
            )
        if len(titles) > MAX_TITLES:
            raise forms.ValidationError(
                _("A role profile lists at most %(limit)s position titles.")
                % {"limit": MAX_TITLES}
            )
        return "\n".join(titles)

    def clean(self) -> dict[str, Any]:
        refuse_unknown_cells(self)
        cleaned = super().clean()
        # The team grid offers profiles by name: two of one name in a unit
        # could not be told apart (posting the form twice made them).
        name, unit = cleaned.get("name"), cleaned.get("unit")
        if (
            name
            and unit
            and RoleProfile.objects.filter(unit=unit, name__iexact=name.strip())
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            self.add_error(
                "name",
                _("The unit already has a role profile named %(name)s.")
                % {"name": name.strip()},
            )
        return cleaned

    def levels(self) -> dict[Competence, int | None]:
        return {
            c: self.cleaned_data[LevelsForm.field_name_for(c.pk)]
            for c in self.competences
        }
