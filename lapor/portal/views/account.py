"""The citizen's own account: profile, the personal data held about them, and erasing it.

A new phone number, on the profile or at sign-up, is the account's only once the citizen
types the code sent to it (lapor/accounts/claims.py): until then it waits, encrypted, as the
profile's ``pending_phone`` and the account keeps its old one (or none)."""
from __future__ import annotations

import datetime
import json

from django import forms
from django.contrib import messages
from django.contrib.auth import authenticate, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from lapor.accounts import claims, erasure, joining
from lapor.accounts.forms import ClaimCodeForm, IdentityForm, ProfileForm
from lapor.accounts.models import ReporterProfile
from lapor.accounts.services import account_add_identity, account_update_profile
from lapor.audit.services import client_ip as audited_ip
from lapor.core.crypto import lookup_hash
from lapor.core.forms import add_service_errors
from lapor.core.security import client_ip
from lapor.portal.personal_data import personal_data


@login_required
def profile(request):
    user = request.user
    held = ReporterProfile.objects.filter(user=user).first()
    # An account with no NIK yet (made before social sign-up asked for it) completes it here.
    wants_identity = held is None or not held.nik
    current_phone = held.phone if held else ""
    form = ProfileForm(user=user, current_phone=current_phone,
                       initial={"full_name": user.full_name, "occupation": held.occupation if held else "",
                                "phone": current_phone})
    identity_form = IdentityForm() if wants_identity else None
    status = 200
    if request.method == "POST" and request.POST.get("part") == "identity" and wants_identity:
        identity_form = IdentityForm(request.POST)
        if identity_form.is_valid():
            try:
                account_add_identity(user=user, **identity_form.cleaned_data)
            except ValidationError as error:
                add_service_errors(identity_form, error)
            else:
                messages.success(request, _("Identitas Anda tersimpan."))
                return redirect("portal:profile")
        status = 400
    elif request.method == "POST":
        form = ProfileForm(request.POST, user=user, current_phone=current_phone)
        if form.is_valid():
            data = form.cleaned_data
            # A new number is only sent its code here; removing the number takes effect at once.
            new_phone = data["phone"] if form.phone_changed and data["phone"] else ""
            try:
                if new_phone:
                    claims.phone_change_start(user=user, phone=new_phone, address=client_ip(request))
                account_update_profile(user=user, full_name=data["full_name"], occupation=data["occupation"],
                                       phone=current_phone if new_phone else data["phone"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if new_phone:
                    messages.info(request, _("Kode telah kami kirim lewat SMS ke %(phone)s. Masukkan kode itu di "
                                             "sini; sampai itu, nomor lama tetap nomor akun Anda.") % {"phone": new_phone})
                    return redirect("portal:profile_phone")
                messages.success(request, _("Profil Anda tersimpan."))
                return redirect("portal:profile")
        status = 400
    return render(request, "portal/profile.html", {"form": form, "identity_form": identity_form, "held": held,
                                                   "pending_phone": held.pending_phone if held else ""},
                  status=status)


@login_required
@never_cache
def profile_phone(request):
    """The code sent to the new number: right, the number becomes the account's."""
    phone = claims.pending_phone(request.user)
    if not phone:
        return redirect("portal:profile")
    form = ClaimCodeForm(request.POST or None)
    status = 200
    join_offer = False
    if request.method == "POST" and request.POST.get("part") == "cancel":
        claims.phone_change_cancel(user=request.user)
        messages.info(request, _("Perubahan nomor telepon dibatalkan."))
        return redirect("portal:profile")
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                claims.phone_change_confirm(user=request.user, phone=phone, code=form.cleaned_data["code"])
            except ValidationError as error:
                add_service_errors(form, error)
                join_offer = _held_by_phone_only(error)
                if join_offer:
                    _mark_proven(request, phone)
            else:
                messages.success(request, _("Nomor %(phone)s kini nomor telepon akun Anda.") % {"phone": phone})
                return redirect("portal:profile")
    has_phone = ReporterProfile.objects.filter(user=request.user).exclude(phone_hash=None).exists()
    return render(request, "portal/profile_phone.html", {"form": form, "phone": phone, "has_phone": has_phone,
                                                         "join_offer": join_offer}, status=status)


# The session's proof that it just typed the right code for a number a phone-only account
# holds: the number's keyed hash (never the number), the account, and until when.
PROVEN_KEY = "lapor_phone_proven"


def _held_by_phone_only(error: ValidationError) -> bool:
    """Whether ``phone_change_confirm`` proved the code and found the number a phone-only
    account's (lapor/accounts/claims.py, ``_check_free_for``, code ``claimable``)."""
    return any(e.code == "claimable" for e in getattr(error, "error_dict", {}).get("phone", []))


def _mark_proven(request, phone: str) -> None:
    until = timezone.now() + datetime.timedelta(minutes=claims.JOIN_OFFER_MINUTES)
    request.session[PROVEN_KEY] = {"user": request.user.pk, "phone_hash": lookup_hash(phone),
                                   "until": until.timestamp()}


def _proven_phone_hash(request) -> str | None:
    """The keyed hash of the number this session proved for this account, while fresh."""
    mark = request.session.get(PROVEN_KEY)
    if not isinstance(mark, dict) or mark.get("user") != request.user.pk:
        return None
    try:
        fresh = float(mark.get("until", 0)) > timezone.now().timestamp()
    except (TypeError, ValueError):
        return None
    return mark.get("phone_hash") if fresh and isinstance(mark.get("phone_hash"), str) else None


@login_required
@require_POST
def profile_phone_join(request):
    """Move the reports of the phone-only account holding the number this session has just
    proven (its code typed on ``profile_phone``) into this account, and the number with it
    (lapor/accounts/joining.py). Never for a number merely typed: only the session's mark."""
    phone_hash = _proven_phone_hash(request)
    profile = claims.claimable_by_hash(phone_hash) if phone_hash else None
    if profile is None:
        request.session.pop(PROVEN_KEY, None)
        messages.error(request, _("Buktikan dulu nomor itu dengan kode SMS yang baru: isi nomornya di profil, "
                                  "lalu masukkan kodenya."))
        return redirect("portal:profile")
    try:
        joining.account_join_phone_only(phone_only=profile.user, into=request.user, by=request.user,
                                        ip=audited_ip(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("portal:profile")
    request.session.pop(PROVEN_KEY, None)
    messages.success(request, _("Laporan nomor itu kini ada di akun Anda, dan nomor itu kini nomor telepon akun Anda."))
    return redirect("portal:my_reports")


@login_required
@never_cache
def personal_data_page(request):
    """The download's content as a page with labels, in the reader's language."""
    data = personal_data(request.user, when=lambda value: value)
    return render(request, "portal/profile_data.html", {"data": data})


@login_required
def personal_data_download(request):
    data = personal_data(request.user)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="data-pribadi-{request.user.username}-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response


# Typed to confirm by an account with no password to ask for (social sign-in only): allauth
# lets such an account through its re-authentication, so the page asks for this instead.
CONFIRM_PHRASE = gettext_lazy("HAPUS AKUN SAYA")


class EraseForm(forms.Form):
    """The password, or for an account without one the confirmation phrase."""

    password = forms.CharField(label=gettext_lazy("Kata sandi Anda"), strip=False, required=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    phrase = forms.CharField(label=gettext_lazy("Ketik kalimat konfirmasi"), required=False,
                             widget=forms.TextInput(attrs={"autocomplete": "off"}))

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.with_password = request.user.has_usable_password()
        del self.fields["phrase" if self.with_password else "password"]

    def clean(self):
        if self.with_password:
            password = self.cleaned_data.get("password") or ""
            # Through the sign-in backends: a wrong password counts towards the lockout as at sign-in.
            if not password or getattr(authenticate(self.request, username=self.request.user.username,
                                                    password=password), "pk", None) != self.request.user.pk:
                self.add_error("password", _("Kata sandi salah. Tidak ada yang dihapus."))
        else:
            typed = " ".join((self.cleaned_data.get("phrase") or "").split()).casefold()
            if typed not in {str(CONFIRM_PHRASE).casefold(), "hapus akun saya"}:
                self.add_error("phrase", _("Ketik persis: %(phrase)s. Tidak ada yang dihapus.")
                               % {"phrase": CONFIRM_PHRASE})
        return self.cleaned_data


@login_required
@never_cache
def account_erase(request):
    """Erase one's own account and personal data (lapor/accounts/erasure.py), after the
    password (or the confirmation phrase); then signed out, on a page saying it is done."""
    refusal = erasure.erase_refusal(request.user)
    form = None if refusal else EraseForm(request.POST if request.method == "POST" else None, request=request)
    status = 200
    if request.method == "POST":
        status = 400
        if form is not None and form.is_valid():
            try:
                erasure.account_erase(user=request.user, by=request.user, ip=audited_ip(request))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                logout(request)
                return redirect("portal:account_erased")
    return render(request, "portal/account_erase.html",
                  {"form": form, "refusal": refusal, "phrase": CONFIRM_PHRASE}, status=status)


def account_erased(request):
    return render(request, "portal/account_erased.html")
