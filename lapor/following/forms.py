"""Parsing a follow button's POST. The buttons send hidden fields; a hand-made or stale
request gets a message in the user's language, never an error page."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lapor.categories.models import Category
from lapor.regions.lookup import region_from_code
from lapor.reports.models import Report


class FollowForm(forms.Form):
    laporan = forms.CharField(required=False, max_length=20)
    wilayah = forms.CharField(required=False, max_length=13)
    kategori = forms.CharField(required=False, max_length=160)
    lat = forms.FloatField(required=False)
    lon = forms.FloatField(required=False)
    radius = forms.FloatField(required=False)

    def clean_laporan(self):
        tracking_id = (self.cleaned_data.get("laporan") or "").strip()
        if not tracking_id:
            return None
        report = Report.objects.select_related("addressed_agency", "assigned_agency").filter(
            tracking_id=tracking_id).first()
        if report is None:
            raise forms.ValidationError(_("Laporan tidak ditemukan."))
        return report

    def clean_wilayah(self):
        code = (self.cleaned_data.get("wilayah") or "").strip()
        return region_from_code(code) if code else None

    def clean_kategori(self):
        value = (self.cleaned_data.get("kategori") or "").strip()
        if not value:
            return None
        # The portal's list names a category by id, the map's filters by slug.
        # (ASCII digits: "²" is a digit to Python but no number to int().)
        category = Category.objects.filter(pk=int(value)).first() if value.isascii() and value.isdigit() else (
            Category.objects.filter(slug=value).first())
        if category is None:
            raise forms.ValidationError(_("Kategori tidak dikenal."))
        return category

    def target(self) -> dict:
        d = self.cleaned_data
        return {"report": d.get("laporan"), "region": d.get("wilayah"), "category": d.get("kategori"),
                "latitude": d.get("lat"), "longitude": d.get("lon"), "radius_km": d.get("radius")}
