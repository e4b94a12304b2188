"""The workspace's lifecycle actions: for each, the form it shows and the one service call
it makes. Which ones a person is offered is ``policy.allowed_actions``; the services check
again (the status may have changed since the page was drawn)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lapor.agencies.models import Role
from lapor.agencies.routing import suggest_agency
from lapor.office.access import actor
from lapor.office.forms import (
    AnswerForm, ArchiveForm, CloseForm, DisposeForm, DraftAnswerForm, DuplicateForm, FlagsForm, NoteForm,
    NotOurAuthorityForm,
    PostponeForm, ReturnForm, TransferForm, VerifyForm, agencies_under, keep_ticked,
)
from lapor.office.models import AnswerTemplate
from lapor.portal import uploads
from lapor.reports import attachments, drafts, policy, references, services
from lapor.reports.duplicates import likely_duplicates
from lapor.reports.enums import Action, Kind
from lapor.reports.sensitivity import published_naming_people


@dataclass(frozen=True)
class ActionSpec:
    action: str
    slug: str
    label: str
    button: str
    form: Callable  # (request, report, data, files) -> Form
    perform: Callable  # (request, report, form) -> success message


def _agency_ancestor_ids(agency) -> list[int]:
    return [int(part) for part in agency.path.strip("/").split("/") if part] if agency else []


def answer_templates(report):
    """Templates of the assigned agency and of every agency above it."""
    return AnswerTemplate.objects.filter(agency_id__in=_agency_ancestor_ids(report.assigned_agency)).order_by("title")


def duplicate_suggestions(request, report):
    queryset = policy.visible_reports(actor(request)).select_related(None)
    if report.verified_at is not None:
        # A verified report is merged only into a verified one (services.report_mark_duplicate).
        queryset = queryset.filter(verified_at__isnull=False)
    found = likely_duplicates(
        queryset=queryset,
        category=report.category, text=f"{report.title} {report.body}", latitude=report.latitude,
        longitude=report.longitude, region=report.region, exclude_pk=report.pk,
    )
    references.attach([c.report for c in found], agencies_only=True)  # their zones, from the kept rows
    return found


def verify_agencies(request):
    a = actor(request)
    return agencies_under([""] if a.has(Role.NATIONAL_ADMIN) else a.paths(Role.AGENCY_ADMIN))


# --- form factories -------------------------------------------------------------------------


def suggested_agency(report, agencies, *, category=None, region=None):
    """Where verifying ``report`` sends it unless the verifier picks another: the routing
    rule's agency for its category and region when that is the addressed agency's own
    unit or another unit of the same government (a report sent to "Pemerintah Kota" or to
    the wrong OPD goes to the OPD whose work it is, not to the city's top, where it would
    wait for a second routing), otherwise the agency it was sent to. Only one of
    ``agencies`` (where this person may send it) is suggested; whistle-blowing stays with
    the inspectorate it was sent to. ``category`` and ``region``: those the verifier chose
    instead of the report's own (None: the report's, as ``report_verify`` reads it)."""
    addressed = report.addressed_agency
    if report.kind == Kind.WHISTLEBLOWING and addressed is not None:
        return addressed
    rule = suggest_agency(category=category or report.category, region=region or report.region)
    if rule is not None and (addressed is None or rule.path.startswith(addressed.root_path)) \
            and agencies.filter(pk=rule.pk).exists():
        return rule
    return addressed or rule


# The verify form's second button, "Perbarui saran": the form drawn again with the
# suggestion for the category and region chosen in it, without JavaScript; nothing is done.
REFRESH = "verify-refresh"


def _verify_form(request, report, data=None, files=None):
    agencies = verify_agencies(request)
    category = region = None  # the report's own
    refresh = data is not None and REFRESH in data
    if refresh:
        chosen = VerifyForm(data, agencies=agencies, prefix="verify", current_category=report.category)
        chosen.is_valid()  # a wrong region is said beside it below; the report's own is used meanwhile
        category, region = chosen.cleaned_data.get("category"), chosen.cleaned_data.get("region")
    suggested = suggested_agency(report, agencies, category=category, region=region)
    if refresh:
        # What was typed stays; only the agency follows the new suggestion.
        data = data.copy()
        data["verify-agency"] = str(suggested.pk) if suggested is not None else ""
    # The safe choice is the default (SPEC §12): a text that names people, or gives a NIK,
    # phone number or address, is offered as confidential; the verifier unticks it if safe.
    initial = {
        "title": report.title, "is_anonymous": report.is_anonymous,
        "is_confidential": report.is_confidential or published_naming_people(report),
        "agency": suggested.pk if suggested is not None else None,
        "category": report.category_id or "", "region": report.region_id or "",
    }
    form = VerifyForm(data, agencies=agencies, initial=initial, prefix="verify", current_category=report.category)
    form.refreshed = refresh
    if suggested is not None and report.addressed_agency is not None and suggested != report.addressed_agency:
        # Said, so that the verifier sees why the choice is not the one the citizen made.
        form.fields["agency"].help_text = _(
            "Disarankan aturan rute untuk kategori dan wilayah laporan ini; pelapor menujukannya ke %(agency)s.") % {
            "agency": report.addressed_agency.name}
    elif report.kind != Kind.WHISTLEBLOWING and suggested is not None:
        # The rule names another government (a Banjar road sent to Banjarbaru): said, not chosen.
        rule = suggest_agency(category=category or report.category, region=region or report.region)
        if rule is not None and rule != suggested:
            form.fields["agency"].help_text = _(
                "Aturan rute untuk kategori dan wilayah laporan ini menyarankan %(agency)s (instansi lain: "
                "pilih bila Anda berwenang, atau limpahkan).") % {"agency": rule.name}
    _keep_anonymous(report, form)
    _keep_confidential(request, report, form)
    return form


def _keep_anonymous(report, form) -> None:
    # Anonymity is never lifted here: shown ticked, and a post that unticks it anyway is
    # refused with the service's own reason (services.ANONYMITY_STAYS), said beside the box.
    if report.is_anonymous:
        keep_ticked(form, "is_anonymous", services.ANONYMITY_STAYS)


def confidentiality_kept(request, report) -> str | None:
    """Why this person may not make ``report`` public (the services refuse it), or None:
    said beside the "Rahasia" box, which is then shown ticked and not to be unticked."""
    if not report.is_confidential:
        return None
    if report.kind == Kind.WHISTLEBLOWING:
        return _("Laporan whistle-blowing selalu rahasia.")
    if services.confidential_by_reporter(report):
        return _("Pelapor memilih merahasiakan laporan ini.")
    if not policy.may_publish(actor(request), report):
        return _("Hanya admin yang memverifikasi laporan ini (Admin Nasional atau admin instansi tujuan) yang "
                 "dapat menerbitkannya kembali.")
    return None


def _keep_confidential(request, report, form) -> None:
    reason = confidentiality_kept(request, report)
    if reason is not None:
        keep_ticked(form, "is_confidential", reason)


def _simple(form_class, prefix):
    def make(request, report, data=None, files=None):
        return form_class(data, prefix=prefix)
    return make


def _duplicate_form(request, report, data=None, files=None):
    form = DuplicateForm(data, suggestions=duplicate_suggestions(request, report), prefix="duplicate")
    if report.verified_at is not None:
        # Said before it is done: merging a verified report moves its people, and cannot be undone.
        form.fields["original"].help_text = _(
            "Laporan ini keluar dari daftar kerja instansi dan diarsipkan sebagai duplikat. Dukungannya "
            "dipindahkan ke laporan asli; pelapor, pendukung, dan pengikutnya mengikuti laporan asli.")
    return form


def _dispose_form(request, report, data=None, files=None):
    a = actor(request)
    units = agencies_under(a.paths(Role.AGENCY_ADMIN, Role.UNIT_ADMIN))
    if report.assigned_agency_id:
        units = units.exclude(pk=report.assigned_agency_id)
    return DisposeForm(data, units=units, prefix="dispose")


def _transfer_form(request, report, data=None, files=None):
    agencies = agencies_under([""])
    if report.assigned_agency_id:
        # Its own government's units are reached by disposition (the clock runs on).
        agencies = agencies.exclude(path__startswith=report.assigned_agency.root_path)
    elif report.verified_at is None and report.addressed_agency_id:
        # Not verified: its own units are reached by verifying; this is for another government.
        agencies = agencies.exclude(path__startswith=report.addressed_agency.path)
    return TransferForm(data, agencies=agencies, prefix="transfer")


def _answer_form(request, report, data=None, files=None, *, draft=None):
    templates = list(answer_templates(report))
    initial = {"body": draft.body} if draft else {}
    chosen = request.GET.get("templat")
    for template in templates:
        if str(template.pk) == chosen:
            initial = {"body": template.body}
    # Files are cleaned and kept as they arrive: one refused file sends the form back with
    # the others still attached (ticked), as on the citizen's forms.
    kept, file_errors = ([], []) if data is None else uploads.take(
        request, staged_field="answer-staged", files_field="answer-files")
    if draft is not None:
        return DraftAnswerForm(data, files, templates=templates, initial=initial, prefix="answer",
                               draft_files=list(draft.files.order_by("pk")), kept=kept, file_errors=file_errors)
    return AnswerForm(data, files, templates=templates, initial=initial, prefix="answer", kept=kept,
                      file_errors=file_errors)


def _draft_form(request, report, data=None, files=None):
    # A draft sent back (or still waiting) opens with its own text and files, to revise.
    draft = drafts.open_draft(report)
    if draft is not None and draft.agency_id != report.assigned_agency_id:
        draft = None  # written for another unit: this one starts afresh
    form = _answer_form(request, report, data, files, draft=draft)
    form.fields["body"].label = _("Draf tindak lanjut untuk pelapor")
    form.fields["body"].help_text = _("Admin unit memeriksa draf ini; pelapor menerimanya setelah disetujui.")
    return form


# --- service calls --------------------------------------------------------------------------


def _verify(request, report, form):
    d = form.cleaned_data
    report = services.report_verify(report=report, by=request.user, agency=d["agency"], title=d["title"],
                                    is_anonymous=d["is_anonymous"], is_confidential=d["is_confidential"],
                                    category=d["category"], region=d["region"], note=d["note"])
    return _("Laporan diverifikasi dan didisposisikan ke %(agency)s.") % {"agency": report.assigned_agency.name}


def _postpone(request, report, form):
    services.report_postpone(report=report, by=request.user, reason=form.cleaned_data["reason"])
    return _("Verifikasi laporan ditunda. Tenggat verifikasi tetap berjalan.")


def _return(request, report, form):
    services.report_return(report=report, by=request.user, missing=form.cleaned_data["missing"])
    return _("Laporan dikembalikan ke pelapor untuk dilengkapi.")


def _archive(request, report, form):
    services.report_archive(report=report, by=request.user, reason=form.cleaned_data["reason"],
                            note=form.cleaned_data["note"])
    return _("Laporan diarsipkan.")


def _duplicate(request, report, form):
    tracking_id = form.cleaned_data["tracking_id"]
    original = policy.visible_reports(actor(request)).filter(tracking_id=tracking_id).first()
    if original is None:
        raise ValidationError({"original": _("Laporan #%(id)s tidak ditemukan.") % {"id": tracking_id}})
    report = services.report_mark_duplicate(report=report, by=request.user, original=original)
    return _("Laporan ditandai duplikat dari #%(id)s.") % {"id": report.duplicate_of.tracking_id}


def _dispose(request, report, form):
    unit = form.cleaned_data["unit"]
    services.report_dispose(report=report, by=request.user, unit=unit, note=form.cleaned_data["note"])
    return _("Laporan didisposisikan ke %(unit)s.") % {"unit": unit.name}


def _not_our_authority(request, report, form):
    services.report_not_our_authority(report=report, by=request.user, reason=form.cleaned_data["reason"])
    return _("Laporan dikembalikan ke admin sebagai bukan wewenang.")


def _transfer(request, report, form):
    agency = form.cleaned_data["agency"]
    held_by = report.assigned_agency or report.addressed_agency
    report = services.report_transfer(report=report, by=request.user, agency=agency, reason=form.cleaned_data["reason"])
    return transferred_sentence(report, held_by)


def transferred_sentence(report, held_by) -> str:
    """What the person who transferred ``report`` (as it is now) is told, here and in the
    API: the page after a transfer is most often the next report's (this one is out of
    reach now), so it says which report went where, and whose queue it left (``held_by``,
    the agency that held it before; None for an SMS report that named no government)."""
    if report.verified_at is None:
        words = {"id": report.tracking_id, "agency": report.addressed_agency.name}
        if held_by is None:  # an SMS report that named no government
            return _("Laporan #%(id)s diteruskan ke %(agency)s untuk diverifikasi di sana.") % words
        return _("Laporan #%(id)s diteruskan ke %(agency)s untuk diverifikasi di sana dan keluar dari antrean "
                 "verifikasi %(from)s.") % {**words, "from": held_by.name}
    words = {"id": report.tracking_id, "agency": report.assigned_agency.name}
    if held_by is None:
        return _("Laporan #%(id)s dilimpahkan ke %(agency)s.") % words
    return _("Laporan #%(id)s dilimpahkan ke %(agency)s dan keluar dari daftar kerja %(from)s.") % {
        **words, "from": held_by.name}


def kept_files(request, form) -> list:
    """The files accepted with ``form`` (each already cleaned: type, metadata)."""
    return [clean for _staged, clean in uploads.staged_from_tokens([k.token for k in form.kept], user=request.user)]


def _answer(request, report, form):
    cleaned = kept_files(request, form)
    with transaction.atomic():
        followup = services.report_answer(report=report, by=request.user, body=form.cleaned_data["body"])
        for clean in cleaned:
            attachments.attachment_store(report=followup.report, clean=clean, by=request.user, followup=followup,
                                         now=followup.created_at)
    uploads.discard([k.token for k in form.kept])
    return _("Tindak lanjut terkirim ke pelapor.")


def _draft(request, report, form):
    drop = form.dropped() if isinstance(form, DraftAnswerForm) else []
    drafts.draft_answer(report=report, by=request.user, body=form.cleaned_data["body"],
                        files=kept_files(request, form), drop=drop)
    uploads.discard([k.token for k in form.kept])
    return _("Draf tindak lanjut diajukan. Admin unit memeriksanya sebelum terkirim ke pelapor.")


def _note(request, report, form):
    services.report_add_note(report=report, by=request.user, text=form.cleaned_data["text"])
    return _("Catatan internal disimpan.")


def _flags_form(request, report, data=None, files=None):
    form = FlagsForm(data, report=report, prefix="flags")
    _keep_anonymous(report, form)
    _keep_confidential(request, report, form)
    return form


def _set_flags(request, report, form):
    d = form.cleaned_data
    report = services.report_set_flags(report=report, by=request.user, reason=d["reason"],
                                       is_anonymous=d["is_anonymous"], is_confidential=d["is_confidential"])
    if report.is_confidential:
        return _("Sifat laporan disimpan: laporan ini rahasia dan tidak tampil di mana pun untuk publik.")
    return _("Sifat laporan disimpan: laporan ini terbit untuk publik.")


def _close(request, report, form):
    services.report_close(report=report, by=request.user, reason=form.cleaned_data["reason"])
    return _("Laporan ditutup.")


# In the order the workspace offers them, its first one open: what moves the report on
# (verify it; once verified, dispose or transfer it, answer it) before what takes it out
# of the work (a duplicate, not this agency's, closed). After verifying, the page a
# verifier comes back to opens the routing form, not "Tandai duplikat".
SPECS = [
    ActionSpec(Action.VERIFY, "verifikasi", gettext_lazy("Verifikasi dan disposisi"), gettext_lazy("Verifikasi"),
               _verify_form, _verify),
    ActionSpec(Action.POSTPONE, "tunda", gettext_lazy("Tunda verifikasi"), gettext_lazy("Tunda"),
               _simple(PostponeForm, "postpone"), _postpone),
    ActionSpec(Action.RETURN, "kembalikan", gettext_lazy("Kembalikan ke pelapor"), gettext_lazy("Kembalikan"),
               _simple(ReturnForm, "return"), _return),
    ActionSpec(Action.ARCHIVE, "arsipkan", gettext_lazy("Arsipkan"), gettext_lazy("Arsipkan"),
               _simple(ArchiveForm, "archive"), _archive),
    ActionSpec(Action.DISPOSE, "disposisi", gettext_lazy("Disposisi ke unit kerja"), gettext_lazy("Disposisikan"),
               _dispose_form, _dispose),
    ActionSpec(Action.TRANSFER, "limpahkan", gettext_lazy("Limpahkan ke instansi lain"), gettext_lazy("Limpahkan"),
               _transfer_form, _transfer),
    ActionSpec(Action.ANSWER, "tindak-lanjut", gettext_lazy("Tindak lanjut"), gettext_lazy("Kirim tindak lanjut"),
               _answer_form, _answer),
    ActionSpec(Action.DRAFT_ANSWER, "draf-tindak-lanjut", gettext_lazy("Draf tindak lanjut"),
               gettext_lazy("Ajukan untuk disetujui"), _draft_form, _draft),
    ActionSpec(Action.MARK_DUPLICATE, "duplikat", gettext_lazy("Tandai duplikat"), gettext_lazy("Tandai duplikat"),
               _duplicate_form, _duplicate),
    ActionSpec(Action.NOT_OUR_AUTHORITY, "bukan-wewenang", gettext_lazy("Bukan wewenang"),
               gettext_lazy("Kembalikan ke admin"), _simple(NotOurAuthorityForm, "noa"), _not_our_authority),
    ActionSpec(Action.NOTE, "catatan", gettext_lazy("Catatan internal"), gettext_lazy("Simpan catatan"),
               _simple(NoteForm, "note"), _note),
    ActionSpec(Action.CLOSE, "tutup", gettext_lazy("Tutup laporan"), gettext_lazy("Tutup"),
               _simple(CloseForm, "close"), _close),
    ActionSpec(Action.SET_FLAGS, "sifat", gettext_lazy("Sifat laporan: rahasia atau anonim"),
               gettext_lazy("Simpan sifat laporan"), _flags_form, _set_flags),
]
BY_SLUG = {spec.slug: spec for spec in SPECS}
BY_ACTION = {spec.action: spec for spec in SPECS}
