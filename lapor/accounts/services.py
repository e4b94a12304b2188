"""Writes to accounts and reporter profiles (SPEC §6).

The sign-up form, the proxy's "file for a resident" form and the profile page call these;
none of them writes a ``ReporterProfile`` itself. Personal data goes into the encrypted
profile; its keyed hashes (``nik_hash``, ``phone_hash``) make NIK and phone unique.
"""
from __future__ import annotations

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from lapor.accounts.models import ReporterProfile, User
from lapor.accounts.nik import normalize_nik, validate_nik
from lapor.accounts.phone import normalize_phone
from lapor.core.crypto import lookup_hash
from lapor.core.text import same_words


def nik_taken(nik: str, *, exclude_user=None) -> bool:
    """Whether another account already holds this NIK (asked through the keyed hash)."""
    qs = ReporterProfile.objects.filter(nik_hash=lookup_hash(normalize_nik(nik)))
    if exclude_user is not None:
        qs = qs.exclude(user=exclude_user)
    return qs.exists()


def phone_taken(phone: str, *, exclude_user=None) -> bool:
    qs = ReporterProfile.objects.filter(phone_hash=lookup_hash(phone))
    if exclude_user is not None:
        qs = qs.exclude(user=exclude_user)
    return qs.exists()


def clean_identity(*, nik: str, birth_date: datetime.date | None, sex: str, phone: str, exclude_user=None) -> dict:
    """Validate a NIK against birth date and sex and normalise the phone; both must be free.

    Returns ``{"nik": …, "phone": …}`` normalised, or raises ValidationError per field."""
    errors: dict[str, list] = {}
    result = {"nik": "", "phone": ""}
    try:
        result["nik"] = validate_nik(nik, birth_date=birth_date, sex=sex or None)
    except ValidationError as error:
        errors["nik"] = error.messages
    else:
        if nik_taken(result["nik"], exclude_user=exclude_user):
            if claims().is_claimable_nik(result["nik"]):
                errors["nik"] = [ValidationError(
                    _("RT/RW Anda sudah pernah melapor atas nama Anda dengan NIK ini. Ambil alih "
                      "akun itu lewat nomor telepon yang dicatatnya: %(url)s") % {"url": claim_url()},
                    code="claimable")]
            else:
                errors["nik"] = [_("NIK ini sudah terdaftar pada akun lain. Masuk dengan akun tersebut, "
                                   "atau hubungi admin bila NIK Anda dipakai orang lain.")]
    if phone:
        try:
            result["phone"] = normalize_phone(phone)
        except ValidationError as error:
            errors["phone"] = error.messages
        else:
            if phone_taken(result["phone"], exclude_user=exclude_user):
                if claims().is_claimable_phone(result["phone"]):
                    errors["phone"] = [ValidationError(
                        _("Nomor ini sudah dipakai untuk melapor lewat SMS atau oleh RT/RW. Ambil "
                          "alih akun itu dengan kode yang kami kirim lewat SMS: %(url)s") % {"url": claim_url()},
                        code="claimable")]
                else:
                    errors["phone"] = [_("Nomor telepon ini sudah terdaftar pada akun lain.")]
    if errors:
        raise ValidationError(errors)
    return result


def claims():
    # Taking over a phone-only account builds on this module's checks.
    from lapor.accounts import claims

    return claims


def claim_url() -> str:
    return reverse("portal:claim")


@transaction.atomic
def account_register(
    *,
    user: User,
    full_name: str,
    nik: str,
    sex: str,
    birth_date: datetime.date,
    occupation: str = "",
    phone: str = "",
) -> ReporterProfile:
    """Complete a new account (already saved by allauth) with the reporter's identity.

    Side effects: sets ``user.full_name``; creates the encrypted ``ReporterProfile`` with
    the e-mail copied from ``user.email`` (kept in step by ``account_sync_email``). Raises
    ValidationError (``nik``, ``phone``) when the NIK is invalid or either is taken."""
    clean = clean_identity(nik=nik, birth_date=birth_date, sex=sex, phone=phone, exclude_user=user)
    user.full_name = (full_name or "").strip()
    user.save(update_fields=["full_name"])
    try:
        with transaction.atomic():
            return ReporterProfile.objects.create(
                user=user, nik=clean["nik"], sex=sex, birth_date=birth_date, occupation=(occupation or "").strip(),
                phone=clean["phone"], email=user.email or "",
            )
    except IntegrityError:
        # Two sign-ups with one NIK at the same moment: the unique hash decides.
        raise ValidationError({"nik": _("NIK ini sudah terdaftar pada akun lain.")}) from None


def account_update_profile(*, user: User, full_name: str, occupation: str, phone: str) -> ReporterProfile:
    """The citizen corrects their name, occupation or phone (NIK, sex and birth date are
    fixed at sign-up: they are checked against each other)."""
    profile, _created = ReporterProfile.objects.get_or_create(user=user)
    new_phone = ""
    if phone:
        try:
            new_phone = normalize_phone(phone)
        except ValidationError as error:
            raise ValidationError({"phone": error.messages}) from None
        if phone_taken(new_phone, exclude_user=user):
            raise ValidationError({"phone": _("Nomor telepon ini sudah terdaftar pada akun lain.")})
    with transaction.atomic():
        user.full_name = (full_name or "").strip()
        user.save(update_fields=["full_name"])
        profile.occupation = (occupation or "").strip()
        profile.phone = new_phone
        profile.save(update_fields=["occupation", "phone"])
    return profile


@transaction.atomic
def account_add_identity(*, user: User, nik: str, sex: str, birth_date: datetime.date) -> ReporterProfile:
    """Give an account that has no NIK yet its identity (SPEC §6): accounts made before
    social sign-up asked for it, or by the national admin. Once set it is fixed, as at
    sign-up. Raises ValidationError (``nik``) when the NIK is invalid, inconsistent or
    taken, or when the account already has one."""
    profile, _created = ReporterProfile.objects.select_for_update().get_or_create(
        user=user, defaults={"email": user.email or ""})
    if profile.nik:
        raise ValidationError({"nik": _("Akun ini sudah memiliki NIK. Hubungi admin bila NIK itu salah.")})
    clean = clean_identity(nik=nik, birth_date=birth_date, sex=sex, phone="", exclude_user=user)
    profile.nik, profile.sex, profile.birth_date = clean["nik"], sex, birth_date
    try:
        with transaction.atomic():
            profile.save(update_fields=["nik", "sex", "birth_date"])
    except IntegrityError:
        raise ValidationError({"nik": _("NIK ini sudah terdaftar pada akun lain.")}) from None
    return profile


def account_sync_email(*, user: User) -> None:
    """Copy the account's (clear, allauth-owned) e-mail into the encrypted profile copy.

    Called when an address is confirmed; see docs/decisions/0002-account-email.md."""
    profile = ReporterProfile.objects.filter(user=user).first()
    if profile is not None and profile.email != (user.email or ""):
        profile.email = user.email or ""
        profile.save(update_fields=["email"])


@transaction.atomic
def resident_for_proxy(*, full_name: str, phone: str = "", nik: str = "") -> User:
    """The account of a resident an RT/RW files for: found by phone or NIK (keyed hashes),
    otherwise created as a phone-only account with no password. A citizen's own (not
    phone-only) account is used only when the name given is the one it was registered
    with (case and spaces aside): the RT/RW, who sees the reporter's name, learns nothing
    from typing a number.

    At least one of phone or NIK is required, so the resident can be reached and found
    again. Raises ValidationError (``resident_name``, ``resident_phone``, ``resident_nik``)."""
    full_name = (full_name or "").strip()
    errors: dict[str, list] = {}
    if not full_name:
        errors["resident_name"] = [_("Tuliskan nama warga yang diwakili.")]
    clean_phone = clean_nik = ""
    if phone:
        try:
            clean_phone = normalize_phone(phone)
        except ValidationError as error:
            errors["resident_phone"] = error.messages
    if nik:
        try:
            clean_nik = validate_nik(nik)
        except ValidationError as error:
            errors["resident_nik"] = error.messages
    if not phone and not nik:
        errors["resident_phone"] = [_("Isi nomor telepon atau NIK warga.")]
    if errors:
        raise ValidationError(errors)
    profile, field = None, ""
    if clean_phone:
        profile, field = ReporterProfile.objects.select_related("user").filter(
            phone_hash=lookup_hash(clean_phone)).first(), "resident_phone"
    if profile is None and clean_nik:
        profile, field = ReporterProfile.objects.select_related("user").filter(
            nik_hash=lookup_hash(clean_nik)).first(), "resident_nik"
    if profile is not None:
        if not profile.is_phone_only and same_words(profile.user.full_name) != same_words(full_name):
            # A citizen's own account: filed for only under the name they registered, so
            # that a NIK or a phone number typed in never shows an RT/RW whose it is.
            raise ValidationError({field: [_(
                "Nomor ini terdaftar pada akun warga dengan nama lain. Periksa nama dan nomornya, "
                "atau minta warga melapor sendiri dari akunnya.")]})
        return profile.user
    user = User(username=_free_username(), full_name=full_name)
    user.set_unusable_password()
    user.save()
    ReporterProfile.objects.create(user=user, phone=clean_phone, nik=clean_nik, is_phone_only=True)
    return user


def _free_username() -> str:
    # Random: the username must not reveal the phone number or the NIK.
    while True:
        name = f"warga-{secrets.token_hex(4)}"
        if not User.objects.filter(username=name).exists():
            return name
