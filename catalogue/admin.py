from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from catalogue.drafts import level_in_use, scale_level_usage
from catalogue.models import (
    Competence,
    CompetenceIndicator,
    Framework,
    Indicator,
    Level,
    Scale,
)


class LevelFormSet(BaseInlineFormSet):
    """Refuses to delete or renumber a level that people or role profiles
    are at, as the draft editor does."""

    def clean(self) -> None:
        super().clean()
        gone = [
            form.initial["number"]
            for form in self.forms
            if form.instance.pk
            and (form in self.deleted_forms or "number" in form.changed_data)
        ]
        errors = []
        for number in sorted(set(gone)):
            used = scale_level_usage(self.instance, number)
            if used:
                errors.append(level_in_use(number, used))
        if errors:
            raise ValidationError(errors)


class LevelInline(admin.TabularInline):
    model = Level
    formset = LevelFormSet
    extra = 0


@admin.register(Scale)
class ScaleAdmin(admin.ModelAdmin):
    list_display = ["name"]
    inlines = [LevelInline]


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["name", "version", "status", "language"]
    list_filter = ["status"]


class CompetenceIndicatorInline(admin.TabularInline):
    model = CompetenceIndicator
    extra = 0
    autocomplete_fields = ["indicator"]


@admin.register(Competence)
class CompetenceAdmin(admin.ModelAdmin):
    list_display = ["name", "framework", "position"]
    list_filter = ["framework"]
    inlines = [CompetenceIndicatorInline]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["text", "framework"]
    list_filter = ["framework"]
    search_fields = ["text"]
