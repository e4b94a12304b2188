"""Forms of the SILAPAT pages: parse and validate input; the services do the writing."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lapor.harmony.enums import TensionKind, Vulnerability
from lapor.harmony.importing import HOUSES, KIND_LABELS, ORGANIZATIONS, POPULATION
from lapor.harmony.models import HouseOfWorship, Population, ReligiousOrganization
from lapor.regions.models import Region


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, region):
        parent = region.parent.name if region.parent_id else ""
        return f"{region.name} — {parent}" if parent else region.name


def villages_of(region):
    return Region.objects.filter(level=Region.Level.VILLAGE, code__startswith=region.code + ".").select_related(
        "parent").order_by("parent__name", "name")


def regions_of(region):
    return Region.objects.filter(code__startswith=region.code).select_related("parent").order_by("code")


class HouseOfWorshipForm(forms.ModelForm):
    class Meta:
        model = HouseOfWorship
        fields = ["village", "kind", "religion", "name", "address", "latitude", "longitude"]

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"] = RegionChoiceField(queryset=villages_of(office.region), label=_("Kelurahan/desa"))


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = ReligiousOrganization
        fields = ["region", "name", "kind", "religion", "level", "contact_name", "contact_phone", "contact_email"]
        widgets = {"contact_name": forms.TextInput, "contact_phone": forms.TextInput,
                   "contact_email": forms.EmailInput}

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"] = RegionChoiceField(queryset=regions_of(office.region), label=_("Wilayah"))


class PopulationForm(forms.ModelForm):
    class Meta:
        model = Population
        fields = ["village", "year", "religion", "count"]

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"] = RegionChoiceField(queryset=villages_of(office.region), label=_("Kelurahan/desa"))


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis data"), choices=[(k, KIND_LABELS[k]) for k in (HOUSES, ORGANIZATIONS,
                                                                                          POPULATION)])
    file = forms.FileField(label=_("Berkas CSV"), help_text=_("UTF-8, dipisah koma atau titik koma, dengan baris judul kolom."))

    MAX_BYTES = 5 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("Berkas paling besar 5 MB."))
        return upload


class AssessForm(forms.Form):
    level = forms.TypedChoiceField(label=_("Tingkat kerawanan"), choices=Vulnerability.choices, coerce=int,
                                   widget=forms.RadioSelect)
    tension_kind = forms.ChoiceField(label=_("Jenis ketegangan"), choices=TensionKind.choices)
    groups = forms.CharField(label=_("Kelompok yang terlibat"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(label=_("Catatan penilaian (internal)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))


class HarmonyReportForm(forms.Form):
    title = forms.CharField(label=_("Judul"), max_length=200)
    body = forms.CharField(label=_("Apa yang terjadi?"), widget=forms.Textarea(attrs={"rows": 6}))
    tension_kind = forms.ChoiceField(label=_("Jenis ketegangan"), choices=TensionKind.choices,
                                     widget=forms.RadioSelect)
    groups = forms.CharField(
        label=_("Kelompok yang terlibat (boleh dikosongkan)"), required=False,
        help_text=_("Jika Anda menyebut kelompok atau orang, laporan otomatis dirahasiakan."),
    )
    village = RegionChoiceField(queryset=Region.objects.none(), label=_("Kelurahan/desa tempat kejadian"))
    address = forms.CharField(label=_("Alamat/lokasi"), max_length=300, required=False)
    latitude = forms.FloatField(label=_("Lintang (boleh dikosongkan)"), required=False)
    longitude = forms.FloatField(label=_("Bujur (boleh dikosongkan)"), required=False)
    incident_date = forms.DateField(label=_("Tanggal kejadian"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}))
    is_anonymous = forms.BooleanField(label=_("Sembunyikan identitas saya (anonim)"), required=False)
    is_confidential = forms.BooleanField(label=_("Rahasiakan laporan ini"), required=False)

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
