from django.contrib import admin
from django.db import transaction

from profiles import current as current_levels
from profiles.models import Assessment, Expectation


class KeepsCurrentLevels(admin.ModelAdmin):
    """Hand edits keep the current levels table true, like every writer."""

    @transaction.atomic
    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        old = self.model.objects.filter(pk=obj.pk).values_list(
            "person_id", "competence_id"
        )
        touched = [*old, (obj.person_id, obj.competence_id)]
        super().save_model(request, obj, form, change)
        refresh_pairs(touched)

    @transaction.atomic
    def delete_model(self, request, obj):  # type: ignore[no-untyped-def]
        super().delete_model(request, obj)
        refresh_pairs([(obj.person_id, obj.competence_id)])

    @transaction.atomic
    def delete_queryset(self, request, queryset):  # type: ignore[no-untyped-def]
        touched = list(queryset.values_list("person_id", "competence_id"))
        super().delete_queryset(request, queryset)
        refresh_pairs(touched)


def refresh_pairs(pairs: list[tuple[int, int]]) -> None:
    current_levels.refresh({p for p, _c in pairs}, {c for _p, c in pairs})


@admin.register(Expectation)
class ExpectationAdmin(KeepsCurrentLevels):
    list_display = ["person", "competence", "level", "created_at", "is_current"]
    list_filter = ["is_current"]
    raw_id_fields = ["person", "competence", "set_by"]


@admin.register(Assessment)
class AssessmentAdmin(KeepsCurrentLevels):
    list_display = [
        "person",
        "competence",
        "kind",
        "level",
        "assessed_on",
        "is_current",
    ]
    list_filter = ["kind", "is_current"]
    raw_id_fields = ["person", "competence", "assessed_by"]
