from django.contrib import admin

from lapor.following.models import Follow


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    """Read-only: what people follow (to answer "why did I get this e-mail?")."""

    list_display = ["created_at", "user", "key"]
    search_fields = ["user__username", "key"]
    list_select_related = ["user"]
    readonly_fields = [f.name for f in Follow._meta.fields]

    def has_add_permission(self, request):
        return False
