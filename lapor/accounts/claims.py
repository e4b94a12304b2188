"""Taking over a phone-only account (SPEC §6).

An SMS reporter gets an account with no password (lapor/sms/reporters.py), and so does a
resident an RT/RW files for (``services.resident_for_proxy``). When that citizen later
signs up on the web, their phone number, or the NIK their RT/RW wrote down, "is already
registered". Here they prove the number is theirs with a code sent to it by SMS, then
complete the account: user name, e-mail, password and identity. Their reports stay where
they are, in the same account.

Only an account that was never completed can be taken over this way: the profile is
``is_phone_only`` and the user has no usable password. A completed account is reached by
its own password (or its reset by e-mail), never by a text message.

The limits (``LAPOR_CLAIM_*``) count codes per number and per client address an hour; the
answer and the limits are the same whether or not the number has such an account.
"""
from __future__ import annotations

import datetime
import hmac
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from lapor.accounts.models import PhoneClaim, ReporterProfile, User
from lapor.accounts.phone import normalize_phone
from lapor.accounts.services import clean_identity
from lapor.core.crypto import lookup_hash
from lapor.sms.gateway import SmsError, send_sms


def _unclaimed(profiles) -> ReporterProfile | None:
    """The first of these profiles whose account was never completed (made by SMS or an
    RT/RW, still active, no password), or None."""
    profile = profiles.filter(is_phone_only=True, user__is_active=True).select_related("user").first()
    if profile is None or profile.user.has_usable_password():
        return None
    return profile


def claimable_profile(phone: str) -> ReporterProfile | None:
    """The never-completed account behind this (normalised) number, or None."""
    return _unclaimed(ReporterProfile.objects.filter(phone_hash=lookup_hash(phone)))


def is_claimable_phone(phone: str) -> bool:
    return claimable_profile(phone) is not None


def is_claimable_nik(nik: str) -> bool:
    """Whether this (normalised) NIK is held by a never-completed account (an RT/RW wrote
    it down): the citizen takes that account over by its phone number."""
    return _unclaimed(ReporterProfile.objects.filter(nik_hash=lookup_hash(nik))) is not None


def _code_hash(phone_hash: str, code: str) -> str:
    return lookup_hash(f"claim:{phone_hash}:{code}")


def _retry_at(rows, *, limit: int) -> datetime.datetime | None:
    """When the oldest of the last hour's ``limit`` codes leaves the window, or None when
    another code may go now."""
    if limit <= 0:
        return None
    times = sorted(rows)
    if len(times) < limit:
        return None
    return times[-limit] + datetime.timedelta(hours=1)


def claim_start(*, phone: str, address: str) -> str:
    """Send a claim code to ``phone`` when it belongs to a never-completed account.

    Returns the normalised number. Side effects: one ``PhoneClaim`` row (always, so the
    limits count unknown numbers too) and, for a claimable account, one SMS. Raises
    ValidationError (``phone``) for a number that is not Indonesian, over a limit, or when
    the gateway refuses the message."""
    try:
        phone = normalize_phone(phone)
    except ValidationError as error:
        raise ValidationError({"phone": error.messages}) from None
    now = timezone.now()
    hour_ago = now - datetime.timedelta(hours=1)
    # Rows matter for an hour (the limits) or a code's life: older ones go as new ones come.
    PhoneClaim.objects.filter(created_at__lt=now - datetime.timedelta(days=1)).delete()
    phone_hash, address_hash = lookup_hash(phone), lookup_hash(f"address:{address}")
    for field, value, limit in (
        ("phone_hash", phone_hash, settings.LAPOR_CLAIM_CODES_PER_PHONE),
        ("address_hash", address_hash, settings.LAPOR_CLAIM_CODES_PER_ADDRESS),
    ):
        sent = PhoneClaim.objects.filter(**{field: value}, created_at__gt=hour_ago).values_list("created_at", flat=True)
        retry = _retry_at(list(sent), limit=limit)
        if retry is not None:
            raise ValidationError({"phone": _(
                "Terlalu banyak permintaan kode dalam satu jam. Coba lagi setelah pukul %(time)s."
            ) % {"time": time_format(timezone.localtime(retry), "H:i")}})
    profile = claimable_profile(phone)
    code = f"{secrets.randbelow(10**6):06d}"
    claim = PhoneClaim.objects.create(
        phone_hash=phone_hash, address_hash=address_hash,
        code_hash=_code_hash(phone_hash, code) if profile is not None else "",
        created_at=now, expires_at=now + datetime.timedelta(minutes=settings.LAPOR_CLAIM_CODE_MINUTES),
    )
    if profile is not None:
        text = _("Kode Lapor Anda: %(code)s. Berlaku %(minutes)d menit, untuk mengambil alih akun nomor ini di web. "
                 "Jangan berikan kode ini kepada siapa pun, juga kepada petugas.") % {
            "code": code, "minutes": settings.LAPOR_CLAIM_CODE_MINUTES}
        try:
            send_sms(to=phone, text=text)
        except SmsError:
            claim.delete()
            raise ValidationError({"phone": _(
                "SMS tidak dapat dikirim saat ini. Coba lagi beberapa menit lagi.")}) from None
    return phone


def claim_verify(*, phone: str, code: str) -> User:
    """Check the code typed for ``phone``; the account it unlocks, or ValidationError
    (``code``). Each wrong code counts; after ``LAPOR_CLAIM_CODE_TRIES`` the code is spent.
    A right code is spent too: it opens the account once."""
    phone_hash = lookup_hash(phone)
    code = "".join((code or "").split())
    with transaction.atomic():
        claim = (
            PhoneClaim.objects.select_for_update()
            .filter(phone_hash=phone_hash, used_at=None, expires_at__gt=timezone.now())
            .order_by("-created_at").first()
        )
        if claim is None:
            raise ValidationError({"code": _("Kode ini tidak berlaku lagi. Minta kode baru.")})
        if claim.tries >= settings.LAPOR_CLAIM_CODE_TRIES:
            raise ValidationError({"code": _("Terlalu banyak kode yang salah. Minta kode baru.")})
        claim.tries += 1
        right = bool(claim.code_hash) and hmac.compare_digest(claim.code_hash, _code_hash(phone_hash, code))
        if right:
            claim.used_at = timezone.now()
        claim.save(update_fields=["tries", "used_at"])
    profile = claimable_profile(phone) if right else None
    if profile is None:
        raise ValidationError({"code": _("Kode salah. Periksa SMS terakhir dari Lapor.")})
    return profile.user


@transaction.atomic
def claim_complete(
    *,
    user: User,
    username: str,
    email: str,
    password: str,
    full_name: str,
    nik: str,
    sex: str,
    birth_date: datetime.date,
    occupation: str = "",
) -> User:
    """Turn the never-completed account ``user`` into a full one (the caller has checked the
    user name, the e-mail and the password the way sign-up does).

    Side effects: the user gets the name, address and password; the profile gets the
    identity and stops being phone-only; an SMS tells the number the account can now sign
    in on the web (best effort). Raises ValidationError (``nik``, or none when the account
    was completed meanwhile)."""
    profile = ReporterProfile.objects.select_for_update().select_related("user").get(user=user)
    user = User.objects.select_for_update().get(pk=user.pk)
    if not profile.is_phone_only or user.has_usable_password():
        raise ValidationError(_("Akun ini sudah dilengkapi. Masuk dengan nama pengguna dan kata sandinya."))
    identity = clean_identity(nik=nik, birth_date=birth_date, sex=sex, phone="", exclude_user=user)
    if profile.nik and profile.nik != identity["nik"]:
        raise ValidationError({"nik": _(
            "NIK ini tidak sama dengan yang dicatat RT/RW Anda untuk nomor ini. Periksa KTP Anda, "
            "atau minta RT/RW atau admin membetulkannya.")})
    user.username = username
    user.email = email
    user.full_name = (full_name or "").strip()
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # Taken by a sign-up between the form's check and this save.
        raise ValidationError({"username": _("Nama pengguna ini sudah dipakai. Pilih yang lain.")}) from None
    profile.nik, profile.sex, profile.birth_date = identity["nik"], sex, birth_date
    profile.occupation = (occupation or "").strip()
    profile.email = email
    profile.is_phone_only = False
    profile.save()
    phone = profile.phone

    def tell():
        try:
            send_sms(to=phone, text=_(
                "Akun Lapor untuk nomor ini kini masuk di web dengan nama pengguna %(username)s. "
                "Bila bukan Anda yang melakukannya, hubungi admin Lapor.") % {"username": username})
        except SmsError:
            pass  # the account is complete either way; the code SMS reached this number

    transaction.on_commit(tell)
    return user
