"""Forms of the agency administration screens (units, staff, answer templates, routing)."""
from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from allauth.account.adapter import get_adapter

from lapor.agencies.models import Agency, Role, RoutingRule
from lapor.categories.models import Category
from lapor.core.choices import ListedModelChoiceField
from lapor.office.forms import AgencyChoiceField
from lapor.office.models import AnswerTemplate
from lapor.regions.lookup import region_from_code

# Roles an agency admin may hand out inside their own tree. Supervisors, the national
# admin and the identity custodian are appointed by the national admin (Django admin).
GRANTABLE_ROLES = (Role.AGENCY_ADMIN, Role.UNIT_ADMIN, Role.OFFICER)


class UnitForm(forms.Form):
    parent = AgencyChoiceField(label=_("Di bawah"), queryset=Agency.objects.none())
    name = forms.CharField(label=_("Nama unit kerja"), max_length=200)
    short_name = forms.CharField(label=_("Singkatan (opsional)"), max_length=60, required=False)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = agencies


class UnitEditForm(forms.Form):
    name = forms.CharField(label=_("Nama unit kerja"), max_length=200)
    short_name = forms.CharField(label=_("Singkatan (opsional)"), max_length=60, required=False)
    is_active = forms.BooleanField(
        label=_("Aktif"), required=False,
        help_text=_("Unit nonaktif tidak dapat dipilih sebagai tujuan laporan, disposisi atau pelimpahan."))


class StaffForm(forms.Form):
    agency = AgencyChoiceField(label=_("Instansi/unit"), queryset=Agency.objects.none())
    role = forms.ChoiceField(label=_("Peran"), choices=[(r.value, r.label) for r in GRANTABLE_ROLES])
    username = forms.CharField(label=_("Nama pengguna atau e-mail"), max_length=150,
                               help_text=_("Akun yang sudah ada; atau isi kolom di bawah untuk membuat akun petugas baru."))
    full_name = forms.CharField(label=_("Nama lengkap (akun baru)"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail (akun baru)"), required=False)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies

    def clean(self):
        data = super().clean()
        username = (data.get("username") or "").strip()
        if not username:
            return data
        User = get_user_model()
        user = User.objects.filter(Q(username__iexact=username) | Q(email__iexact=username)).first()
        if user is not None and (data.get("full_name") or data.get("email")):
            # The name and e-mail are for a new account: with them, this was meant to be one,
            # and the role must not go silently to whoever already holds the name.
            self.add_error("username", _(
                "Akun dengan nama pengguna atau e-mail ini sudah ada. Untuk memberinya peran, kosongkan nama "
                "lengkap dan e-mail; untuk akun baru, pilih nama pengguna lain."))
        if user is None:
            if not data.get("full_name") or not data.get("email"):
                raise forms.ValidationError(
                    _("Akun %(name)s belum ada. Isi nama lengkap dan e-mail untuk membuat akun petugas baru.")
                    % {"name": username})
            if "@" in username:
                self.add_error("username", _("Nama pengguna baru tidak boleh berupa alamat e-mail."))
            else:
                try:  # the rules of a sign-up: letters, digits and @.+-_ only; no reserved prefix
                    get_adapter().clean_username(username)
                except forms.ValidationError as error:
                    self.add_error("username", error)
            if User.objects.filter(email__iexact=data["email"]).exists():
                self.add_error("email", _("E-mail ini sudah dipakai akun lain."))
        data["user"] = user
        return data


class AnswerTemplateForm(forms.ModelForm):
    agency = AgencyChoiceField(label=_("Instansi"), queryset=Agency.objects.none())

    class Meta:
        model = AnswerTemplate
        fields = ["agency", "title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class RoutingRuleForm(forms.Form):
    category = ListedModelChoiceField(label=_("Kategori"), queryset=Category.objects.none())
    region = forms.CharField(label=_("Kode wilayah (opsional)"), max_length=13, required=False,
                             help_text=_("Misalnya 63.72 untuk Kota Banjarbaru; kosong: semua wilayah."))
    agency = AgencyChoiceField(label=_("Instansi tujuan"), queryset=Agency.objects.none())

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["category"].queryset = Category.objects.filter(is_active=True).select_related("parent").order_by(
            "parent__position", "parent__name", "position", "name")

    def clean_region(self):
        code = (self.cleaned_data.get("region") or "").strip()
        return region_from_code(code) if code else None  # "6372" and "63.72" alike; says what is wrong

    def clean(self):
        data = super().clean()
        if data.get("category") is not None and "region" in data:
            existing = RoutingRule.objects.filter(category=data["category"], region=data["region"]).select_related("agency").first()
            if existing is not None:
                raise forms.ValidationError(
                    _("Sudah ada aturan untuk kategori dan wilayah ini (ke %(agency)s).") % {"agency": existing.agency.name})
        return data


class ProxyForm(forms.Form):
    """Appoint a citizen as the RT/RW representative of a village (lapor/accounts/proxies.py)."""

    username = forms.CharField(label=_("Akun warga (nama pengguna atau e-mail)"), max_length=150)
    region = forms.CharField(label=_("Kelurahan/desa (kode wilayah)"), max_length=13,
                             widget=forms.TextInput(attrs={"placeholder": "63.72.02.1001"}))

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        User = get_user_model()
        user = User.objects.filter(Q(username__iexact=username) | Q(email__iexact=username)).first()
        if user is None:
            raise forms.ValidationError(_("Tidak ada akun “%(name)s”. Warga mendaftar dahulu di Lapor.")
                                        % {"name": username})
        return user

    def clean_region(self):
        return region_from_code(self.cleaned_data["region"].strip())
