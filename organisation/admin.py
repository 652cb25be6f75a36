from django.contrib import admin

from organisation.models import OrgUnit, Person, Role


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "parent"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent", "leaders"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["employee_number", "first_name", "last_name", "unit", "active"]
    list_filter = ["active"]
    search_fields = ["employee_number", "first_name", "last_name", "email"]
    autocomplete_fields = ["unit", "user"]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "unit", "can_change_people"]
    list_filter = ["kind"]
    autocomplete_fields = ["user", "unit"]
