"""Account forms: sign-up with the reporter's identity (SPEC §6) and the profile."""
from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lapor.accounts import services
from lapor.accounts.models import Sex
from lapor.accounts.phone import normalize_phone
from lapor.core.security import client_ip


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class SignupForm(forms.Form):
    """Extra fields of allauth's sign-up (ACCOUNT_SIGNUP_FORM_CLASS); allauth adds username,
    e-mail and password and calls ``signup`` once the user is saved."""

    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150,
                                widget=forms.TextInput(attrs={"autocomplete": "name"}))
    nik = forms.CharField(
        label=_("NIK"), max_length=24,
        help_text=_("16 digit Nomor Induk Kependudukan pada KTP. Disimpan terenkripsi dan tidak pernah ditampilkan ke publik."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    sex = forms.ChoiceField(label=_("Jenis kelamin"), choices=Sex.choices, widget=forms.RadioSelect)
    birth_date = forms.DateField(label=_("Tanggal lahir"), widget=DateInput(attrs={"autocomplete": "bday"}))
    occupation = forms.CharField(label=_("Pekerjaan"), max_length=100, required=False)
    phone = forms.CharField(
        label=_("Nomor telepon"), max_length=30, required=False,
        help_text=_("Nomor Indonesia, misalnya 0812-3456-7890. Untuk kabar laporan lewat SMS. Nomor ini berlaku "
                    "setelah Anda memasukkan kode yang kami kirim ke nomor itu lewat SMS."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "type": "tel"}),
    )

    field_order = ["full_name", "username", "email", "nik", "sex", "birth_date", "occupation", "phone",
                   "password1", "password2"]

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        if value > timezone.localdate():
            raise ValidationError(_("Tanggal lahir tidak boleh di masa depan."))
        return value

    # The account the NIK and phone may already belong to (a phone-only account being
    # taken over, lapor/accounts/claims.py); None for a new one.
    identity_owner = None
    # Sign-up does not say on the page that a NIK has an account: anyone holding someone's
    # NIK would learn it. It sets ``nik_held`` instead, and lapor/accounts/signup.py makes no
    # account and tells by e-mail (docs/decisions/0009-nik-held-at-sign-up.md). Nor that a
    # phone number has one: the number waits for its SMS code as any other, and the page
    # after the code says it (docs/decisions/0010-phone-held-at-sign-up.md).
    says_nik_taken = False
    nik_held = False

    def clean(self):
        cleaned = super().clean()
        if {"nik", "birth_date", "sex"} <= cleaned.keys():
            try:
                identity = services.clean_identity(
                    nik=cleaned["nik"], birth_date=cleaned["birth_date"], sex=cleaned["sex"],
                    phone=cleaned.get("phone", ""), exclude_user=self.identity_owner,
                    taken_nik_refused=self.says_nik_taken,
                )
            except ValidationError as error:
                for field, errors in error.error_dict.items():
                    self.add_error(field, errors)
            else:
                self.nik_held = identity.pop("nik_taken")
                cleaned.update(identity)
        return cleaned

    def signup(self, request, user):
        data = self.cleaned_data
        profile = services.account_register(
            user=user, full_name=data["full_name"], nik=data["nik"], sex=data["sex"], birth_date=data["birth_date"],
            occupation=data.get("occupation", ""), phone=data.get("phone", ""), address=client_ip(request),
        )
        if data.get("phone") and not profile.pending_phone:
            messages.warning(request, _("Kode untuk nomor telepon Anda tidak dapat dikirim lewat SMS saat ini. "
                                        "Tambahkan nomor itu nanti di halaman Profil."))


class ProfileForm(forms.Form):
    """Name, occupation and phone on the profile. Changing the phone (or removing it) asks
    for the current password, checked as a sign-in is (allauth, with axes' lockout): a
    session left open on a shared computer must not move the account's SMS to another
    number. A new number then still has to be proven by a code (lapor/accounts/claims.py)."""

    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    occupation = forms.CharField(label=_("Pekerjaan"), max_length=100, required=False)
    phone = forms.CharField(label=_("Nomor telepon"), max_length=30, required=False,
                            help_text=_("Nomor baru berlaku setelah Anda memasukkan kode yang kami kirim ke nomor itu "
                                        "lewat SMS."),
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
    current_password = forms.CharField(
        label=_("Kata sandi saat ini"), required=False, strip=False,
        help_text=_("Diperlukan bila Anda mengubah nomor telepon."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, current_phone: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.current_phone = user, current_phone

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        return normalize_phone(phone) if phone else ""

    @property
    def phone_changed(self) -> bool:
        return "phone" in self.cleaned_data and self.cleaned_data["phone"] != self.current_phone

    def clean(self):
        cleaned = super().clean()
        if self.phone_changed:
            if not self.user.has_usable_password():
                self.add_error("current_password", _(
                    "Akun Anda belum memiliki kata sandi (Anda masuk lewat Google, Facebook, atau X). Buat kata "
                    "sandi dahulu lewat “Ubah kata sandi” di bawah, lalu ubah nomor telepon dengan kata sandi itu."))
            else:
                from allauth.account.adapter import get_adapter

                if not get_adapter().reauthenticate(self.user, cleaned.get("current_password") or ""):
                    self.add_error("current_password", _("Kata sandi salah."))
        return cleaned


class IdentityForm(forms.Form):
    """NIK, sex and birth date for an account that has none yet (profile page)."""

    nik = SignupForm.base_fields["nik"]
    sex = SignupForm.base_fields["sex"]
    birth_date = SignupForm.base_fields["birth_date"]

    def clean_birth_date(self):
        return SignupForm.clean_birth_date(self)


class ClaimPhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Nomor telepon"), max_length=30,
        help_text=_("Nomor yang Anda pakai untuk melapor lewat SMS, atau yang dicatat RT/RW Anda."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "type": "tel"}),
    )


class ClaimCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Kode dari SMS"), max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class ClaimCompleteForm(SignupForm):
    """Sign-up for an account SMS or an RT/RW created: the phone is already proven, the
    rest is asked as at sign-up, with allauth's own checks of name, address and password."""

    username = forms.CharField(label=_("Nama pengguna"), max_length=150,
                               widget=forms.TextInput(attrs={"autocomplete": "username"}))
    email = forms.EmailField(label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password1 = forms.CharField(label=_("Kata sandi"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("Kata sandi (sekali lagi)"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    field_order = ["full_name", "username", "email", "nik", "sex", "birth_date", "occupation",
                   "password1", "password2"]

    # The phone is proven (a code came back) and the claim's codes are limited: the
    # claimant is told on the page, as on the profile.
    says_nik_taken = True

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["phone"]
        self.identity_owner = user

    def clean_username(self):
        from allauth.account.adapter import get_adapter

        return get_adapter().clean_username(self.cleaned_data["username"])

    def clean_email(self):
        from allauth.account.adapter import get_adapter
        from allauth.account.models import EmailAddress
        from allauth.account.utils import filter_users_by_email

        email = get_adapter().clean_email(self.cleaned_data["email"])
        if filter_users_by_email(email) or EmailAddress.objects.filter(email__iexact=email).exists():
            raise ValidationError(_("Alamat e-mail ini sudah dipakai akun lain."))
        return email

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("Kedua kata sandi tidak sama."))
        elif first:
            from allauth.account.adapter import get_adapter

            probe = type(self.identity_owner)(username=cleaned.get("username") or "",
                                              email=cleaned.get("email") or "",
                                              full_name=cleaned.get("full_name") or "")
            try:
                get_adapter().clean_password(first, user=probe)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned
