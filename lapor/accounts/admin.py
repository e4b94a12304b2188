from allauth.account.admin import EmailAddressAdmin as AllauthEmailAddressAdmin
from allauth.account.models import EmailAddress
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from lapor.accounts.erasure import account_erase, erase_refusal
from lapor.accounts.joining import account_join_phone_only
from lapor.accounts.models import User
from lapor.agencies.models import Membership, Role
from lapor.audit.admin import AuditedAdmin
from lapor.audit.services import client_ip
from lapor.reports import policy


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


class ErasureRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        error_messages={"required": _("Alasan wajib diisi.")},
        help_text=_("Wajib: misalnya nomor surat atau tiket permintaan, dan bagaimana pemilik akun dipastikan. "
                    "Tercatat dalam log audit; jangan menulis nama, NIK, atau nomor telepon di sini."))

    def clean_reason(self):
        reason = " ".join(self.cleaned_data["reason"].split())
        if not reason:
            raise ValidationError(_("Alasan wajib diisi."))
        return reason


class JoinRequestForm(ErasureRequestForm):
    """The completed account a phone-only account's reports move to, and why."""

    into = forms.CharField(label=_("Nama pengguna akun tujuan"), max_length=150, error_messages={
        "required": _("Nama pengguna akun tujuan wajib diisi.")}, help_text=_(
        "Akun warga yang sudah lengkap, milik orang yang memegang nomor itu."))

    field_order = ["into", "reason"]

    def clean_into(self):
        username = self.cleaned_data["into"].strip()
        into = User.objects.filter(username=username).first()
        if into is None:
            raise ValidationError(_("Tidak ada akun dengan nama pengguna ini."))
        return into


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
    actions = ["erase_personal_data", "join_phone_only"]

    @admin.action(description=_("Hapus data pribadi (atas permintaan)"), permissions=["erase"])
    def erase_personal_data(self, request, queryset):
        """The operating agency erases a person's data on their request (a phone-only
        account, a citizen who lost the password): lapor/accounts/erasure.py, after a
        confirmation page with the reason, which the audit log keeps."""
        form = ErasureRequestForm(request.POST if "confirm" in request.POST else None)
        if form.is_bound and form.is_valid():
            erased = 0
            for user in queryset:
                label = user.username
                try:
                    account_erase(user=user, by=request.user, reason=form.cleaned_data["reason"], via_admin=True,
                                  ip=client_ip(request))
                except ValidationError as error:
                    self.message_user(request, f"{label}: {' '.join(error.messages)}", messages.ERROR)
                else:
                    erased += 1
            if erased:
                self.message_user(request, ngettext(
                    "Data pribadi %(count)d akun telah dihapus; laporannya tetap ada, tanpa nama.",
                    "Data pribadi %(count)d akun telah dihapus; laporannya tetap ada, tanpa nama.", erased)
                    % {"count": erased}, messages.SUCCESS)
            return None
        accounts = [(user, erase_refusal(user)) for user in queryset]
        return TemplateResponse(request, "admin/accounts/user/erase_personal_data.html", {
            **self.admin_site.each_context(request),
            "title": gettext("Hapus data pribadi (atas permintaan)"),
            "opts": self.model._meta,
            "accounts": accounts,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }, status=400 if form.is_bound else 200)

    @admin.action(description=_("Pindahkan laporan akun nomor telepon ke akun warga lain"), permissions=["erase"])
    def join_phone_only(self, request, queryset):
        """For the citizen who can no longer receive the number's SMS: the operating agency
        moves a phone-only account's reports and number to their completed account
        (lapor/accounts/joining.py), after a page with the target and the reason."""
        form = JoinRequestForm(request.POST if "confirm" in request.POST else None)
        if form.is_bound and form.is_valid():
            into = form.cleaned_data["into"]
            for user in queryset:
                label = user.username
                try:
                    account_join_phone_only(phone_only=user, into=into, by=request.user, via_admin=True,
                                            ip=client_ip(request), reason=form.cleaned_data["reason"])
                except ValidationError as error:
                    self.message_user(request, f"{label}: {' '.join(error.messages)}", messages.ERROR)
                else:
                    self.message_user(request, gettext("%(source)s: laporan dan nomornya kini di akun %(into)s.")
                                      % {"source": label, "into": into.username}, messages.SUCCESS)
            return None
        return TemplateResponse(request, "admin/accounts/user/join_phone_only.html", {
            **self.admin_site.each_context(request),
            "title": gettext("Pindahkan laporan akun nomor telepon ke akun warga lain"),
            "opts": self.model._meta,
            "accounts": list(queryset),
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }, status=400 if form.is_bound else 200)

    def has_erase_permission(self, request):
        # Superusers and national admins: the operating agency's own administrators.
        user = request.user
        return user.is_active and (user.is_superuser or policy.actor_for(user).has(Role.NATIONAL_ADMIN))


# allauth's list of addresses searches "email" by substring, which a sealed column cannot
# answer (lapor/core/crypto.py): search the whole address, or the account's username or name.
admin.site.unregister(EmailAddress)


@admin.register(EmailAddress)
class EmailAddressAdmin(AllauthEmailAddressAdmin):
    def get_search_fields(self, request):
        return ["=email", "user__username", "user__full_name"]
