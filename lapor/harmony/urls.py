"""Public SILAPAT pages, mounted at /silapat/ only while LAPOR_SILAPAT_ENABLED."""
from django.urls import path

from lapor.harmony.views import public

app_name = "harmony"
urlpatterns = [
    path("", public.home, name="home"),
    path("lapor/", public.report, name="report"),
    path("panduan/", public.guide, name="guides"),
    path("panduan/<slug:slug>/", public.guide, name="guide"),
]
