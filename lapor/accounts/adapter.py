"""allauth hooks for Lapor's accounts."""
from allauth.account.adapter import DefaultAccountAdapter

from lapor.accounts.services import account_sync_email


class AccountAdapter(DefaultAccountAdapter):
    def confirm_email(self, request, email_address):
        # With ACCOUNT_CHANGE_EMAIL a confirmed address becomes the account's address:
        # keep the encrypted copy in the profile in step (docs/decisions/0002-account-email.md).
        confirmed = super().confirm_email(request, email_address)
        user = type(email_address.user).objects.get(pk=email_address.user_id)
        account_sync_email(user=user)
        return confirmed
