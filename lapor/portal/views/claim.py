"""Taking over the account SMS or an RT/RW created (lapor/accounts/claims.py): the
number, the code sent to it, then the rest of the sign-up. The steps hold their state in
the session (stored encrypted, lapor/core/sessions.py)."""
from __future__ import annotations

import time

from allauth.account.internal.flows.signup import complete_signup
from allauth.account.utils import setup_user_email
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from lapor.accounts import claims
from lapor.accounts.forms import ClaimCodeForm, ClaimCompleteForm, ClaimPhoneForm
from lapor.accounts.models import User
from lapor.core.forms import add_service_errors
from lapor.core.security import client_ip

PHONE_KEY = "lapor_claim_phone"
USER_KEY = "lapor_claim_user"
# After the right code, the rest of the form must be sent within this time.
UNLOCKED_SECONDS = 30 * 60


def _signed_in(request):
    if request.user.is_authenticated:
        messages.info(request, _("Anda sudah masuk. Keluar dahulu untuk mengambil alih akun lain."))
        return redirect("portal:profile")
    return None


@never_cache
def claim_phone(request):
    if (response := _signed_in(request)) is not None:
        return response
    form = ClaimPhoneForm(request.POST or None, initial={"phone": request.session.get(PHONE_KEY, "")})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                phone = claims.claim_start(phone=form.cleaned_data["phone"], address=client_ip(request))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                request.session[PHONE_KEY] = phone
                request.session.pop(USER_KEY, None)
                return redirect("portal:claim_code")
    return render(request, "portal/claim_phone.html", {"form": form}, status=status)


@never_cache
def claim_code(request):
    if (response := _signed_in(request)) is not None:
        return response
    phone = request.session.get(PHONE_KEY)
    if not phone:
        return redirect("portal:claim")
    form = ClaimCodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                user = claims.claim_verify(phone=phone, code=form.cleaned_data["code"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                request.session[USER_KEY] = [user.pk, int(time.time())]
                return redirect("portal:claim_complete")
    return render(request, "portal/claim_code.html", {"form": form, "phone": phone}, status=status)


def _unlocked_user(request) -> User | None:
    held = request.session.get(USER_KEY)
    if not held or time.time() - held[1] > UNLOCKED_SECONDS:
        return None
    return User.objects.filter(pk=held[0]).first()


@never_cache
def claim_complete(request):
    if (response := _signed_in(request)) is not None:
        return response
    user = _unlocked_user(request)
    if user is None:
        request.session.pop(USER_KEY, None)
        messages.info(request, _("Masukkan nomor telepon Anda lagi: kami kirim kode baru."))
        return redirect("portal:claim")
    initial = {"full_name": user.full_name}
    form = ClaimCompleteForm(request.POST or None, user=user, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    user = claims.claim_complete(
                        user=user, username=data["username"], email=data["email"], password=data["password1"],
                        full_name=data["full_name"], nik=data["nik"], sex=data["sex"],
                        birth_date=data["birth_date"], occupation=data.get("occupation", ""),
                    )
                    setup_user_email(request, user, [])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                for key in (PHONE_KEY, USER_KEY):
                    request.session.pop(key, None)
                # As after sign-up: the confirmation mail goes out, and with mandatory
                # verification the citizen signs in once the address is confirmed.
                return complete_signup(request, user=user)
    return render(request, "portal/claim_complete.html", {"form": form}, status=status)
