"""Bulk verification's confirmation step: before anything is sent, each ticked report
with the agency it will go to, by the same rule that sends it (the agency chosen, or the
one its own page suggests), or why it will not be verified from the inbox."""
from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from lapor.office.views.actions import suggested_agency
from lapor.reports import policy
from lapor.reports.enums import Action
from lapor.reports.sensitivity import sensitive_findings

CONFIRM = "confirm"  # sent by the confirmation page's button: the reports are verified


def bulk_verify_confirm(request, a: policy.Actor, form):
    """The confirmation page for ``form`` (a valid ``BulkVerifyForm``); nothing changes.
    Its button sends the same form again with ``CONFIRM``, to ``inbox.bulk_verify``."""
    from lapor.office.views.inbox import _safe_next, verify_agencies

    agencies = verify_agencies(a)
    data = form.cleaned_data
    wanted = list(dict.fromkeys(data["reports"]))
    found = {r.tracking_id: r for r in policy.scoped_reports(a).select_related(
        "addressed_agency", "category", "region").filter(tracking_id__in=wanted)}
    rows = []
    for tracking_id in wanted:
        report = found.get(tracking_id)
        row = {"tracking_id": tracking_id, "report": report}
        if report is None:
            # Outside this person's scope, or no such report: "not found", as everywhere.
            row["refusal"] = _("laporan tidak ditemukan.")
        elif policy.role_for(a, report, Action.VERIFY) is None:
            row["refusal"] = _("tidak dapat diverifikasi dari sini (status: %(status)s).") % {
                "status": report.status_label}
        elif not (report.is_anonymous or report.is_confidential) and sensitive_findings(report.title, report.body):
            # As the sending refuses it (inbox.bulk_verify): said before, not after.
            row["refusal"] = _("menyebut orang atau data pribadi; verifikasi dari halaman laporannya agar dapat "
                               "ditandai rahasia.")
        else:
            row["agency"] = data["verify_agency"] or suggested_agency(report, agencies)
            row["suggested"] = data["verify_agency"] is None
            if row["agency"] is None:  # sent to no government, and no routing rule for it
                row["refusal"] = _("belum ada instansi tujuan; pilih satu di kotak masuk atau verifikasi dari "
                                   "halaman laporannya.")
        rows.append(row)
    ready = [row for row in rows if row.get("agency") is not None]
    return render(request, "office/bulk_verify_confirm.html", {
        "rows": rows, "ready": ready, "note": data["verify_note"], "chosen": data["verify_agency"],
        "next": request.POST.get("next", ""), "back": _safe_next(request) or reverse("office:inbox"),
        "confirm": CONFIRM,
    })
