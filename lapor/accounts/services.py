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


def clean_identity(*, nik: str, birth_date: datetime.date | None, sex: str, phone: str, exclude_user=None,
                   taken_nik_refused: bool = True) -> dict:
    """Validate a NIK against birth date and sex and normalise the phone. The NIK must be
    free, unless ``taken_nik_refused`` is False: sign-up does not say whether a NIK has an
    account (docs/decisions/0009-nik-held-at-sign-up.md), it only learns it in
    ``nik_taken`` and tells by e-mail (``account_signup_nik_held``). The phone is only
    normalised: whose it is is never asked here.

    Returns ``{"nik": …, "phone": …, "nik_taken": bool}`` normalised, or raises
    ValidationError per field."""
    errors: dict[str, list] = {}
    result = {"nik": "", "phone": "", "nik_taken": False}
    try:
        result["nik"] = validate_nik(nik, birth_date=birth_date, sex=sex or None)
    except ValidationError as error:
        errors["nik"] = error.messages
    else:
        if not taken_nik_refused:
            result["nik_taken"] = nik_taken(result["nik"], exclude_user=exclude_user)
        elif nik_taken(result["nik"], exclude_user=exclude_user):
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
        # Never refused for being held: the number counts only once the code sent to it
        # comes back (account_register), and only then is its holder named, to whoever typed
        # the code (docs/decisions/0010-phone-held-at-sign-up.md).
    if errors:
        raise ValidationError(errors)
    return result


# How often the holder of a NIK is told of sign-ups with it (one e-mail per this many
# seconds): someone trying it again and again must not fill their mailbox.
NIK_HELD_NOTICE_SECONDS = 3600
# Taken NIKs an account may try on its profile a day (account_add_identity).
NIK_REFUSALS_PER_DAY = 3


def _nik_mail_context(nik: str, holder) -> dict:
    from django.conf import settings

    from lapor.accounts.nik import masked_nik

    site = settings.LAPOR_SITE_URL.rstrip("/")
    return {
        "nik_masked": masked_nik(nik), "login_url": site + reverse("account_login"),
        "password_reset_url": site + reverse("account_reset_password"), "claim_url": site + claim_url(),
        "privacy_contact": settings.LAPOR_PRIVACY_CONTACT,
        "claimable": holder is not None and claims().is_claimable_nik(nik),
    }


def _tell_nik_holder(*, holder, context: dict) -> None:
    """E-mail the account holding a NIK that someone else gave (at most once an hour), when
    it has an address: not an account SMS or an RT/RW made."""
    from allauth.account.adapter import get_adapter
    from django.core.cache import cache

    owner = holder.user if holder is not None else None
    if owner is None or not owner.is_active or not owner.email or context["claimable"]:
        return
    if cache.add(f"lapor:nik-held-notice:{holder.nik_hash}", 1, NIK_HELD_NOTICE_SECONDS):
        get_adapter().send_mail("account/email/nik_used_at_signup", owner.email, {**context, "user": owner})


def _holder(nik: str) -> ReporterProfile | None:
    return ReporterProfile.objects.filter(nik_hash=lookup_hash(normalize_nik(nik))).select_related("user").first()


def account_signup_nik_held(*, email: str, nik: str) -> None:
    """A sign-up gave a NIK another account holds (``clean_identity`` with
    ``taken_nik_refused=False``): no account is made, and the page says what it says for
    every sign-up ("we sent you an e-mail"), so the form never tells whether a NIK has an
    account (docs/decisions/0009-nik-held-at-sign-up.md).

    Side effects: an e-mail to ``email`` says the NIK is held and what to do (sign in to
    that account, take over the account an RT/RW made, or tell the operator that someone
    else uses the NIK); an e-mail to the holder's address, at most once an hour, says
    someone signed up with their NIK and that nothing of their account changed. A holder
    without an address (an account SMS or an RT/RW made) is not told. Both mails go by
    ``AccountAdapter.send_mail``: kept and sent later when the mail server is down."""
    from allauth.account.adapter import get_adapter

    holder = _holder(nik)
    context = _nik_mail_context(normalize_nik(nik), holder)
    get_adapter().send_mail("account/email/nik_held_elsewhere", email, context)
    _tell_nik_holder(holder=holder, context=context)


def claims():
    # Taking over a phone-only account builds on this module's checks.
    from lapor.accounts import claims

    return claims


def claim_url() -> str:
    return reverse("portal:claim")


def account_register(
    *,
    user: User,
    full_name: str,
    nik: str,
    sex: str,
    birth_date: datetime.date,
    occupation: str = "",
    phone: str = "",
    address: str = "",
) -> ReporterProfile:
    """Complete a new account (already saved by allauth) with the reporter's identity.

    Side effects: sets ``user.full_name``; creates the encrypted ``ReporterProfile`` with
    the e-mail copied from ``user.email`` (kept in step by ``account_sync_email``) and no
    phone: a phone given waits for the code sent to it by SMS (``claims.signup_phone_start``,
    counted against ``address``), so nobody signs up with another person's number and gets
    their SMS reports, and nobody learns from the answer whether the number is anyone's.
    Raises ValidationError (``nik``, ``phone``) when the NIK is invalid or taken, or the
    phone invalid (a number held by another account is not: it waits for its code as any
    other, docs/decisions/0010-phone-held-at-sign-up.md); a code that cannot be sent
    (over a limit, gateway down) leaves the account without a pending number and raises
    nothing: the citizen adds the number on the profile later."""
    clean = clean_identity(nik=nik, birth_date=birth_date, sex=sex, phone=phone, exclude_user=user)
    with transaction.atomic():
        user.full_name = (full_name or "").strip()
        user.save(update_fields=["full_name"])
        try:
            with transaction.atomic():
                profile = ReporterProfile.objects.create(
                    user=user, nik=clean["nik"], sex=sex, birth_date=birth_date,
                    occupation=(occupation or "").strip(), email=user.email or "",
                )
        except IntegrityError:
            # Two sign-ups with one NIK at the same moment: the unique hash decides.
            raise ValidationError({"nik": _("NIK ini sudah terdaftar pada akun lain.")}) from None
    if clean["phone"]:
        try:
            claims().signup_phone_start(user=user, phone=clean["phone"], address=address)
        except ValidationError:
            pass  # the account stands; the sign-up page says the number was not kept
        else:
            profile.refresh_from_db()
    return profile


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


def account_add_identity(*, user: User, nik: str, sex: str, birth_date: datetime.date) -> ReporterProfile:
    """Give an account that has no NIK yet its identity (SPEC §6): accounts made before
    social sign-up asked for it, or by the national admin. Once set it is fixed, as at
    sign-up. Raises ValidationError (``nik``) when the NIK is invalid, inconsistent or
    taken, or when the account already has one.

    Here the page does say that a NIK is taken (the account is signed in, its address
    confirmed), but an account may not try NIK after NIK: after ``NIK_REFUSALS_PER_DAY``
    taken ones it is refused for a day, and each holder is told by e-mail as at sign-up
    (docs/decisions/0009-nik-held-at-sign-up.md)."""
    from django.core.cache import cache

    refusals = f"lapor:nik-refusals:{user.pk}"
    if cache.get(refusals, 0) >= NIK_REFUSALS_PER_DAY:
        raise ValidationError({"nik": _("Terlalu banyak NIK yang sudah terdaftar pada akun lain dicoba dari akun "
                                        "ini. Coba lagi besok, atau tulis kepada pengelola Lapor.")})
    try:
        return _add_identity(user=user, nik=nik, sex=sex, birth_date=birth_date)
    except ValidationError:
        holder = _holder(nik)
        if holder is not None and holder.user_id != user.pk and _consistent(nik, birth_date=birth_date, sex=sex):
            cache.add(refusals, 0, 24 * 3600)
            cache.incr(refusals)
            # Outside the refused transaction: a mail kept for a server that is down stays kept.
            _tell_nik_holder(holder=holder, context={**_nik_mail_context(normalize_nik(nik), holder),
                                                      "on_profile": True})
        raise


def _consistent(nik: str, *, birth_date, sex) -> bool:
    try:
        validate_nik(nik, birth_date=birth_date, sex=sex or None)
    except ValidationError:
        return False
    return True


@transaction.atomic
def _add_identity(*, user: User, nik: str, sex: str, birth_date: datetime.date) -> ReporterProfile:
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


def _free_username() -> str:
    # Random: the username must not reveal the phone number or the NIK.
    while True:
        name = f"warga-{secrets.token_hex(4)}"
        if not User.objects.filter(username=name).exists():
            return name
