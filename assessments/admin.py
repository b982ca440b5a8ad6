"""Admin for site admins: partnerships and who coordinates them, members, rounds.

Responses, answers and invitations are deliberately not here: the admin would otherwise show
who answered what, which nobody may see.
"""

from django.contrib import admin

from . import audit, services
from .audit import Kind
from .models import Member, Partnership, Round


class AuditedAdmin(admin.ModelAdmin):
    """What a site admin adds, changes or deletes here goes in the partnership's trail as well as
    in Django's admin log: who, what and on what (a member by number), the names of the fields
    changed and never their values. Subclasses say which kinds they record."""

    added: Kind
    changed: Kind
    deleted: Kind | None  # None: nothing is left to read the trail (a partnership's own)

    def partnership_of(self, obj) -> int:
        return obj.partnership_id

    def record(self, request, kind: Kind, obj, fields=()) -> None:
        details = {"in_admin": True}
        if fields:
            details["fields"] = list(fields)
        audit.record(request.user, kind, self.partnership_of(obj), obj, **details)

    def save_object(self, request, obj, form, change) -> None:
        obj.save()

    def save_model(self, request, obj, form, change) -> None:
        self.save_object(request, obj, form, change)
        if not change:
            self.record(request, self.added, obj)
        elif form.changed_data:
            self.record(request, self.changed, obj, form.changed_data)

    def save_formset(self, request, form, formset, change) -> None:
        # The partnership's rounds, added, changed or deleted on its page; a deletion is
        # recorded while the round still has its number.
        for deleted in formset.deleted_forms:
            if deleted.instance.pk:
                self.record(request, Kind.ROUND_DELETED, deleted.instance)
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            self.record(request, Kind.ROUND_CREATED, obj)
        for obj, fields in formset.changed_objects:
            self.record(request, Kind.ROUND_CHANGED, obj, fields)

    def delete_model(self, request, obj) -> None:
        if self.deleted:
            self.record(request, self.deleted, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset if self.deleted else ():
            self.record(request, self.deleted, obj)
        super().delete_queryset(request, queryset)


class RoundInline(admin.TabularInline):
    model = Round
    extra = 0
    fields = ["title", "opens_on", "closes_on", "status", "min_group_size"]
    # The minimum group size protects the answers a round holds: lowering it after opening
    # would show groups its respondents were promised would stay hidden.
    readonly_fields = ["status", "min_group_size"]
    show_change_link = True


@admin.register(Partnership)
class PartnershipAdmin(AuditedAdmin):
    added, changed, deleted = Kind.PARTNERSHIP_CREATED, Kind.PARTNERSHIP_CHANGED, None

    def partnership_of(self, obj) -> int:
        return obj.pk

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
class MemberAdmin(AuditedAdmin):
    added, changed, deleted = Kind.MEMBER_ADDED, Kind.MEMBER_CHANGED, Kind.MEMBER_DELETED
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

    def save_object(self, request, obj, form, change) -> None:
        services.member_save(member=obj, email_changed=change and "email" in form.changed_data)


@admin.register(Round)
class RoundAdmin(AuditedAdmin):
    """Rounds are run by coordinators; here an admin can correct a title or dates."""

    added, changed, deleted = Kind.ROUND_CREATED, Kind.ROUND_CHANGED, Kind.ROUND_DELETED

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
