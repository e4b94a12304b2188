from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from lapor.accounts.models import User
from lapor.agencies.models import Membership
from lapor.audit.admin import AuditedAdmin


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["agency"]
    verbose_name = _("peran di instansi")
    verbose_name_plural = _("peran di instansi")


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    """Accounts and their roles. Reporters' personal data (NIK, phone, birth date) is
    deliberately not shown here: only the reporter and the audited identity reveal see it."""

    list_display = ["username", "full_name", "is_staff", "is_active", "last_login"]
    search_fields = ["username", "full_name"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Data diri"), {"fields": ["full_name", "email"]}),
        (_("Hak akses"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Tanggal penting"), {"fields": ["last_login", "date_joined"]}),
    ]
    inlines = [MembershipInline]
