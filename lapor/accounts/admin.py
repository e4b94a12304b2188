from allauth.account.admin import EmailAddressAdmin as AllauthEmailAddressAdmin
from allauth.account.models import EmailAddress
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
    # "=email": the whole address, matched on its sealed form (no partial search on it).
    search_fields = ["username", "full_name", "=email"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Data diri"), {"fields": ["full_name", "email"]}),
        (_("Hak akses"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Tanggal penting"), {"fields": ["last_login", "date_joined"]}),
    ]
    inlines = [MembershipInline]


# allauth's list of addresses searches "email" by substring, which a sealed column cannot
# answer (lapor/core/crypto.py): search the whole address, or the account's username or name.
admin.site.unregister(EmailAddress)


@admin.register(EmailAddress)
class EmailAddressAdmin(AllauthEmailAddressAdmin):
    def get_search_fields(self, request):
        return ["=email", "user__username", "user__full_name"]
