from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Band, Principle, ScalePoint, Statement


class StatementInline(admin.TabularInline):
    model = Statement
    extra = 0
    fields = ["order", "text", "hint", "is_active"]
    ordering = ["order"]


@admin.register(Principle)
class PrincipleAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "summary"]
    list_display_links = ["number", "title"]
    search_fields = ["title", "summary", "guidance", "statements__text"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [StatementInline]
    history_list_display = ["title", "summary"]


@admin.register(Statement)
class StatementAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "principle", "order", "is_active"]
    list_filter = ["principle", "is_active"]
    list_select_related = ["principle"]
    search_fields = ["text", "hint", "principle__title"]
    history_list_display = ["text", "is_active"]


@admin.register(ScalePoint)
class ScalePointAdmin(SimpleHistoryAdmin):
    list_display = ["value", "label"]


@admin.register(Band)
class BandAdmin(SimpleHistoryAdmin):
    list_display = ["name", "min_mean", "tone", "description"]
