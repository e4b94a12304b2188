"""allauth's sign-up forms (ACCOUNT_FORMS, SOCIALACCOUNT_FORMS) with one change: a NIK
another account holds makes no account and is not named on the page.

The page goes on as after every sign-up ("we sent you an e-mail", allauth's own answer to
an address that already has an account), and the e-mail says what happened
(``services.account_signup_nik_held``): anyone can type a NIK, only the owner of the
address reads the answer, and the NIK's holder hears of it
(docs/decisions/0009-nik-held-at-sign-up.md). Kept apart from lapor/accounts/forms.py,
which allauth imports to build these very classes."""
from allauth.account.adapter import get_adapter
from allauth.account.forms import SignupForm as AccountSignupForm
from allauth.socialaccount.forms import SignupForm as SocialSignupForm
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction

from lapor.accounts import services


class _NikHeldMakesNoAccount:
    def try_save(self, request):
        if self.nik_held and not self.account_already_exists:
            return self._nik_held(request)
        try:
            # The user allauth saves, its profile (``signup`` → ``account_register``) and
            # its address in one transaction: a profile refused leaves no account behind.
            with transaction.atomic():
                return super().try_save(request)
        except ValidationError as error:
            if "nik" not in getattr(error, "error_dict", {}):
                raise
            # Another sign-up took this NIK between this form's check and its save (the
            # NIK's unique hash decided): the same answer as a NIK held before.
            return self._nik_held(request)

    def _nik_held(self, request):
        email = self.cleaned_data["email"]
        services.account_signup_nik_held(email=email, nik=self.cleaned_data["nik"])
        adapter = get_adapter(request)
        # The note allauth shows after every sign-up ("e-mail sent to …"): without it
        # the next page would tell this case apart.
        adapter.add_message(request, messages.INFO, "account/messages/email_confirmation_sent.txt",
                            {"email": email, "login": False, "signup": True})
        return None, adapter.respond_email_verification_sent(request, None)


class SignupForm(_NikHeldMakesNoAccount, AccountSignupForm):
    pass


class SocialAccountSignupForm(_NikHeldMakesNoAccount, SocialSignupForm):
    pass
