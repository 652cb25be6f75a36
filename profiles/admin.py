from django.contrib import admin
from django.db import transaction

from audit.log import record_ids
from audit.models import AccessLog
from profiles import current as current_levels
from profiles.models import Assessment, Expectation

# The access log's detail for what is read and changed here.
ADMIN = "admin"


class KeepsCurrentLevels(admin.ModelAdmin):
    """Hand edits keep the current levels table true, like every writer,
    and the access log records them, and every row shown, like every
    page: who read or changed whose expectations or assessments."""

    change_action = ""

    def changelist_view(self, request, extra_context=None):  # type: ignore[no-untyped-def]
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            shown = [row.person_id for row in changelist.result_list]
            record_ids(request.user, shown, AccessLog.Action.READ_TEAM, ADMIN)
        return response

    def render_change_form(self, request, context, *args, **kwargs):  # type: ignore[no-untyped-def]
        # Shown for the row opened and again for a form sent back with
        # errors; Django passes the row by keyword.
        obj = kwargs.get("obj")
        if obj is not None:
            record_ids(
                request.user, [obj.person_id], AccessLog.Action.READ_PROFILE, ADMIN
            )
        return super().render_change_form(request, context, *args, **kwargs)

    @transaction.atomic
    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        old = self.model.objects.filter(pk=obj.pk).values_list(
            "person_id", "competence_id"
        )
        touched = [*old, (obj.person_id, obj.competence_id)]
        super().save_model(request, obj, form, change)
        refresh_pairs(touched)
        self.log_access(request, touched)

    @transaction.atomic
    def delete_model(self, request, obj):  # type: ignore[no-untyped-def]
        super().delete_model(request, obj)
        refresh_pairs([(obj.person_id, obj.competence_id)])
        self.log_access(request, [(obj.person_id, obj.competence_id)])

    @transaction.atomic
    def delete_queryset(self, request, queryset):  # type: ignore[no-untyped-def]
        touched = list(queryset.values_list("person_id", "competence_id"))
        super().delete_queryset(request, queryset)
        refresh_pairs(touched)
        self.log_access(request, touched)

    def log_access(self, request, pairs: list[tuple[int, int]]) -> None:  # type: ignore[no-untyped-def]
        people = [person for person, _c in pairs]
        record_ids(request.user, people, self.change_action, ADMIN)


def refresh_pairs(pairs: list[tuple[int, int]]) -> None:
    current_levels.refresh({p for p, _c in pairs}, {c for _p, c in pairs})


@admin.register(Expectation)
class ExpectationAdmin(KeepsCurrentLevels):
    change_action = AccessLog.Action.CHANGE_EXPECTATIONS
    list_display = ["person", "competence", "level", "created_at", "is_current"]
    list_filter = ["is_current"]
    raw_id_fields = ["person", "competence", "set_by"]


@admin.register(Assessment)
class AssessmentAdmin(KeepsCurrentLevels):
    change_action = AccessLog.Action.CHANGE_ASSESSMENT
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
