from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "lapor.accounts"
    label = "accounts"
    verbose_name = _("Akun dan profil pelapor")

    def ready(self):
        from allauth.account.models import EmailAddress

        from lapor.accounts import social
        from lapor.core.crypto import seal_foreign_email_field

        # allauth's own table of addresses is sealed like User.email (SPEC §5); its
        # look-ups by equality keep working (docs/decisions/0004-account-email-sealed.md).
        seal_foreign_email_field(EmailAddress._meta.get_field("email"))
        social.connect()
