"""Admin for site admins: networks and their staff.

Which partnerships are in a network is the partnerships' own choice (their coordinators join and
leave, services.py), so the admin lists the members read-only and cannot add one.
"""

from django.contrib import admin

from .models import Network, NetworkMembership


class MembershipInline(admin.TabularInline):
    model = NetworkMembership
    extra = 0
    fields = ["partnership", "joined_at", "joined_by"]
    readonly_fields = fields
    can_delete = False
    verbose_name = "partnership that has joined"
    verbose_name_plural = "partnerships that have joined (their coordinators join and leave)"

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "staff_names", "partnerships"]
    search_fields = ["name", "staff__username", "staff__email"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["staff"]
    fields = ["name", "slug", "staff"]
    inlines = [MembershipInline]

    @admin.display(description="Staff")
    def staff_names(self, network: Network) -> str:
        return ", ".join(user.get_username() for user in network.staff.all())

    @admin.display(description="Partnerships")
    def partnerships(self, network: Network) -> int:
        return len(network.memberships.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("staff", "memberships")
