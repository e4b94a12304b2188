"""Proving a phone number with a code sent to it by SMS (SPEC §6): taking over a
phone-only account, and changing an account's number.

An SMS reporter gets an account with no password (lapor/sms/reporters.py), and so does a
resident an RT/RW files for (``proxies.resident_for_proxy``). When that citizen later
signs up on the web, the sign-up e-mail (for the NIK their RT/RW wrote down) or the page
after the code sent to their number (for the number) tells them so: never the sign-up
page, which anyone can fill in with anyone's NIK or number. Here they prove the number
is theirs with a code sent to it by SMS, then complete the account: user name, e-mail,
password and identity. Their reports stay where they are, in the same account.

Only an account that was never completed can be taken over this way: the profile is
``is_phone_only`` and the user has no usable password. A completed account is reached by
its own password (or its reset by e-mail), never by a text message.

A citizen who gives their account a new number on the profile proves it the same way
(``phone_change_start``, ``phone_change_confirm``): until the code comes back the account
keeps its old number, so a mistyped or someone else's number never receives the SMS about
the account's reports, and that number's SMS reports never land in the account. The
number typed at sign-up waits for its code the same way (``signup_phone_start``): signing
up with someone else's number gives neither their SMS reports nor the number, nor says
whether it is anyone's (docs/decisions/0010-phone-held-at-sign-up.md).

The limits (``LAPOR_CLAIM_*``) count codes per number and per client address an hour, for
both uses; the answer and the limits of a claim are the same whether or not the number
has such an account.
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
from lapor.accounts.services import claim_url, clean_identity, phone_taken
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


def claimable_by_hash(phone_hash: str) -> ReporterProfile | None:
    """The never-completed account behind the number with this keyed hash, or None."""
    return _unclaimed(ReporterProfile.objects.filter(phone_hash=phone_hash))


def is_claimable_phone(phone: str) -> bool:
    return claimable_profile(phone) is not None


def is_claimable_nik(nik: str) -> bool:
    """Whether this (normalised) NIK is held by a never-completed account (an RT/RW wrote
    it down): the citizen takes that account over by its phone number."""
    return _unclaimed(ReporterProfile.objects.filter(nik_hash=lookup_hash(nik))) is not None


CLAIM = "claim"
# How long the page after a proven code may move a phone-only account's reports to the
# account that proved its number (lapor/portal/views/account.py, ``profile_phone_join``).
JOIN_OFFER_MINUTES = 15


def _code_hash(phone_hash: str, code: str, *, purpose: str) -> str:
    return lookup_hash(f"{purpose}:{phone_hash}:{code}")


def _retry_at(rows, *, limit: int) -> datetime.datetime | None:
    """When the oldest of the last hour's ``limit`` codes leaves the window, or None when
    another code may go now."""
    if limit <= 0:
        return None
    times = sorted(rows)
    if len(times) < limit:
        return None
    return times[-limit] + datetime.timedelta(hours=1)


def _issue_code(*, phone: str, address: str, purpose: str, text: str | None) -> None:
    """Send a fresh code to ``phone`` (E.164), within the hourly limits.

    ``text`` is the SMS with ``%(code)s`` and ``%(minutes)d`` to fill in; None sends
    nothing (a number with no account to claim: the row still counts towards the limits).
    The code is hashed with ``purpose``, so it proves the number for that purpose only.
    Side effects: one ``PhoneClaim`` row, one SMS. Raises ValidationError (``phone``) over
    a limit or when the gateway refuses the message."""
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
    code = f"{secrets.randbelow(10**6):06d}"
    claim = PhoneClaim.objects.create(
        phone_hash=phone_hash, address_hash=address_hash,
        code_hash=_code_hash(phone_hash, code, purpose=purpose) if text is not None else "",
        created_at=now, expires_at=now + datetime.timedelta(minutes=settings.LAPOR_CLAIM_CODE_MINUTES),
    )
    if text is not None:
        try:
            send_sms(to=phone, text=text % {"code": code, "minutes": settings.LAPOR_CLAIM_CODE_MINUTES})
        except SmsError:
            claim.delete()
            raise ValidationError({"phone": _(
                "SMS tidak dapat dikirim saat ini. Coba lagi beberapa menit lagi.")}) from None


def _spend_code(*, phone: str, code: str, purpose: str) -> bool:
    """Whether ``code`` is the last one sent to ``phone`` for ``purpose``. Each try counts;
    after ``LAPOR_CLAIM_CODE_TRIES`` the code is spent, and a right code is spent too.
    Raises ValidationError (``code``) when no code is valid any more."""
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
        right = bool(claim.code_hash) and hmac.compare_digest(
            claim.code_hash, _code_hash(phone_hash, code, purpose=purpose))
        if right:
            claim.used_at = timezone.now()
        claim.save(update_fields=["tries", "used_at"])
    return right


def _normalized(phone: str) -> str:
    try:
        return normalize_phone(phone)
    except ValidationError as error:
        raise ValidationError({"phone": error.messages}) from None


def claim_start(*, phone: str, address: str) -> str:
    """Send a claim code to ``phone`` when it belongs to a never-completed account.

    Returns the normalised number. Side effects: one ``PhoneClaim`` row (always, so the
    limits count unknown numbers too) and, for a claimable account, one SMS. Raises
    ValidationError (``phone``) for a number that is not Indonesian, over a limit, or when
    the gateway refuses the message."""
    phone = _normalized(phone)
    text = None
    if claimable_profile(phone) is not None:
        text = _("Kode Lapor Anda: %(code)s. Berlaku %(minutes)d menit, untuk mengambil alih akun nomor ini di web. "
                 "Jangan berikan kode ini kepada siapa pun, juga kepada petugas.")
    _issue_code(phone=phone, address=address, purpose=CLAIM, text=text)
    return phone


def claim_verify(*, phone: str, code: str) -> User:
    """Check the code typed for ``phone``; the account it unlocks, or ValidationError
    (``code``). Each wrong code counts; after ``LAPOR_CLAIM_CODE_TRIES`` the code is spent.
    A right code is spent too: it opens the account once."""
    right = _spend_code(phone=phone, code=code, purpose=CLAIM)
    profile = claimable_profile(phone) if right else None
    if profile is None:
        raise ValidationError({"code": _("Kode salah. Periksa SMS terakhir dari Lapor.")})
    return profile.user


def _phone_change_purpose(user: User) -> str:
    # Bound to the account: a code proves the number for this account's change only.
    return f"phone:{user.pk}"


def _check_free_for(user: User, phone: str) -> None:
    """ValidationError (``phone``) when another account holds the number. Asked only once
    the code sent to the number has come back, so it tells the number's holder alone
    (docs/decisions/0010-phone-held-at-sign-up.md). A phone-only account's number (made by
    SMS or an RT/RW) says where its reports are and that this page moves them, with the
    number, to this account (lapor/accounts/joining.py; code ``claimable``: the page offers
    it to whoever just typed the code)."""
    if not phone_taken(phone, exclude_user=user):
        return
    if is_claimable_phone(phone):
        raise ValidationError({"phone": [ValidationError(_(
            "Nomor ini sudah punya akun Lapor sendiri, dibuat dari laporan lewat SMS atau oleh RT/RW: "
            "laporan-laporan itu ada di akun tersebut, dan sampai dipindahkan nomor ini tetap nomor akun itu. "
            "Anda baru membuktikan nomor ini dengan kodenya: pindahkan laporan-laporan itu, beserta nomor ini, "
            "ke akun Anda dengan tombol di bawah ini dalam %(minutes)d menit; bila tidak berhasil, hubungi "
            "admin Lapor. Bila akun Anda ini belum berisi laporan dan Anda lebih suka memakai akun nomor itu: "
            "hapus akun ini (Profil, Hapus akun dan data pribadi), lalu ambil alih akun nomor itu di %(url)s.")
            % {"minutes": JOIN_OFFER_MINUTES, "url": claim_url()}, code="claimable")]})
    raise ValidationError({"phone": _("Nomor telepon ini sudah terdaftar pada akun lain.")})


def _phone_code_text() -> str:
    return _("Kode Lapor Anda: %(code)s. Berlaku %(minutes)d menit, untuk memakai nomor ini di akun Lapor. "
             "Bila Anda tidak memintanya, abaikan SMS ini. Jangan berikan kode ini kepada siapa pun.")


def _hold_pending(user: User, phone: str) -> None:
    """Keep ``phone`` as the number waiting for its code (``ReporterProfile.pending_phone``)."""
    profile, _created = ReporterProfile.objects.get_or_create(user=user, defaults={"email": user.email or ""})
    profile.pending_phone = phone
    profile.save(update_fields=["pending_phone"])


def pending_phone(user: User) -> str:
    """The number ``user`` asked for and has not proven yet, or ""."""
    return ReporterProfile.objects.filter(user=user).values_list("pending_phone", flat=True).first() or ""


def has_pending_phone(user: User) -> bool:
    # Without decrypting: asked at every sign-in.
    return ReporterProfile.objects.filter(user=user, pending_phone__isnull=False).exists()


def phone_change_start(*, user: User, phone: str, address: str) -> str:
    """Send a code to the number ``user`` wants as theirs; it becomes theirs only when the
    code comes back (``phone_change_confirm``). Until then the account keeps its number:
    SMS from the new one, and the SMS about the account's reports, do not mix.

    Whether another account holds the number is not asked here: every number gets the same
    code SMS and the page the same answer, so neither sign-up nor the profile tells whose a
    number is (docs/decisions/0010-phone-held-at-sign-up.md); ``phone_change_confirm`` says
    it to whoever typed the code, i.e. holds the phone.

    Returns the normalised number. Side effects: one ``PhoneClaim`` row and one SMS, under
    the claim's limits (per number and per address an hour: a probe costs at most those
    SMS); the number is kept as the profile's pending one. Raises ValidationError
    (``phone``) for a bad number, over a limit, or when the gateway refuses the message."""
    phone = _normalized(phone)
    _issue_code(phone=phone, address=address, purpose=_phone_change_purpose(user), text=_phone_code_text())
    _hold_pending(user, phone)
    return phone


def signup_phone_start(*, user: User, phone: str, address: str) -> str:
    """The number typed at sign-up: kept as pending and sent the code of
    ``phone_change_start``, so it is the new account's only once proven. A number another
    account holds (completed, or made by SMS or an RT/RW) is answered and sent its code as
    any other; only after the code does the site say it is held. Side effects and errors as
    ``phone_change_start``."""
    return phone_change_start(user=user, phone=phone, address=address)


def phone_change_cancel(*, user: User) -> None:
    """Forget the number waiting for its code; the account keeps its own."""
    ReporterProfile.objects.filter(user=user).update(pending_phone=None)


def phone_change_confirm(*, user: User, phone: str, code: str) -> ReporterProfile:
    """Make ``phone`` (E.164) the number of ``user`` once the code sent to it is right.

    Side effects: the code is spent (or a try counted); the profile's number changes and
    no number waits any more, so from now on SMS from it are this account's and SMS about
    its reports go to it. Raises ValidationError (``code``; or ``phone`` when another
    account holds the number, said only now that the code is proven, and then no number
    waits any more: the held one stays with its account and its reports there)."""
    if not _spend_code(phone=phone, code=code, purpose=_phone_change_purpose(user)):
        raise ValidationError({"code": _("Kode salah. Periksa SMS terakhir dari Lapor.")})
    # Not one transaction with the code's check: a wrong try must stay counted.
    try:
        _check_free_for(user, phone)
    except ValidationError:
        # Proven, but the number stays with the account that holds it: nothing waits any
        # more (or every sign-in would lead back to a code already spent).
        phone_change_cancel(user=user)
        raise
    try:
        with transaction.atomic():
            profile, _created = ReporterProfile.objects.select_for_update().get_or_create(
                user=user, defaults={"email": user.email or ""})
            profile.phone = phone
            profile.pending_phone = None
            profile.save(update_fields=["phone", "pending_phone"])
    except IntegrityError:
        # Taken by an SMS from that number between the check and this save.
        phone_change_cancel(user=user)
        raise ValidationError({"phone": _("Nomor telepon ini sudah terdaftar pada akun lain.")}) from None
    return profile


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
