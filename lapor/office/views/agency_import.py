"""Importing an agency tree from a file in the back office (national admin only).

Two steps, no JavaScript: the upload is checked by a real dry run (lapor/agencies/importing.py)
and shown; "Impor" then imports the same file without sending it again. Between the two the
file waits in the staging folder of the file storage (shared by every web machine, S3 in a
large deployment), under a random name that only this person's session knows; it goes when
imported, when another file is uploaded, or with the background pass's sweep of staged
files (a day: ``lapor.portal.uploads.discard_abandoned``).
"""
from __future__ import annotations

import secrets
import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.files.storage import default_storage
from django.shortcuts import redirect, render
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lapor.agencies.importing import (
    CHANGED, CREATED, ERROR, UNCHANGED, field_label, import_agencies, read_file, read_routing_file,
)
from lapor.agencies.models import Role
from lapor.audit.services import client_ip
from lapor.office.access import role_required
from lapor.portal.uploads import STAGING
from lapor.reports.importing import ReadNote, Unreadable

national_only = role_required(Role.NATIONAL_ADMIN)

SESSION_KEY = "agency_import"
EXTENSIONS = (".csv", ".tsv", ".txt", ".xlsx")
MAX_BYTES = 5 * 1024 * 1024
# Each request (the dry run, then the import) checks every row with the model and writes it
# in a savepoint: 3,000 rows took 11 s on SQLite here, and past 2,000 a busier machine could
# outlast the web server's 30 s timeout. The command has no limit.
MAX_ROWS = 2000
ACCEPT = forms.FileInput(attrs={"accept": ",".join(EXTENSIONS)})


class AgencyImportForm(forms.Form):
    agencies = forms.FileField(
        label=gettext_lazy("Berkas instansi (CSV atau XLSX)"), widget=ACCEPT,
        help_text=gettext_lazy("Kolom: slug, name, short_name, kind, parent, region, time_zone, sms_keyword, "
                               "is_inspectorate, supervises, is_active, admin_email, admin_name. Hanya slug dan "
                               "name yang wajib."))
    routing = forms.FileField(
        label=gettext_lazy("Berkas aturan rute (opsional)"), required=False, widget=ACCEPT,
        help_text=gettext_lazy("Kolom: category (slug kategori), region (kode wilayah; kosong: semua wilayah), "
                               "agency (slug instansi)."))

    def _checked(self, name):
        upload = self.cleaned_data.get(name)
        if upload is None:
            return None
        if Path(upload.name).suffix.lower() not in EXTENSIONS:
            raise forms.ValidationError(_("Unggah berkas .csv atau .xlsx."))
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("Berkas lebih dari %(mb)d MB. Impor berkas sebesar ini dengan perintah "
                                          "import_agencies.") % {"mb": MAX_BYTES // (1024 * 1024)})
        return upload

    def clean_agencies(self):
        return self._checked("agencies")

    def clean_routing(self):
        return self._checked("routing")


@national_only
def upload(request):
    form = AgencyImportForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return render(request, "office/manage/agency_import.html", {"form": form},
                      status=400 if form.is_bound else 200)
    _discard(request)  # an earlier upload not imported
    staged = {"token": secrets.token_urlsafe(24), "files": {}}
    for name in ("agencies", "routing"):
        upload = form.cleaned_data[name]
        if upload is not None:
            suffix = Path(upload.name).suffix.lower()
            path = default_storage.save(f"{STAGING}/agency-import-{secrets.token_hex(16)}{suffix}", upload)
            staged["files"][name] = {"path": path, "name": Path(upload.name).name[:100]}
    try:
        result, notes = _run(request, staged, commit=False)
    except _FileProblem as problem:
        _delete(staged)
        form.add_error(problem.field, problem.message)
        return render(request, "office/manage/agency_import.html", {"form": form}, status=400)
    request.session[SESSION_KEY] = staged
    return render(request, "office/manage/agency_import.html", {
        "form": AgencyImportForm(), **_shown(result, notes), "token": staged["token"]})


@require_POST
@national_only
def confirm(request):
    staged = request.session.get(SESSION_KEY)
    if not staged or not constant_time_compare(request.POST.get("token", ""), staged.get("token", "")):
        messages.error(request, _("Berkas itu sudah diimpor atau sudah tidak tersimpan. Unggah berkasnya lagi."))
        return redirect("office:manage_agency_import")
    try:
        result, notes = _run(request, staged, commit=True)
    except _FileProblem as problem:  # the staged copy went missing (swept after a day)
        messages.error(request, problem.message)
        return redirect("office:manage_agency_import")
    finally:
        _discard(request)
    return render(request, "office/manage/agency_import.html", {"form": AgencyImportForm(), **_shown(result, notes)})


class _FileProblem(Exception):
    def __init__(self, field: str, message: str):
        self.field, self.message = field, message


def _run(request, staged: dict, *, commit: bool):
    """Read the staged files and import them (a dry run unless ``commit``)."""
    notes, read = {}, {}
    readers = {"agencies": read_file, "routing": read_routing_file}
    with tempfile.TemporaryDirectory(prefix="lapor-agency-import-") as folder:
        for name, kept in staged["files"].items():
            note = ReadNote()
            local = Path(folder) / f"{name}{Path(kept['path']).suffix}"
            try:
                with default_storage.open(kept["path"], "rb") as source:
                    local.write_bytes(source.read())
                read[name] = readers[name](local, note)
            except FileNotFoundError:
                raise _FileProblem(name, _("Berkas itu sudah tidak tersimpan. Unggah berkasnya lagi.")) from None
            except Unreadable as error:
                raise _FileProblem(name, str(error)) from None
            if len(read[name]) > MAX_ROWS:
                raise _FileProblem(name, _(
                    "Berkas berisi %(n)d baris; halaman ini menerima paling banyak %(max)d. Impor berkas sebesar "
                    "ini dengan perintah import_agencies.") % {"n": len(read[name]), "max": MAX_ROWS})
            notes[name] = (kept["name"], note)
    result = import_agencies(read["agencies"], routing_rows=read.get("routing"), by=request.user, commit=commit,
                             ip=client_ip(request))
    return result, notes


def _shown(result, notes) -> dict:
    """What the template lists: counts, errors and writes, with the columns in words."""
    def rows(results):
        for row in results:
            row.error_list = [(field_label(name), texts) for name, texts in row.errors.items()]
            row.changed_labels = [field_label(name) for name in row.changed]
        return results

    def counts(tally):
        return [(_("dibuat") if result.committed else _("akan dibuat"), tally[CREATED]),
                (_("diubah") if result.committed else _("akan diubah"), tally[CHANGED]),
                (_("tidak berubah"), tally[UNCHANGED]), (_("galat"), tally[ERROR])]

    sections = [(_("Instansi"), "agencies", rows(result.agencies), counts(result.agency_counts))]
    if "routing" in notes:
        sections.append((_("Aturan rute"), "routing", rows(result.routing), counts(result.routing_counts)))
    return {"result": result, "sections": [
        {"title": title, "file": notes[name][0], "note": notes[name][1], "how": _how(notes[name][1]),
         "counts": tally, "errors": [r for r in listed if r.status == ERROR],
         "writes": [r for r in listed if r.status in (CREATED, CHANGED)]}
        for title, name, listed, tally in sections]}


def _how(note: ReadNote) -> str:
    """How the file was read, as the command prints it: "UTF-8, dipisah titik koma"."""
    separator = {",": _("dipisah koma"), ";": _("dipisah titik koma"), "\t": _("dipisah tab")}.get(note.delimiter)
    return f"{note.encoding}, {separator}" if separator else note.encoding


def _discard(request) -> None:
    staged = request.session.pop(SESSION_KEY, None)
    if staged:
        _delete(staged)


def _delete(staged: dict) -> None:
    for kept in staged.get("files", {}).values():
        if kept.get("path", "").startswith(f"{STAGING}/"):
            default_storage.delete(kept["path"])
