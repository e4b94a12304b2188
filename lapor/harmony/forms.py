"""Forms of the SILAPAT pages: parse and validate input; the services do the writing."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lapor.core.choices import ListedModelChoiceField
from lapor.harmony.enums import HarmonyRoleKind, TensionKind, ThresholdScope, Vulnerability
from lapor.harmony.importing import HOUSES, KIND_LABELS, ORGANIZATIONS, POPULATION
from lapor.harmony.models import HouseOfWorship, Population, ReligiousOrganization
from lapor.regions.models import Region


class RegionChoiceField(ListedModelChoiceField):
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


class RegionCodeField(forms.ChoiceField):
    """A region of the office's area, chosen from a list grouped by district; any code is
    let through to the service, which names a region outside the area in its own words."""

    def valid_value(self, value):
        return True

    def clean(self, value):
        code = super().clean(value)
        if not code:
            return None
        # No code holds NUL (nor can PostgreSQL text): unknown, like any other.
        region = Region.objects.filter(code=code).first() if "\x00" not in code else None
        if region is None:
            raise forms.ValidationError(_("Kode wilayah tidak dikenal."))
        return region


def region_choices(office) -> list:
    """The office's whole area, then its districts, then the villages of each district."""
    regions = list(Region.objects.filter(code__startswith=office.region.code + ".",
                                         level__lte=Region.Level.VILLAGE).order_by("code"))
    districts = [r for r in regions if r.level == Region.Level.DISTRICT]
    choices = [("", _("Seluruh wilayah kerja (%(name)s)") % {"name": office.region.name})]
    higher = [(r.code, r.name) for r in regions if r.level < Region.Level.DISTRICT]
    if higher:
        choices.append((_("Kabupaten/kota"), higher))
    if districts:
        choices.append((_("Kecamatan"), [(d.code, d.name) for d in districts]))
    for district in districts:
        villages = [(r.code, r.name) for r in regions
                    if r.level == Region.Level.VILLAGE and r.code.startswith(district.code + ".")]
        if villages:
            choices.append((_("Kelurahan/desa di %(name)s") % {"name": district.name}, villages))
    return choices


class ThresholdForm(forms.Form):
    """Parses the threshold form; the rules (count ≥ 1, days ≥ 1, a region inside the
    office's area) live in ``lapor.harmony.thresholds`` so that every caller gets them."""

    name = forms.CharField(label=_("Nama ambang"), max_length=120,
                           error_messages={"required": _("Beri nama ambang ini.")})
    min_level = forms.TypedChoiceField(
        label=_("Tingkat kerawanan minimal"), choices=Vulnerability.choices, coerce=int,
        error_messages={"required": _("Pilih tingkat kerawanan."),
                        "invalid_choice": _("Pilih tingkat kerawanan: rendah, sedang, tinggi atau kritis.")})
    count = forms.CharField(label=_("Jumlah kejadian"), help_text=_("Paling sedikit 1."),
                            widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 5}),
                            error_messages={"required": _("Isi jumlah kejadian.")})
    days = forms.CharField(label=_("Dalam berapa hari"), help_text=_("Paling sedikit 1 hari."),
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 5}),
                           error_messages={"required": _("Isi jangka waktunya dalam hari.")})
    scope = forms.TypedChoiceField(
        label=_("Dihitung per"), choices=ThresholdScope.choices, coerce=int, initial=ThresholdScope.DISTRICT,
        error_messages={"required": _("Pilih apakah kejadian dihitung per kecamatan atau per kelurahan/desa.")})
    region = RegionCodeField(label=_("Wilayah"), required=False,
                             help_text=_("Kosongkan untuk seluruh wilayah kerja kantor."))
    is_active = forms.BooleanField(label=_("Aktif"), required=False, initial=True)

    def __init__(self, *args, office, instance=None, **kwargs):
        if instance is not None:
            kwargs.setdefault("initial", {
                "name": instance.name, "min_level": instance.min_level, "count": instance.count,
                "days": instance.days, "scope": instance.scope, "region": instance.region_id or "",
                "is_active": instance.is_active,
            })
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices(office)


class RecipientForm(forms.Form):
    """Finds the account to add by its username or e-mail address (equality only: the
    address is stored sealed, lapor/core/crypto.py); the rules live in
    ``lapor.harmony.recipients``."""

    account = forms.CharField(
        label=_("Nama pengguna atau e-mail"), max_length=150,
        help_text=_("Akun Lapor yang sudah ada. Belum punya? Admin Instansi membuatnya di Kelola instansi → "
                    "Staf dan peran, atau orangnya mendaftar sendiri di portal."),
        error_messages={"required": _("Isi nama pengguna atau e-mail orang yang akan menerima peringatan.")})
    role = forms.ChoiceField(
        label=_("Peran"), choices=HarmonyRoleKind.choices, initial=HarmonyRoleKind.LEADERSHIP,
        error_messages={"required": _("Pilih perannya: kepala Kesbangpol atau pimpinan daerah."),
                        "invalid_choice": _("Pilih perannya: kepala Kesbangpol atau pimpinan daerah.")})

    def clean_account(self):
        from django.contrib.auth import get_user_model
        from django.db.models import Q

        typed = self.cleaned_data["account"].strip()
        user = get_user_model().objects.filter(Q(username__iexact=typed) | Q(email__iexact=typed)).first()
        if user is None:
            raise forms.ValidationError(
                _("Tidak ada akun “%(name)s”. Periksa ejaannya, atau minta orang itu dibuatkan akun dulu.")
                % {"name": typed})
        return user
