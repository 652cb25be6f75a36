from django.contrib import admin

from conversations.models import Action


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["kind", "competence", "person", "unit", "status", "due_on"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["person", "unit", "competence", "mentor", "owner", "created_by"]
