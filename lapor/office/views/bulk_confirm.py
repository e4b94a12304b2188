"""Bulk verification's fates and confirmation step. Each ticked report's fate is the agency
verifying it from the inbox sends it to (the agency chosen, or the one its own page
suggests), or why it is not verified from there: one function (``verify_fates``) works it
out for the confirmation page, which lists it before anything is sent, and for the sending
(``inbox.bulk_verify``), so that the two cannot disagree. The page's form carries the
destination each report was confirmed with; a report whose fate has changed since (a
routing rule edited meanwhile, the report verified by someone else) is not verified, and
said why (``changed_since_confirmed``)."""
from __future__ import annotations

from dataclasses import dataclass

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from lapor.agencies.models import Agency
from lapor.core.refusals import whole_number
from lapor.office.views.actions import suggested_agency
from lapor.reports import policy
from lapor.reports.enums import Action
from lapor.reports.models import Report
from lapor.reports.sensitivity import published_naming_people

CONFIRM = "confirm"  # sent by the confirmation page's button: the reports are verified
# The confirmation page's hidden field for each report (the prefix, then its tracking ID):
# the id of the agency it was confirmed to go to.
DESTINATION = "tujuan-"


@dataclass
class Fate:
    """What verifying ``tracking_id`` from the inbox does: sends it to ``agency``, or is
    refused (``refusal``, why, in words to follow its tracking ID)."""

    tracking_id: str
    report: Report | None = None  # None: not found (or outside this person's scope)
    agency: Agency | None = None
    suggested: bool = False  # ``agency`` is its own page's suggestion, none having been chosen
    refusal: str | None = None


def verify_fates(a: policy.Actor, data: dict) -> list[Fate]:
    """The fate of each report ticked in ``data`` (a valid ``BulkVerifyForm``'s), in the
    order ticked, each once."""
    from lapor.office.views.inbox import verify_agencies

    agencies = verify_agencies(a)
    chosen = data["verify_agency"]
    wanted = list(dict.fromkeys(data["reports"]))  # one ticked twice (a re-sent form) is one
    found = {r.tracking_id: r for r in policy.scoped_reports(a).select_related(
        "addressed_agency", "category", "region").filter(tracking_id__in=wanted)}
    fates = []
    for tracking_id in wanted:
        fate = Fate(tracking_id, found.get(tracking_id))
        report = fate.report
        if report is None:
            # Outside this person's scope, or no such report: "not found", as everywhere.
            fate.refusal = _("laporan tidak ditemukan.")
        elif policy.role_for(a, report, Action.VERIFY) is None:
            fate.refusal = _("tidak dapat diverifikasi dari sini (status: %(status)s).") % {
                "status": report.status_label}
        elif published_naming_people(report):
            # SPEC §12, the safe choice is the default: left for its own page, where it is
            # offered as confidential.
            fate.refusal = _("menyebut orang atau data pribadi; verifikasi dari halaman laporannya agar dapat "
                             "ditandai rahasia.")
        else:
            fate.agency = chosen or suggested_agency(report, agencies)
            fate.suggested = chosen is None
            if fate.agency is None:  # sent to no government, and no routing rule for it
                fate.refusal = _("belum ada instansi tujuan; pilih satu di kotak masuk atau verifikasi dari "
                                 "halaman laporannya.")
        fates.append(fate)
    return fates


def changed_since_confirmed(fate: Fate, post, agencies) -> str | None:
    """Why ``fate`` (ready to be sent) is not the one confirmed on the confirmation page
    (``post``: its form as sent), or None when it is. ``agencies``: where this person may
    send a report; a destination outside them was not offered by the page (a form made by
    hand) and is refused as such."""
    sent = post.get(f"{DESTINATION}{fate.tracking_id}", "")
    if not sent:
        return _("tujuannya belum diperiksa di halaman konfirmasi; centang lagi di kotak masuk.")
    number = whole_number(sent) if len(sent) < 19 else None  # a bigint's digits at most: no 500 from the database
    if number == fate.agency.pk:
        return None
    confirmed = agencies.filter(pk=number).first() if number is not None else None
    if confirmed is None:
        return _("instansi tujuan yang dikirim bukan instansi yang dapat Anda tuju; centang lagi di kotak masuk.")
    return _("tujuan berubah sejak konfirmasi: kini %(agency)s, bukan %(confirmed)s. Periksa lagi dari kotak "
             "masuk.") % {"agency": fate.agency.name, "confirmed": confirmed.name}


def bulk_verify_confirm(request, a: policy.Actor, form):
    """The confirmation page for ``form`` (a valid ``BulkVerifyForm``); nothing changes.
    Its button sends the same form again with ``CONFIRM`` and each report's destination,
    to ``inbox.bulk_verify``."""
    from lapor.office.views.inbox import _safe_next

    data = form.cleaned_data
    fates = verify_fates(a, data)
    ready = [fate for fate in fates if fate.refusal is None]
    return render(request, "office/bulk_verify_confirm.html", {
        "rows": fates, "ready": ready, "note": data["verify_note"], "chosen": data["verify_agency"],
        "next": request.POST.get("next", ""), "back": _safe_next(request) or reverse("office:inbox"),
        "confirm": CONFIRM, "destination": DESTINATION,
    })
