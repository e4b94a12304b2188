from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CategoriesConfig(AppConfig):
    name = "lapor.categories"
    label = "categories"
    verbose_name = _("Kategori laporan")
