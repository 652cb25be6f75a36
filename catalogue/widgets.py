"""Form widgets that show the catalogue's own words."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms

from catalogue.models import Framework


class FrameworkSelect(forms.Select):
    """A choice of frameworks whose options are marked with each
    framework's language, so a screen reader reads a Norwegian name as
    Norwegian in the English interface."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.languages: dict[str, str] = {}

    def use(self, frameworks: Iterable[Framework]) -> list[tuple[int, str]]:
        """Remember the frameworks' languages; returns their choices."""
        frameworks = list(frameworks)
        self.languages = {str(f.pk): f.language for f in frameworks}
        return [(f.pk, str(f)) for f in frameworks]

    def create_option(self, name, value, label, selected, index, **kwargs):  # type: ignore[no-untyped-def]
        option = super().create_option(name, value, label, selected, index, **kwargs)
        language = self.languages.get(str(value))
        if language:
            option["attrs"]["lang"] = language
        return option
