from django.contrib import admin

from catalogue.models import (
    Competence,
    CompetenceIndicator,
    Framework,
    Indicator,
    Level,
    Scale,
)


class LevelInline(admin.TabularInline):
    model = Level
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
