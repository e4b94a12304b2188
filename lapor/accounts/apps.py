from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "lapor.accounts"
    label = "accounts"
