from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lapor.core.crypto import EncryptedDateField, EncryptedTextField, SealedEmailField, lookup_hash


# Usernames made for the phone-only account of an SMS sender (lapor/sms/reporters.py).
PHONE_ONLY_USERNAME_PREFIX = "sms-"
SMS_REPORTER = _("Pelapor SMS")
# Usernames of the stand-in account of an anonymous report (lapor/accounts/pseudonyms.py).
PSEUDONYM_USERNAME_PREFIX = "anonim-"
ANONYMOUS_REPORTER = _("Pelapor anonim")
# Usernames of an account whose person had their personal data erased (lapor/accounts/erasure.py).
ERASED_USERNAME_PREFIX = "dihapus-"
ERASED_ACCOUNT = _("Warga (akun dihapus)")


class User(AbstractUser):
    """Anyone who signs in: citizens, proxies and staff. Roles in agencies are Memberships."""

    full_name = models.CharField(_("nama lengkap"), max_length=150, blank=True)
    # The sign-in and mail address, sealed at rest (SPEC §5); allauth's look-ups by equality
    # still work on it (lapor/core/crypto.py, docs/decisions/0004-account-email-sealed.md).
    email = SealedEmailField(_("alamat e-mail"), blank=True)
    # The ids of this person's stand-in accounts, one per anonymous report they filed
    # (lapor/accounts/pseudonyms.py), as a JSON list, encrypted: only the keys tell which
    # anonymous reports are theirs.
    stand_ins_sealed = EncryptedTextField(blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name people read: the full name; for an SMS reporter who never gave one,
        "Pelapor SMS" rather than the made-up username ("sms-6eb7952ce4b1")."""
        if self.full_name:
            return self.full_name
        if self.is_pseudonym:
            return str(ANONYMOUS_REPORTER)
        if self.is_erased:
            return str(ERASED_ACCOUNT)
        if self.username.startswith(PHONE_ONLY_USERNAME_PREFIX):
            return str(SMS_REPORTER)
        return self.username


    def save(self, *args, **kwargs):
        # ``stand_ins_sealed`` grows only through lapor/accounts/pseudonyms.py, under a row
        # lock. A whole-row save of an account read earlier (a password or profile change,
        # the admin) must not write back an older list and lose a report: it is left out
        # unless named.
        if (not self._state.adding and self.pk is not None and kwargs.get("update_fields") is None
                and not kwargs.get("force_insert")):
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.name != "stand_ins_sealed"]
        super().save(*args, **kwargs)

    @property
    def is_pseudonym(self) -> bool:
        """The stand-in account of an anonymous report (lapor/accounts/pseudonyms.py)."""
        return self.username.startswith(PSEUDONYM_USERNAME_PREFIX)

    @property
    def is_erased(self) -> bool:
        """An account whose personal data was erased at its person's request (lapor/accounts/erasure.py)."""
        return self.username.startswith(ERASED_USERNAME_PREFIX)


class Sex(models.TextChoices):
    MALE = "M", _("Laki-laki")
    FEMALE = "F", _("Perempuan")


class ReporterProfile(models.Model):
    """A reporter's personal data (SPEC §6), encrypted at rest with keyed hashes for lookup.

    The clear values exist only in memory; the ``*_hash`` columns answer "who owns this
    NIK/phone/e-mail" without decrypting anything (SPEC §5).
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    nik = EncryptedTextField(_("NIK"), blank=True, default="")
    nik_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices, blank=True)
    birth_date = EncryptedDateField(_("tanggal lahir"), null=True, blank=True)
    occupation = models.CharField(_("pekerjaan"), max_length=100, blank=True)
    phone = EncryptedTextField(_("nomor telepon"), blank=True, default="")
    phone_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    # A number given at sign-up or on the profile, waiting for the code sent to it
    # (lapor/accounts/claims.py). Kept here rather than in the session: the code may be
    # typed after the e-mail is confirmed on another device. No hash: until proven, SMS
    # from it are not this account's and the number stays free for its owner. None when
    # nothing waits, so that "is something waiting" is asked without decrypting.
    pending_phone = EncryptedTextField(_("nomor telepon menunggu kode"), null=True, blank=True, editable=False)
    email = EncryptedTextField(_("e-mail"), blank=True, default="")
    email_hash = models.CharField(max_length=64, null=True, blank=True, db_index=True, editable=False)
    is_phone_only = models.BooleanField(
        _("hanya telepon"), default=False, help_text=_("Akun yang dibuat otomatis untuk pelapor lewat SMS.")
    )
    is_proxy = models.BooleanField(
        _("perwakilan RT/RW"), default=False, help_text=_("Boleh melapor atas nama warga.")
    )
    proxy_region = models.ForeignKey(
        "regions.Region", verbose_name=_("wilayah RT/RW"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("profil pelapor")
        verbose_name_plural = _("profil pelapor")

    def __str__(self):
        return str(self.user)

    def save(self, *args, **kwargs):
        # Hashes follow the clear values; they are never set from outside.
        self.nik_hash = lookup_hash(self.nik) if self.nik else None
        self.phone_hash = lookup_hash(self.phone) if self.phone else None
        self.email_hash = lookup_hash(self.email.lower()) if self.email else None
        if kwargs.get("update_fields") is not None:
            extra = {f"{name}_hash" for name in ("nik", "phone", "email") if name in kwargs["update_fields"]}
            kwargs["update_fields"] = list(set(kwargs["update_fields"]) | extra)
        super().save(*args, **kwargs)


class PhoneClaim(models.Model):
    """A code sent by SMS to take over a phone-only account (lapor/accounts/claims.py).

    Only keyed hashes are kept: of the number, of the code and of the address that asked,
    so the table shows neither who claimed nor the code. A row is also written for a
    number that has no such account (with no code), so that the limits and the answer are
    the same whether the number is known or not."""

    phone_hash = models.CharField(max_length=64, db_index=True)
    address_hash = models.CharField(max_length=64, db_index=True)
    code_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    expires_at = models.DateTimeField()
    tries = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("kode klaim akun")
        verbose_name_plural = _("kode klaim akun")


class Pseudonym(models.Model):
    """Who stands behind the stand-in account of an anonymous report (SPEC §5: the
    identity "stored encrypted"; docs/decisions/0005-anonymous-reporter-pseudonyms.md).

    The owner's account id, sealed (Fernet, the personal-data keys, randomised: two
    stand-ins of one person share no stored value). The way back, from the person to
    their stand-ins, is ``User.stand_ins_sealed``."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True,
                                related_name="pseudonym")
    owner_sealed = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("pseudonim pelapor anonim")
        verbose_name_plural = _("pseudonim pelapor anonim")

    def __str__(self):
        return str(ANONYMOUS_REPORTER)


class PendingMail(models.Model):
    """An account e-mail (address confirmation, password reset…) the mail server did not
    take when it was sent: kept, sealed (it holds the address and a sign-in link), and sent
    again by the periodic job (``lapor.accounts.mail``) until it goes or its link expires."""

    message = EncryptedTextField()  # JSON: subject, body, from, to, alternatives, headers
    created_at = models.DateTimeField()
    next_try_at = models.DateTimeField(db_index=True)
    attempts = models.PositiveSmallIntegerField(default=1)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("e-mail akun tertunda")
        verbose_name_plural = _("e-mail akun tertunda")
