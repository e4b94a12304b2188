from allauth.account.admin import EmailAddressAdmin as AllauthEmailAddressAdmin
from allauth.account.models import EmailAddress
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
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


class AccountCreationForm(AdminUserCreationForm):
    """A new account as the admin makes one (a government's first admin, an officer): with
    its e-mail address, which sign-in needs (it is confirmed by a link sent at the first
    sign-in). Without one the account could never sign in."""

    email = forms.EmailField(label=_("alamat e-mail"), help_text=_(
        "Wajib: pemilik akun masuk dengan alamat ini setelah mengonfirmasinya lewat tautan yang "
        "dikirim saat pertama kali masuk."))

    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "full_name", "email")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email=email).exists() or EmailAddress.objects.filter(email=email).exists():
            raise forms.ValidationError(_("Alamat e-mail ini sudah dipakai akun lain."))
        return email


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
    add_form = AccountCreationForm
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "full_name", "email", "usable_password",
                                                "password1", "password2"]}),
    ]
    inlines = [MembershipInline]


# allauth's list of addresses searches "email" by substring, which a sealed column cannot
# answer (lapor/core/crypto.py): search the whole address, or the account's username or name.
admin.site.unregister(EmailAddress)


@admin.register(EmailAddress)
class EmailAddressAdmin(AllauthEmailAddressAdmin):
    def get_search_fields(self, request):
        return ["=email", "user__username", "user__full_name"]
