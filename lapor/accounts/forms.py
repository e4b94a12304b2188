"""Account forms: sign-up with the reporter's identity (SPEC §6) and the profile."""
from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lapor.accounts import services
from lapor.accounts.models import Sex


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
        help_text=_("Nomor Indonesia, misalnya 0812-3456-7890. Untuk kabar laporan lewat SMS."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "type": "tel"}),
    )

    field_order = ["full_name", "username", "email", "nik", "sex", "birth_date", "occupation", "phone",
                   "password1", "password2"]

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        if value > timezone.localdate():
            raise ValidationError(_("Tanggal lahir tidak boleh di masa depan."))
        return value

    def clean(self):
        cleaned = super().clean()
        if {"nik", "birth_date", "sex"} <= cleaned.keys():
            try:
                identity = services.clean_identity(
                    nik=cleaned["nik"], birth_date=cleaned["birth_date"], sex=cleaned["sex"],
                    phone=cleaned.get("phone", ""),
                )
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    for message in messages:
                        self.add_error(field, message)
            else:
                cleaned.update(identity)
        return cleaned

    def signup(self, request, user):
        data = self.cleaned_data
        services.account_register(
            user=user, full_name=data["full_name"], nik=data["nik"], sex=data["sex"], birth_date=data["birth_date"],
            occupation=data.get("occupation", ""), phone=data.get("phone", ""),
        )


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    occupation = forms.CharField(label=_("Pekerjaan"), max_length=100, required=False)
    phone = forms.CharField(label=_("Nomor telepon"), max_length=30, required=False,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
