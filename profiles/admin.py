from django.contrib import admin

from profiles.models import Assessment, Expectation


@admin.register(Expectation)
class ExpectationAdmin(admin.ModelAdmin):
    list_display = ["person", "competence", "level", "created_at", "is_current"]
    list_filter = ["is_current"]
    raw_id_fields = ["person", "competence", "set_by"]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
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
