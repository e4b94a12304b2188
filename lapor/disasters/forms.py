"""The back office's disaster form. Times are typed in the site's zone (TIME_ZONE)."""
from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from lapor.categories.models import Category
from lapor.core.choices import ListedModelChoiceField
from lapor.disasters.selectors import region_allowed
from lapor.regions.lookup import region_from_code


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class MomentField(forms.DateTimeField):
    """A time typed in the site's zone that is also a moment in UTC, where it is stored
    (1 January of year 1, 00:00 in Jakarta, is still year 0 in UTC): otherwise the form's
    "not a valid date/time", not an error when it is saved."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is not None:
            try:
                moment.astimezone(datetime.timezone.utc)
            except OverflowError:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        return moment


class DisasterForm(forms.Form):
    title = forms.CharField(label=_("Judul"), max_length=150,
                            help_text=_("Misalnya: Banjir Kalimantan Selatan"))
    description = forms.CharField(label=_("Keterangan"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text=_("Apa yang terjadi dan apa yang perlu dilaporkan warga."))
    category = ListedModelChoiceField(label=_("Kategori"), queryset=Category.objects.none())
    region = forms.CharField(label=_("Kode wilayah"), max_length=13,
                             help_text=_("Misalnya 63 (provinsi), 63.72 (kota), 63.72.02 (kecamatan): "
                                         "wilayah ini beserta seluruh wilayah di bawahnya."))
    starts_at = MomentField(label=_("Mulai"), widget=DateTimeInput())
    ends_at = MomentField(label=_("Berakhir (opsional)"), required=False, widget=DateTimeInput())
    is_active = forms.BooleanField(label=_("Aktif (spanduk tampil selama masa berlaku)"), required=False,
                                   initial=True)

    def __init__(self, *args, regions: list[str] | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.regions = regions
        self.fields["category"].queryset = Category.objects.filter(is_active=True).select_related("parent").order_by(
            "parent__position", "parent__name", "position", "name")

    def clean_region(self):
        region = region_from_code(self.cleaned_data.get("region") or "")
        if not region_allowed(self.regions, region.code):
            raise forms.ValidationError(_("Wilayah ini di luar wilayah instansi Anda (%(codes)s).")
                                        % {"codes": ", ".join(self.regions) or "—"})
        return region

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("Waktu berakhir harus sesudah waktu mulai."))
        return data
