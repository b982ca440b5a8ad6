"""Admin for site admins: partnerships and who coordinates them, members, rounds.

Responses, answers and invitations are deliberately not here: the admin would otherwise show
who answered what, which nobody may see.
"""

from django.contrib import admin

from . import services
from .models import Member, Partnership, Round


class RoundInline(admin.TabularInline):
    model = Round
    extra = 0
    fields = ["title", "opens_on", "closes_on", "status", "min_group_size"]
    # The minimum group size protects the answers a round holds: lowering it after opening
    # would show groups its respondents were promised would stay hidden.
    readonly_fields = ["status", "min_group_size"]
    show_change_link = True


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "contact_name", "coordinator_names"]
    search_fields = ["name", "area", "coordinators__username", "coordinators__email"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["coordinators", "readers"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "area", "coordinators"]}),
        (
            "Readers of the reports",
            {
                "description": "They can read the reports of opened rounds, and nothing else. "
                "Coordinators invite both from the partnership's team page.",
                "fields": ["readers"],
            },
        ),
        (
            "Contact for members",
            {
                "description": "Named on every invitation and respondent page; replies to "
                "invitations go to the e-mail address.",
                "fields": ["contact_name", "contact_email"],
            },
        ),
    ]
    inlines = [RoundInline]

    @admin.display(description="Coordinators")
    def coordinator_names(self, partnership: Partnership) -> str:
        return ", ".join(user.get_username() for user in partnership.coordinators.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("coordinators")


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "organisation", "sector", "role", "partnership"]
    list_filter = ["partnership", "sector", "role"]
    list_select_related = ["partnership"]
    search_fields = ["name", "email", "organisation"]
    readonly_fields = ["erased_at"]

    def get_readonly_fields(self, request, obj=None):
        # A member answering an open round keeps their address: their link, which opens their
        # answers, must not be sent anywhere else (services.member_save).
        if obj is not None and obj.answering_rounds().exists():
            return [*self.readonly_fields, "email"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change) -> None:
        services.member_save(member=obj, email_changed=change and "email" in form.changed_data)


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    """Rounds are run by coordinators; here an admin can correct a title or dates."""

    list_display = ["title", "partnership", "opens_on", "closes_on", "status"]
    list_filter = ["status", "partnership"]
    list_select_related = ["partnership"]
    search_fields = ["title", "partnership__name"]
    # Opening freezes the questionnaire (services.round_open): status is changed only there.
    readonly_fields = ["status", "opened_at", "closed_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_draft:  # see RoundInline
            return [*self.readonly_fields, "min_group_size"]
        return self.readonly_fields
