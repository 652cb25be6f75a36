from __future__ import annotations

from django import forms
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from catalogue.comments import MODERATION
from catalogue.models import Comment, Framework
from catalogue.widgets import FrameworkSelect

TEXT_LIMIT = 4000


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"),
        max_length=TEXT_LIMIT,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ModerationForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in MODERATION])
    answer = forms.CharField(
        label=_("Answer"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("action") == "answer" and not data.get("answer"):
            self.add_error("answer", _("Write the answer."))
        return data


class QueueFilterForm(forms.Form):
    """The moderation queue's filters; an unknown value is ignored."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All")), *Comment.Status.choices],
        required=False,
    )
    kind = forms.ChoiceField(
        label=_("About"),
        choices=[("", _("All")), *Comment.Kind.choices],
        required=False,
    )
    framework = forms.TypedChoiceField(
        label=_("Framework"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=FrameworkSelect,
    )

    def __init__(self, *args, frameworks, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        field = self.fields["framework"]
        field.choices = [("", _("All")), *field.widget.use(frameworks)]

    def filter(self, comments):  # type: ignore[no-untyped-def]
        if not self.is_valid():
            return comments
        data = self.cleaned_data
        if data["status"]:
            comments = comments.filter(status=data["status"])
        if data["kind"]:
            comments = comments.filter(target_kind=data["kind"])
        if data["framework"]:
            comments = comments.filter(framework_id=data["framework"])
        return comments


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Framework file"))
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[
            ("", _("Recognise from the content")),
            ("case", _("CASE JSON")),
            ("moodle", _("Moodle competency CSV")),
        ],
        required=False,
    )
    dry_run = forms.BooleanField(
        label=_("Only check the file, change nothing"), required=False
    )


class DraftForm(forms.ModelForm):
    class Meta:
        model = Framework
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}


class NewCompetenceForm(forms.Form):
    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        # Shares a page with the framework's own name and description.
        kwargs.setdefault("auto_id", "competence-%s")
        super().__init__(*args, **kwargs)

    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CompetenceForm(NewCompetenceForm):
    """A competence with its indicators (one per line, in order) and what
    each level of the scale means in it."""

    indicators = forms.CharField(
        label=_("Indicators, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
    )

    def __init__(self, *args, levels, language, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.levels = list(levels)
        for level in self.levels:
            # The level's name is the framework's word, marked with its
            # language; the rest of the label is ours, hence safe.
            name = format_html('<span lang="{}">{}</span>', language, level.name)
            self.fields[f"level_{level.number}"] = forms.CharField(
                label=mark_safe(
                    _("What %(level)s means here (optional)") % {"level": name}
                ),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def lines(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["indicators"].splitlines()]
        return list(dict.fromkeys(line for line in lines if line))

    def level_texts(self) -> dict[int, str]:
        return {
            level.number: self.cleaned_data[f"level_{level.number}"].strip()
            for level in self.levels
        }


class ScaleForm(forms.Form):
    """The draft scale's levels; a cleared name deletes a level, and the
    empty row at the end adds one."""

    def __init__(self, *args, levels, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.numbers = [level.number for level in levels]
        for level in levels:
            self.add_level(level.number, level.name, level.description)
        self.fields["new_number"] = forms.IntegerField(
            label=_("New level: number"), min_value=0, max_value=100, required=False
        )
        self.add_level(None, "", "")

    def add_level(self, number: int | None, name: str, description: str) -> None:
        key = "new" if number is None else str(number)
        label = _("New level") if number is None else _("Level %(n)s") % {"n": number}
        self.fields[f"name_{key}"] = forms.CharField(
            label=_("%(level)s: name") % {"level": label},
            initial=name,
            required=False,
            max_length=200,
        )
        self.fields[f"description_{key}"] = forms.CharField(
            label=_("%(level)s: text") % {"level": label},
            initial=description,
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
        )

    def clean(self) -> dict:
        data = super().clean() or {}
        new = data.get("new_number")
        if new is not None and new in self.numbers:
            self.add_error("new_number", _("This level already exists."))
        if new is not None and not data.get("name_new"):
            self.add_error("name_new", _("Give the new level a name."))
        return data

    def levels(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        levels = {
            n: (data[f"name_{n}"], data[f"description_{n}"])
            for n in self.numbers
            if data[f"name_{n}"]
        }
        if data["new_number"] is not None:
            levels[data["new_number"]] = (data["name_new"], data["description_new"])
        return levels
