"""Forms of the citizen portal. They parse input; the services decide."""
from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator, flatten_choices
from django.utils.translation import get_language, gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _

from lapor.accounts.forms import DateInput
from lapor.agencies.models import Agency
from lapor.categories.models import Category
from lapor.core.kept import kept
from lapor.regions.lookup import region_from_code
from lapor.regions.models import Region
from lapor.regions.selectors import region_rows
from lapor.reports import services
from lapor.reports.enums import Kind
from lapor.reports.models import published_status_choices
from lapor.reports.tracking import is_valid_tracking_id, normalize_tracking_id

REGION_LEVELS = ("province", "regency", "district", "village")


# Categories, agencies and the upper regions are read at most once a minute per process
# (lapor/core/kept.py): every list and form page offers them.
KEPT_SECONDS = 60


class KeptChoices(BaseChoiceIterator):
    """Choices built once and shared by every form of the process, read-only.

    Django normalises a plain list of choices each time it is set on a field, and again on
    its widget, and deep-copies it with every form: for the list filter's ~130 categories
    and its regions, about a millisecond a page. A choice iterator it takes as it is."""

    def __init__(self, choices):
        self._choices = tuple(choices)
        self.values = frozenset(str(value) for value, _label in flatten_choices(self._choices))

    def __iter__(self):
        return iter(self._choices)

    def __len__(self):
        return len(self._choices)

    def __deepcopy__(self, memo):
        return self  # never changed in place


_built: dict[tuple, tuple[object, KeptChoices]] = {}


def _once(key, rows, build) -> KeptChoices:
    """``KeptChoices(build(rows))``, built once per key and language while ``rows`` (a kept
    list) stays the same object: a minute, or until the rows are read again."""
    key = (*key, get_language())
    entry = _built.get(key)
    if entry is None or entry[0] is not rows:
        entry = _built[key] = (rows, KeptChoices(build(rows)))
    return entry[1]


def _region_step(parent_code: str | None) -> KeptChoices:
    """One step of the cascade with its "— Pilih —" first."""
    return _once(("regions", parent_code), region_rows(parent_code),
                 lambda rows: [("", gettext("— Pilih —")), *rows])


NO_REGION_STEP = (("", gettext_lazy("— Pilih —")),)


def _category_rows():
    return kept("portal:categories", KEPT_SECONDS, lambda: list(
        Category.objects.filter(is_active=True).order_by("position", "name").values_list("pk", "parent_id", "name")))


def category_choices(empty_label=gettext_lazy("— Pilih kategori —")) -> KeptChoices:
    """Topics as option groups, each with "(umum)" for the topic itself and its sub-topics."""
    def build(rows):
        # Topics in their own order (the rows come by position, then name): a topic's group
        # must not be opened by its first sub-topic, which sorts among the others' ones.
        topics = {pk: [(pk, name), []] for pk, parent_id, name in rows if parent_id is None}
        for pk, parent_id, name in rows:
            if parent_id in topics:
                topics[parent_id][1].append((pk, name))
        choices = [("", str(empty_label))]
        for topic, children in topics.values():
            options = [(str(topic[0]), gettext("%(topic)s (umum)") % {"topic": topic[1]})]
            options += [(str(pk), name) for pk, name in children]
            choices.append((topic[1], tuple(options)))
        return choices

    return _once(("categories", str(empty_label)), _category_rows(), build)


def agency_choices(empty_label=gettext_lazy("Saya tidak tahu — petugas akan memilihkan")) -> KeptChoices:
    rows = kept("portal:agencies", KEPT_SECONDS, lambda: list(
        Agency.objects.filter(is_active=True).order_by("path").values_list("pk", "name", "path")))

    def build(rows):
        return [("", str(empty_label))] + [(str(pk), "\u2003" * (path.count("/") - 1) + name) for pk, name, path in rows]

    return _once(("agencies", str(empty_label)), rows, build)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


def _with_implied_regions(data):
    """A deeper code implies the steps above it: a shared link with only ``?regency=63.03``
    filters by that regency, not by nothing."""
    deepest = next((data.get(level) for level in reversed(REGION_LEVELS) if data.get(level)), "")
    parts = deepest.split(".")
    missing = {level: ".".join(parts[:i + 1]) for i, level in enumerate(REGION_LEVELS[:len(parts) - 1])
               if not data.get(level)}
    if not missing:
        return data
    data = data.copy()
    for level, code in missing.items():
        data[level] = code
    return data


class RegionCascadeMixin:
    """Four selects (province → regency → district → village), each offered once the
    step above is chosen: rendered by the server, filled in place by JavaScript."""

    def _setup_regions(self, data):
        if data is not None:
            self.data = data = _with_implied_regions(data)
        parent = None
        for level in REGION_LEVELS:
            step = _region_step(parent)
            self.fields[level].choices = step
            chosen = (data.get(level) if data is not None else self.initial.get(level)) or ""
            parent = chosen if chosen and chosen in step.values else None
            if parent is None:
                # Nothing (valid) chosen here: the deeper steps have nothing to offer yet.
                for deeper in REGION_LEVELS[REGION_LEVELS.index(level) + 1:]:
                    self.fields[deeper].choices = NO_REGION_STEP
                break

    def chosen_region(self) -> Region | None:
        code = ""
        for level in REGION_LEVELS:
            if self.cleaned_data.get(level):
                code = self.cleaned_data[level]
        if not code:
            return None
        try:
            return region_from_code(code)  # kept a minute per process
        except ValidationError:
            return None  # gone since the form was read


class RegionChoiceField(forms.ChoiceField):
    """A step of the cascade. A value the step no longer offers (the step above changed)
    is dropped, not an error: the citizen simply chooses again."""

    def validate(self, value):
        pass

    def clean(self, value):
        value = super().clean(value)
        return value if self.valid_value(value) else ""


def _region_field(label):
    return RegionChoiceField(label=label, required=False)


class LifecycleChecks:
    """The lifecycle's own rules for what was typed (a text that shows nothing, the pin
    inside Indonesia, the date of the incident), said with the form's other errors instead
    of on the next submit."""

    required_texts: tuple[str, ...] = ()

    def clean(self):
        cleaned = super().clean()
        for name in self.required_texts:
            if name in cleaned and services.blank(cleaned[name]):
                self.add_error(name, self.fields[name].error_messages["required"])
        if message := services.location_error(cleaned.get("latitude"), cleaned.get("longitude")):
            self.add_error("latitude", message)
        if message := services.incident_date_error(cleaned.get("incident_date"), timezone.now()):
            self.add_error("incident_date", message)
        return cleaned


class ReportForm(LifecycleChecks, RegionCascadeMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Jenis laporan"), choices=Kind.choices, initial=Kind.COMPLAINT,
                             widget=forms.RadioSelect)
    title = forms.CharField(label=_("Judul"), max_length=200,
                            help_text=_("Singkat dan jelas, misalnya: Jalan berlubang di depan SDN 2 Guntung Manggis."))
    body = forms.CharField(label=_("Isi laporan"), widget=forms.Textarea(attrs={"rows": 8}),
                           max_length=services.BODY_LENGTH, help_text=_("Apa yang terjadi, di mana, sejak kapan, dan siapa yang terdampak."))
    incident_date = forms.DateField(label=_("Tanggal kejadian"), required=False, widget=DateInput())
    province = _region_field(_("Provinsi"))
    regency = _region_field(_("Kabupaten/kota"))
    district = _region_field(_("Kecamatan"))
    village = _region_field(_("Kelurahan/desa"))
    address = forms.CharField(label=_("Alamat atau patokan lokasi"), max_length=300, required=False)
    latitude = forms.FloatField(label=_("Lintang"), required=False,
                                widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}))
    longitude = forms.FloatField(label=_("Bujur"), required=False,
                                 widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}))
    category = forms.ChoiceField(label=_("Kategori"), required=False)
    addressed_agency = forms.ChoiceField(
        label=_("Instansi yang dituju"), required=False,
        help_text=_("Boleh dikosongkan: admin akan meneruskan laporan ke instansi yang berwenang."),
    )
    attachments = forms.FileField(
        label=_("Lampiran (foto atau PDF)"), required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}),
    )
    is_anonymous = forms.BooleanField(
        label=_("Anonim"), required=False,
        help_text=_("Identitas Anda disembunyikan dari instansi dan publik; laporan tetap dapat dibaca publik, "
                    "termasuk titik lokasi dan alamat kejadian. Bila kejadiannya di rumah Anda sendiri, pilih juga "
                    "Rahasia."),
    )
    is_confidential = forms.BooleanField(
        label=_("Rahasia"), required=False,
        help_text=_("Seluruh laporan hanya dapat dibaca oleh Anda dan petugas yang menanganinya, tidak tampil di publik."),
    )
    show_reporter_name = forms.BooleanField(
        label=_("Tampilkan nama saya di halaman publik"), required=False,
        help_text=_("Tanpa pilihan ini publik hanya melihat “Pelapor”."),
    )
    # The RT/RW's fields (shown only to a proxy): the resident the report is for.
    resident_name = forms.CharField(label=_("Nama warga"), max_length=150, required=False)
    resident_phone = forms.CharField(label=_("Nomor telepon warga"), max_length=30, required=False,
                                     widget=forms.TextInput(attrs={"type": "tel"}))
    resident_nik = forms.CharField(label=_("NIK warga"), max_length=24, required=False,
                                   widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    # Set once the citizen has seen the check step (duplicates, sensitive text, suggestion).
    checked = forms.BooleanField(required=False, widget=forms.HiddenInput)
    # One per form as shown: the same form sent twice (a double click, a browser re-sending
    # it) files one report (lapor/portal/views/submit.py).
    form_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, is_proxy=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_proxy = is_proxy
        if not is_proxy:
            for name in ("resident_name", "resident_phone", "resident_nik"):
                del self.fields[name]
        self.fields["category"].choices = category_choices()
        self.fields["addressed_agency"].choices = agency_choices()
        self._setup_regions(self.data if self.is_bound else None)

    def clean_category(self):
        pk = self.cleaned_data.get("category")
        return Category.objects.filter(pk=pk).first() if pk else None

    def clean_addressed_agency(self):
        pk = self.cleaned_data.get("addressed_agency")
        return Agency.objects.filter(pk=pk).first() if pk else None

    required_texts = ("title", "body")

    def clean(self):
        cleaned = super().clean()
        if self.is_proxy and cleaned.get("resident_name") and not (
            cleaned.get("resident_phone") or cleaned.get("resident_nik")
        ):
            self.add_error("resident_phone", _("Isi nomor telepon atau NIK warga."))
        return cleaned

    @property
    def files_for_proxy(self) -> bool:
        return self.is_proxy and bool(self.cleaned_data.get("resident_name"))

    def region_fields(self):
        return [self[level] for level in REGION_LEVELS]


class TrackForm(forms.Form):
    id = forms.CharField(label=_("Nomor pelacakan"), max_length=40,
                         widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))

    def clean_id(self):
        value = normalize_tracking_id(self.cleaned_data["id"])
        if not is_valid_tracking_id(value):
            digits = settings.LAPOR_TRACKING_ID_DIGITS
            raise ValidationError(
                _("Nomor pelacakan tidak valid. Nomor terdiri dari %(digits)s angka; periksa apakah ada angka yang "
                  "salah ketik atau tertukar.") % {"digits": digits}
            )
        return value


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Tanggapan Anda"), widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("Jelaskan apa yang belum terselesaikan; instansi wajib menindaklanjuti lagi."))


class RateForm(forms.Form):
    comment = forms.CharField(label=_("Komentar (opsional)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))


class CompleteForm(LifecycleChecks, forms.Form):
    """What a returned report was missing: text, and the date, the place (address, a pin on
    the map) and photos or PDFs when those were asked for. Files are checked and kept
    between tries like the report form's (lapor/portal/uploads.py)."""

    addition = forms.CharField(label=_("Kelengkapan yang diminta"), widget=forms.Textarea(attrs={"rows": 4}))
    incident_date = forms.DateField(label=_("Tanggal kejadian"), required=False, widget=DateInput())
    address = forms.CharField(label=_("Alamat atau patokan lokasi"), max_length=300, required=False)
    latitude = forms.FloatField(label=_("Lintang"), required=False,
                                widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}))
    longitude = forms.FloatField(label=_("Bujur"), required=False,
                                 widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}))
    attachments = forms.FileField(
        label=_("Lampiran (foto atau PDF)"), required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}),
    )
    has_files = True  # the page sends it as multipart/form-data, with the map
    required_texts = ("addition",)


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Mengapa laporan perlu dibuka kembali?"),
                             widget=forms.Textarea(attrs={"rows": 3}))


PUBLIC_STATUSES = published_status_choices()


class SearchForm(RegionCascadeMixin, forms.Form):
    q = forms.CharField(label=_("Cari"), required=False, max_length=200,
                        widget=forms.TextInput(attrs={"type": "search"}))
    kind = forms.ChoiceField(label=_("Jenis"), required=False,
                             choices=[("", _("Semua jenis"))] + [c for c in Kind.choices if c[0] != Kind.WHISTLEBLOWING])
    category = forms.ChoiceField(label=_("Kategori"), required=False)
    province = _region_field(_("Provinsi"))
    regency = _region_field(_("Kabupaten/kota"))
    district = _region_field(_("Kecamatan"))
    village = _region_field(_("Kelurahan/desa"))
    agency = forms.ChoiceField(label=_("Instansi"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Semua status"))] + PUBLIC_STATUSES)
    date_from = forms.DateField(label=_("Dari tanggal"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Sampai tanggal"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices(_("Semua kategori"))
        self.fields["agency"].choices = agency_choices(_("Semua instansi"))
        self._setup_regions(self.data if self.is_bound else None)

    def region_fields(self):
        return [self[level] for level in REGION_LEVELS]

    def clean(self):
        # A step no longer offered is dropped (the cascade's rule), but a code that names no
        # region at all is a filter the list cannot read: refused, not the whole country.
        cleaned = super().clean()
        for level in REGION_LEVELS:
            code = (self.data.get(level) or "").strip()
            if code:
                try:
                    region_from_code(code)
                except ValidationError as error:
                    self.add_error(level, error)
        return cleaned
