"""Forms of the report workspace and the inbox. They parse input only; every rule about
what may happen lives in lapor.reports.services and lapor.reports.policy."""
from __future__ import annotations

from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from lapor.agencies.models import Agency
from lapor.categories.models import Category
from lapor.core.choices import ListedModelChoiceField
from lapor.reports.enums import ArchiveReason, Channel, Status
from lapor.reports.models import AnswerDraft


class AgencyChoiceField(ListedModelChoiceField):
    def __init__(self, *args, **kwargs):
        # Words, as the other selects of the back office, not Django's "---------".
        kwargs.setdefault("empty_label", _("— pilih —"))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, agency):
        # Indent by depth so the tree reads in a plain <select>.
        depth = agency.path.count("/") - 1
        return "\u2003" * max(0, depth) + agency.name


def agencies_under(paths) -> "forms.QuerySet":
    """Active agencies in the given subtrees (the empty prefix: all of them)."""
    from functools import reduce
    from operator import or_

    from django.db.models import Q

    paths = list(paths)
    if not paths:
        return Agency.objects.none()
    return Agency.objects.filter(reduce(or_, (Q(path__startswith=p) for p in paths)), is_active=True).order_by("path")


# What the staff write beside an action is the reporter's to read in the report's history
# (why it went where it went); only an internal note is not. Said beside each such field.
READ_BY_REPORTER = _("Pelapor membaca teks ini di riwayat laporannya (publik tidak). Petunjuk antarpetugas "
                     "tulis sebagai Catatan internal.")


class VerifyForm(forms.Form):
    title = forms.CharField(
        label=_("Judul (ringkasan)"), max_length=200,
        help_text=_("Boleh ditulis ulang sebagai ringkasan; judul asli pelapor tetap tersimpan."),
    )
    category = forms.ChoiceField(
        label=_("Kategori"), required=False,
        help_text=_("Tetapkan atau perbaiki kategori pilihan pelapor; laporan SMS datang tanpa kategori."))
    region = forms.CharField(
        label=_("Wilayah (kode Kemendagri)"), required=False, max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 16}),
        help_text=_("Misalnya 63.72.02 (kecamatan) atau 63.72.02.1005 (kelurahan/desa). Kosongkan bila tidak "
                    "diubah."))
    agency = AgencyChoiceField(label=_("Disposisikan ke"), queryset=Agency.objects.none())
    is_anonymous = forms.BooleanField(label=_("Anonim: sembunyikan identitas pelapor"), required=False)
    is_confidential = forms.BooleanField(label=_("Rahasia: laporan tidak diterbitkan"), required=False)
    note = forms.CharField(label=_("Catatan verifikasi (opsional)"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=READ_BY_REPORTER)

    def __init__(self, *args, agencies, current_category=None, **kwargs):
        from lapor.portal.forms import category_choices  # the portal's kept topic → sub-topic groups

        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        choices = category_choices(empty_label=_("— Tanpa kategori —"))
        self.current_category = current_category
        if current_category is not None and not current_category.is_active:
            # Switched off since the citizen chose it: still offered, so that verifying
            # without touching it does not fail.
            label = _("%(name)s (tidak aktif)") % {"name": current_category.name}
            choices = [*choices, (str(current_category.pk), label)]
        self.fields["category"].choices = choices

    def clean_category(self):
        value = self.cleaned_data["category"]
        if not value:
            return None
        if self.current_category is not None and value == str(self.current_category.pk):
            return self.current_category
        category = Category.objects.filter(pk=value, is_active=True).first()
        if category is None:
            raise forms.ValidationError(_("Kategori ini tidak ada atau tidak aktif lagi."))
        return category

    def clean_region(self):
        from django.core.exceptions import ValidationError

        from lapor.regions.lookup import region_from_code

        value = self.cleaned_data["region"].strip()
        if not value:
            return None
        try:
            return region_from_code(value)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 3}))


class PostponeForm(ReasonForm):
    reason = forms.CharField(label=_("Alasan penundaan"), widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Misalnya: menghubungi pelapor untuk konfirmasi. Tenggat verifikasi tetap berjalan."))


class ReturnForm(forms.Form):
    missing = forms.CharField(
        label=_("Yang perlu dilengkapi pelapor"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sebutkan dengan jelas, misalnya: tanggal kejadian, lokasi tepat, foto."),
    )


ARCHIVE_CHOICES = [(v, l) for v, l in ArchiveReason.choices
                   if v not in (ArchiveReason.DUPLICATE, ArchiveReason.NEVER_COMPLETED)]


class ArchiveForm(forms.Form):
    reason = forms.ChoiceField(label=_("Alasan pengarsipan"), choices=ARCHIVE_CHOICES, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Keterangan (opsional)"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=READ_BY_REPORTER)


def suggestion_label(report) -> str:
    """A suggested original as the verifier tells them apart: its title, where it stands
    and when it came (the earliest is usually the original). ``report`` has its agencies
    attached (its status and day are read in its deadline's zone)."""
    day = timezone.localtime(report.created_at, ZoneInfo(report.deadline_zone)).date()
    return f"#{report.tracking_id} — {report.title} ({report.status_label}; {_('diterima')} {date_format(day, 'j M Y')})"


class DuplicateForm(forms.Form):
    suggestion = forms.ChoiceField(label=_("Laporan serupa yang disarankan"), required=False, widget=forms.RadioSelect)
    original = forms.CharField(label=_("Nomor pelacakan laporan asli"), required=False, max_length=12,
                               widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))

    def __init__(self, *args, suggestions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["suggestion"].choices = [(c.report.tracking_id, suggestion_label(c.report)) for c in suggestions]
        if suggestions:
            self.fields["original"].label = _("atau nomor pelacakan laporan asli")
        else:
            del self.fields["suggestion"]

    def clean(self):
        data = super().clean()
        chosen = (data.get("original") or "").strip() or data.get("suggestion") or ""
        if not chosen:
            raise forms.ValidationError(_("Pilih laporan asli atau tuliskan nomor pelacakannya."))
        data["tracking_id"] = chosen.lstrip("#")
        return data


class DisposeForm(forms.Form):
    unit = AgencyChoiceField(label=_("Unit kerja tujuan"), queryset=Agency.objects.none())
    note = forms.CharField(label=_("Catatan disposisi (opsional)"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=READ_BY_REPORTER)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class NotOurAuthorityForm(forms.Form):
    reason = forms.CharField(label=_("Mengapa bukan wewenang instansi Anda?"), widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=READ_BY_REPORTER)


class TransferForm(forms.Form):
    agency = AgencyChoiceField(label=_("Limpahkan ke instansi"), queryset=Agency.objects.none())
    reason = forms.CharField(label=_("Alasan pelimpahan"), widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=READ_BY_REPORTER)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class AnswerForm(forms.Form):
    """The answer; the agency's templates (``templates``) are offered by the page's own picker
    (a GET that fills ``body``), so a template is never part of what is sent."""

    body = forms.CharField(label=_("Tindak lanjut untuk pelapor"), widget=forms.Textarea(attrs={"rows": 6}))
    files = MultipleFileField(label=_("Lampiran (foto atau PDF, opsional)"), required=False)

    def __init__(self, *args, templates=(), kept=(), file_errors=(), **kwargs):
        """``kept``: the files accepted so far (lapor/portal/uploads.py), shown ticked so
        that a refused one never costs the others; ``file_errors``: what was refused."""
        super().__init__(*args, **kwargs)
        self.templates = list(templates)
        self.kept, self.file_errors = list(kept), list(file_errors)
        self.staged_name = self.add_prefix("staged")

    def clean(self):
        cleaned = super().clean()
        if self.file_errors:
            self.add_error("files", self.file_errors)
        return cleaned


class DraftFilesMixin:
    """The draft's files, each with a box to tick to leave it out (``dropped()``). Ticking
    removes, so a form sent without the boxes keeps every file."""

    def _draft_files(self, files, label, help_text):
        if files:
            self.fields["drop"] = forms.MultipleChoiceField(
                label=label, help_text=help_text, required=False, widget=forms.CheckboxSelectMultiple,
                choices=[(str(f.pk), f"{f.original_name or _('lampiran')} ({f.content_type})") for f in files])

    def dropped(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data.get("drop") or []]


class ApproveDraftForm(DraftFilesMixin, forms.Form):
    body = forms.CharField(label=_("Tindak lanjut untuk pelapor"), widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=_("Teks draf petugas; perbaiki bila perlu sebelum menyetujui."))

    def __init__(self, *args, files=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._draft_files(files, _("Lampiran yang tidak dikirim"),
                          _("Centang lampiran yang tidak layak dikirim (wajah orang, surat yang keliru)."))


class DraftAnswerForm(DraftFilesMixin, AnswerForm):
    """The officer's draft: the answer form, with the files already on the draft to keep or drop."""

    def __init__(self, *args, draft_files=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._draft_files(draft_files, _("Buang lampiran draf"),
                          _("Centang lampiran yang hendak dibuang dari draf."))


class ReturnDraftForm(forms.Form):
    note = forms.CharField(label=_("Yang perlu diperbaiki petugas"), widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Hanya terlihat oleh staf."))


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Catatan internal"), widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Hanya terlihat oleh petugas; tidak pernah oleh pelapor atau publik."))


class KeptTick(forms.CheckboxInput):
    """A ticked box that cannot be unticked here: drawn disabled, with the tick sent beside
    it as a hidden field. The form reads what is sent, so a post that unticks it anyway (a
    page drawn before, a request made by hand) reaches the service, which refuses it with
    its own message, rather than being quietly read as ticked."""

    def __init__(self, attrs=None):
        super().__init__({**(attrs or {}), "disabled": True})

    def render(self, name, value, attrs=None, renderer=None):
        return format_html('<input type="hidden" name="{}" value="on">', name) + super().render(
            name, True, attrs, renderer)


def keep_ticked(form, name: str, reason: str) -> None:
    """Show ``form``'s box ``name`` ticked and not to be unticked, with ``reason`` beside it."""
    form.fields[name].widget = KeptTick()
    form.fields[name].help_text = reason


class FlagsForm(forms.Form):
    """Protect a report after verification (``report_set_flags`` decides who may do what)."""

    is_confidential = forms.BooleanField(
        label=_("Rahasia: laporan tidak diterbitkan"), required=False,
        help_text=_("Hilang dari daftar, peta, pencarian, umpan dan API publik; tetap terlihat oleh pelapor dan "
                    "petugas yang menanganinya."))
    is_anonymous = forms.BooleanField(
        label=_("Anonim: sembunyikan identitas pelapor"), required=False,
        help_text=_("Tidak dapat dicabut kembali."))
    reason = forms.CharField(
        label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Pelapor membacanya di riwayat laporan; publik tidak."),
        error_messages={"required": _("Tulis alasannya (minimal 10 karakter); pelapor membacanya di riwayat laporan.")})

    def __init__(self, *args, report, **kwargs):
        kwargs.setdefault("initial", {"is_confidential": report.is_confidential, "is_anonymous": report.is_anonymous})
        super().__init__(*args, **kwargs)
        # Anonymity is never lifted here (only the identity custodian's recorded reveal): an
        # anonymous report's box is kept ticked by the workspace (``keep_ticked``).


class CloseForm(forms.Form):
    reason = forms.CharField(label=_("Alasan penutupan"), widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Misalnya: sudah diselesaikan melalui telepon dengan pelapor."))


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan membuka identitas"), min_length=10, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wajib. Alasan dicatat dalam riwayat laporan dan terlihat oleh pengawas."),
    )


# --- inbox ---------------------------------------------------------------------------------


class InboxFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari"), required=False, max_length=200,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("judul, isi, atau nomor pelacakan")}))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Semua status"))] + list(Status.choices))
    category = ListedModelChoiceField(label=_("Kategori"), required=False, queryset=Category.objects.none(),
                                      empty_label=_("Semua kategori"))
    unit = AgencyChoiceField(label=_("Instansi/unit"), required=False, queryset=Agency.objects.none(),
                             empty_label=_("Semua dalam lingkup saya"))
    region = forms.CharField(label=_("Kode wilayah"), required=False, max_length=13,
                             widget=forms.TextInput(attrs={"placeholder": "63.72", "inputmode": "decimal"}))
    channel = forms.ChoiceField(label=_("Kanal"), required=False, choices=[("", _("Semua kanal"))] + list(Channel.choices))
    draft = forms.ChoiceField(label=_("Draf tindak lanjut"), required=False, choices=[
        ("", _("Semua")), (AnswerDraft.State.PENDING, AnswerDraft.State.PENDING.label),
        (AnswerDraft.State.RETURNED, AnswerDraft.State.RETURNED.label),
    ])
    date_from = forms.DateField(label=_("Diterima sejak"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("sampai"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["category"].queryset = Category.objects.filter(parent__isnull=True).order_by("position", "name")

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("Tanggal akhir sebelum tanggal awal; tukar keduanya."))
        return data


class BulkForm(forms.Form):
    """The reports ticked in the inbox, for one bulk action. The inbox has one form and a
    button per action (each posting where its action goes), so no field is marked
    ``required`` for the browser: the server says what is missing for the action chosen."""

    use_required_attribute = False
    reports = forms.MultipleChoiceField(label=_("Laporan"), widget=forms.CheckboxSelectMultiple,
                                        error_messages={"required": _("Centang laporan yang hendak diproses.")})

    def __init__(self, *args, tracking_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reports"].choices = [(t, t) for t in tracking_ids]


class BulkVerifyForm(BulkForm):
    """A surge (a flood, a burst of SMS about one road) brings many clear reports at once:
    verified in one go, each to the agency chosen or, left empty, the one its own page
    suggests (the routing rule's OPD of its government, or the agency it was sent to)."""

    # Named apart from the other actions' fields: all sit in the inbox's one form.
    verify_agency = AgencyChoiceField(label=_("Verifikasi dan disposisikan ke"), queryset=Agency.objects.none(),
                                      required=False, empty_label=_("— saran untuk masing-masing laporan —"))
    verify_note = forms.CharField(label=_("Catatan verifikasi (opsional)"), required=False,
                                  help_text=READ_BY_REPORTER)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["verify_agency"].queryset = agencies


class BulkDisposeForm(BulkForm):
    unit = AgencyChoiceField(label=_("Disposisikan ke unit"), queryset=Agency.objects.none())
    note = forms.CharField(label=_("Catatan (opsional)"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class BulkArchiveForm(BulkForm):
    """Spam floods (an SMS number sending the same nonsense fifty times) are archived in one go."""

    # Named apart from the disposition's fields: both sit in the inbox's one form.
    archive_reason = forms.ChoiceField(label=_("Alasan pengarsipan"),
                                       choices=[("", _("— pilih alasan —"))] + ARCHIVE_CHOICES)
    archive_note = forms.CharField(label=_("Keterangan (opsional)"), required=False)
