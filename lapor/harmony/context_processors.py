"""The SILAPAT menu entry: shown only while the module is switched on."""
from django.conf import settings


def silapat(request):
    return {"silapat_enabled": getattr(settings, "LAPOR_SILAPAT_ENABLED", False)}
