"""Mark the catalogue's own words inside a sentence of the interface."""

from __future__ import annotations

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

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
