"""Template tags for showing the catalogue's own words: marked with their
language inside a sentence of the interface, and a choice of framework."""

from __future__ import annotations

from django import forms, template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from catalogue.models import Framework
from catalogue.widgets import FrameworkSelect

register = template.Library()


@register.simple_tag
def marked(text: str, words: str, language: str) -> SafeString:
    """The text escaped, with each occurrence of `words` (a competence or
    framework name, say) inside an element marked with its language, so a
    screen reader pronounces a Norwegian name in an English sentence as
    Norwegian."""
    if not words:
        return escape(text)
    span = format_html('<span lang="{}">{}</span>', language, words)
    return mark_safe(span.join(escape(part) for part in str(text).split(words)))


@register.inclusion_tag("catalogue/_framework_switch.html", takes_context=True)
def framework_switch(context: template.Context, framework: Framework | None) -> dict:
    """A choice of published framework for pages that show one, when there
    is more than one; the page's other query parameters are kept."""
    frameworks = list(Framework.objects.published().oldest_first())
    request = context["request"]
    kept = request.GET.copy()
    for name in ("framework", "page"):
        kept.pop(name, None)
    field = forms.TypedChoiceField(coerce=int, widget=FrameworkSelect)
    field.choices = field.widget.use(frameworks)
    chosen = framework.pk if framework else None
    return {
        "shown": len(frameworks) > 1,
        "select": field.widget.render(
            "framework", chosen, attrs={"id": "framework-switch"}
        ),
        "kept": [(name, value) for name in kept for value in kept.getlist(name)],
    }
