from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "lapor.accounts"
    label = "accounts"

    def ready(self):
        from allauth.account.models import EmailAddress

        from lapor.accounts import social
        from lapor.core.crypto import seal_foreign_email_field

        # allauth's own table of addresses is sealed like User.email (SPEC §5); its
        # look-ups by equality keep working (docs/decisions/0004-account-email-sealed.md).
        seal_foreign_email_field(EmailAddress._meta.get_field("email"))
        social.connect()
