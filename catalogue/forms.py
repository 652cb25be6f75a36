from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from catalogue.comments import MODERATION
from catalogue.models import Comment

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
        label=_("Framework"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, frameworks, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["framework"].choices = [("", _("All"))] + [
            (f.pk, str(f)) for f in frameworks
        ]

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
