"""The citizen's own account: profile and the personal data held about them."""
from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from lapor.accounts.forms import IdentityForm, ProfileForm
from lapor.accounts.models import ReporterProfile
from lapor.accounts.services import account_add_identity, account_update_profile
from lapor.core.forms import add_service_errors
from lapor.portal.personal_data import personal_data


@login_required
def profile(request):
    user = request.user
    held = ReporterProfile.objects.filter(user=user).first()
    # An account with no NIK yet (made before social sign-up asked for it) completes it here.
    wants_identity = held is None or not held.nik
    form = ProfileForm(initial={"full_name": user.full_name, "occupation": held.occupation if held else "",
                                "phone": held.phone if held else ""})
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
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                account_update_profile(user=user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Profil Anda tersimpan."))
                return redirect("portal:profile")
        status = 400
    return render(request, "portal/profile.html", {"form": form, "identity_form": identity_form, "held": held},
                  status=status)


@login_required
def personal_data_download(request):
    data = personal_data(request.user)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="data-pribadi-{request.user.username}-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response
