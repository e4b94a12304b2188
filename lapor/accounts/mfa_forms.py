"""allauth's second-factor forms (MFA_FORMS in settings): the code box as a phone needs it."""
from __future__ import annotations

from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from allauth.mfa.totp.forms import ActivateTOTPForm
from django.utils.translation import gettext_lazy as _


# The code boxes of allauth's second factor: a phone offers its number keypad
# and the code its authenticator app or SMS suggests. Only a hint; the code's own rules
# stay allauth's (it ignores spaces and dashes typed inside one).
CODE_BOX = {"inputmode": "numeric", "autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}


class MFAAuthenticateForm(AuthenticateForm):
    """The code at sign-in: a TOTP code or a recovery code. Both are digits in allauth, but
    a recovery code may be pasted as printed, with spaces: no ``pattern`` that refuses it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(CODE_BOX)


class MFAReauthenticateForm(ReauthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(CODE_BOX)


class MFAActivateTOTPForm(ActivateTOTPForm):
    """Setting up the authenticator app: only its six digits are asked for."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            CODE_BOX, pattern="[0-9]*", title=_("Hanya angka, seperti yang ditampilkan aplikasi autentikator."))
