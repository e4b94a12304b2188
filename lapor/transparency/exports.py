"""CSV and XLSX of filtered public lists (SPEC §9). Rows come from querysets already
limited by ``lapor.reports.policy``; no personal data of reporters is ever written."""
from __future__ import annotations

import csv
import datetime
import io

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from lapor.agencies.models import zone_label

# Every time of a file is in one zone, the site's (TIME_ZONE, WIB by default), so that one
# file compares in one zone across agencies in WIB, WITA and WIT; the column ``zona`` names
# it on every row. In a spreadsheet they are dates and times (sortable, filterable); in
# CSV written "2026-12-07 10:56".
# New columns go last: scripts that read the columns by position keep reading the same
# ones. The region's code and the pin (as the public map shows it) let a newsroom or a
# BPBD put the file on its own map.
REPORT_COLUMNS = ["nomor", "diterima", "judul", "jenis", "kategori", "wilayah", "instansi", "status",
                  "tindak_lanjut_pertama", "selesai", "tautan", "zona", "kode_wilayah", "lintang", "bujur"]
MAX_ROWS = 100_000


def local(dt):
    # Naive wall-clock time in the site's zone: what a spreadsheet cell holds.
    return timezone.localtime(dt).replace(tzinfo=None) if dt else None


def report_rows(qs):
    qs = (qs.select_related("category", "region", "assigned_agency").order_by("-created_at", "-id")
          .only("tracking_id", "created_at", "title", "kind", "status", "first_answer_at", "closed_at",
                "latitude", "longitude", "category__name", "region__name", "assigned_agency__name")[:MAX_ROWS])
    zone = zone_label(settings.TIME_ZONE)
    for r in qs.iterator(chunk_size=2000):
        yield [
            r.tracking_id, local(r.created_at), r.title, r.get_kind_display(),
            r.category.name if r.category_id else "", r.region.name if r.region_id else "",
            r.assigned_agency.name if r.assigned_agency_id else "", r.status_label,
            local(r.first_answer_at), local(r.closed_at),
            f"{settings.LAPOR_SITE_URL}/laporan/{r.tracking_id}/", zone,
            r.region_id or "", _degrees(r.latitude), _degrees(r.longitude),
        ]


def _degrees(value):
    # As the public map gives a pin (lapor/transparency/geo.py: six decimals, ~10 cm), so a
    # file's row and the map's marker of one report carry the same numbers.
    return None if value is None else round(value, 6)


# What a citizen typed (a title) must not become a formula when the file is opened in a
# spreadsheet: "=HYPERLINK(...)" would be a link that sends the sheet's cells elsewhere.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _as_text(value):
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value  # the mark spreadsheet programs read as "text, as typed"
    return "" if value is None else value


class _Echo:
    def write(self, value):
        return value


def csv_response(header, rows, filename) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def stream():
        yield "\ufeff"  # so that spreadsheet programs read the file as UTF-8
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([_as_text(value) for value in row])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(header, rows, filename, title="Lapor", *, licence: bool = False) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.packaging.custom import StringProperty

    book = Workbook(write_only=True)
    if licence:
        # Where a spreadsheet program shows a file's details (its comments; the custom
        # "license" property for a script).
        book.properties.description = licence_text()
        book.custom_doc_props.append(StringProperty(name="license", value=settings.LAPOR_OPEN_DATA_LICENCE_URL))
    sheet = book.create_sheet(title=title[:31])
    sheet.append(header)
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def _cell(sheet, value):
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, datetime.datetime):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd hh:mm"
        return cell
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # text as typed, never a formula (openpyxl makes "=…" one)
        return cell
    return value


def table_response(header, rows, fmt, filename, title="Lapor"):
    if fmt == "xlsx":
        return xlsx_response(header, list(rows), filename, title)
    return csv_response(header, rows, filename)


def licence_text() -> str:
    """The open data's licence as people read it: "CC BY 4.0 (https://…)"."""
    name, url = settings.LAPOR_OPEN_DATA_LICENCE, settings.LAPOR_OPEN_DATA_LICENCE_URL
    return f"{name} ({url})" if name and url else name or url


def with_licence(response):
    """The open data's licence on a public file or answer (RFC 8288's ``rel="license"``):
    what a newsroom's or a portal's harvester may do with it travels with the file."""
    if settings.LAPOR_OPEN_DATA_LICENCE_URL:
        response["Link"] = f'<{settings.LAPOR_OPEN_DATA_LICENCE_URL}>; rel="license"'
    return response


def open_data_response(header, rows, fmt, filename, title="Lapor"):
    """A public download (the list of published reports, the ranking) with its licence.
    Staff files (supervision's late reports) are not open data: ``table_response``."""
    if fmt == "xlsx":
        return with_licence(xlsx_response(header, list(rows), filename, title, licence=True))
    return with_licence(csv_response(header, rows, filename))


def refused(filters) -> HttpResponse:
    """An export asked with filters that cannot be used: a 400 naming them, instead of a
    file of reports the reader did not choose (the pages show such a link, with a notice)."""
    text = _("Saringan ini tidak dikenal: %(ignored)s. Tidak ada yang diunduh; perbaiki atau hapus saringan "
             "itu, lalu unduh lagi.") % {"ignored": filters.ignored_text}
    return HttpResponse(text + "\n", status=400, content_type="text/plain; charset=utf-8")


def reports_response(qs, fmt):
    stamp = timezone.localdate().isoformat()
    return open_data_response(REPORT_COLUMNS, report_rows(qs), fmt, f"laporan-{stamp}", "Laporan")


COMPLIANCE_COLUMNS = ["instansi", "diterima", "tepat_waktu", "jatuh_tempo", "persen_tepat_waktu",
                      "median_hari_kerja", "sedang_ditangani", "terlambat", "persen_terlambat",
                      "pernah_selesai", "dibuka_kembali", "persen_dibuka_kembali", "dinilai", "puas",
                      "persen_puas", "sangat_puas", "puas_layanan", "cukup_puas", "tidak_puas"]


def _pct(v):
    # A number in both files (an empty cell when there is none): in the XLSX a spreadsheet
    # in any language reads it as one; the CSV writes it with a decimal point.
    return None if v is None else round(v * 100, 1)


def compliance_rows(rows):
    for r in rows:
        yield [
            r.agency.name, r.received, r.on_time, r.due, _pct(r.on_time_share),
            r.median_days, r.with_agency, r.overdue, _pct(r.overdue_share),
            r.ever_closed, r.reopened, _pct(r.reopen_rate), r.rated, r.satisfied, _pct(r.satisfaction_share),
            r.service[4], r.service[3], r.service[2], r.service[1],
        ]
