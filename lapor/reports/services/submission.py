"""A report arrives: from the web, the API, SMS, Open311, a proxy or an import."""
from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lapor.accounts import pseudonyms
from lapor.agencies.models import Agency
from lapor.reports import quota, references, writing
from lapor.reports.enums import Action, Channel, Kind, Status
from lapor.reports.models import Report
from lapor.reports.services._core import (
    _CHANNELS, _KINDS, _check_address, _check_location, _now, _record, _router_zone, _set_deadline, blank,
    incident_date_error,
)


@writing.atomic
def report_submit(
    *,
    reporter,
    kind: str = Kind.COMPLAINT,
    title: str,
    body: str,
    incident_date: datetime.date | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    region=None,
    address: str = "",
    category=None,
    addressed_agency: Agency | None = None,
    is_anonymous: bool = False,
    is_confidential: bool = False,
    show_reporter_name: bool = False,
    channel: str = Channel.WEB,
    filed_by=None,
    limited_by=None,
    now: datetime.datetime | None = None,
) -> Report:
    """Receive a new report: assign its tracking ID, start the 3-working-day verification
    clock and the 60-day outer limit, record the ``submit`` event.

    ``limited_by``: the signed-in account whose per-account limit applies (the web form,
    the API, SILAPAT); checked again inside this transaction, raising ``OverQuota``
    (lapor/reports/quota.py). Channels with limits of their own (SMS, Open311, imports)
    leave it out.

    Whistle-blowing is always confidential and addressed to the inspectorate of the agency
    named (when it has one). A proxy (``filed_by``) must be a registered
    RT/RW representative. Raises ValidationError naming each bad field; writes nothing then.
    """
    now = _now(now)
    errors: dict[str, str] = {}
    title = (title or "").strip()
    body = (body or "").strip()
    if blank(title):
        errors["title"] = _("Judul laporan wajib diisi.")
    elif len(title) > 200:
        errors["title"] = _("Judul paling panjang 200 karakter.")
    if blank(body):
        errors["body"] = _("Isi laporan wajib diisi.")
    if kind not in _KINDS:
        errors["kind"] = _("Jenis laporan tidak dikenal.")
    if channel not in _CHANNELS:
        errors["channel"] = _("Kanal tidak dikenal.")
    if late := incident_date_error(incident_date, now):
        errors["incident_date"] = late
    _check_address(address, errors)
    _check_location(latitude, longitude, errors)
    if category is not None and not category.is_active:
        errors["category"] = _("Kategori ini tidak aktif lagi; pilih kategori lain.")
    if addressed_agency is not None and not addressed_agency.is_active:
        errors["addressed_agency"] = _("Instansi ini tidak aktif lagi; pilih instansi lain.")
    if filed_by is not None:
        profile = getattr(filed_by, "profile", None)
        if profile is None or not profile.is_proxy:
            errors["filed_by"] = _("Hanya perwakilan RT/RW terdaftar yang dapat melapor atas nama warga.")
        elif reporter is None or reporter.pk == filed_by.pk:
            errors["reporter"] = _("Laporan atas nama warga harus menyebut warga yang diwakili.")
    if errors:
        raise ValidationError(errors)
    if kind == Kind.WHISTLEBLOWING:
        is_confidential = True
        # Routed only to the inspectorate (SPEC §3): it, not the government the report is
        # about, verifies it; that government's admins never see it (policy.Actor.for_report).
        if addressed_agency is not None and not addressed_agency.is_inspectorate:
            addressed_agency = addressed_agency.inspectorate() or addressed_agency
    if limited_by is not None:
        quota.hold(limited_by, now=now)
    if is_anonymous and not _files_for_others(reporter, channel):
        # Stand-in accounts, one per report: no row of this report names its people. The
        # RT/RW's first, whose row ``quota.hold`` already locked.
        filed_by, reporter = (pseudonyms.stand_in_for(u) if u is not None else None for u in (filed_by, reporter))

    report = writing.build(
        Report,
        kind=kind,
        title=title,
        original_title=title,
        body=body,
        incident_date=incident_date,
        latitude=latitude,
        longitude=longitude,
        region=region,
        address=(address or "").strip(),
        category=category,
        addressed_agency=addressed_agency,
        is_anonymous=is_anonymous,
        is_confidential=is_confidential,
        show_reporter_name=show_reporter_name and not is_anonymous,
        channel=channel,
        reporter=reporter,
        filed_by=filed_by,
        status=Status.SUBMITTED,
        created_at=now,
        updated_at=now,
        completed_at=now,
        outer_due_at=now + datetime.timedelta(days=settings.LAPOR_OUTER_LIMIT_CALENDAR_DAYS),
    )
    _set_deadline(report, start=now, days=settings.LAPOR_VERIFY_DAYS, zone=_router_zone(report))
    writing.current().insert_report(report)  # with a fresh, unique tracking ID
    event = _record(
        report,
        action=Action.SUBMIT,
        by=filed_by or reporter,
        role="proxy" if filed_by else "reporter",
        from_status="",
        now=now,
        data={"channel": channel},
    )
    if not writing.current().deferred:
        # A new report's whole history and follow-ups, kept on it: a caller that shows
        # the report (the API's answer to a submit) need not read them back.
        references.keep_related(report, events=[event], followups=[])
    return report


def _files_for_others(reporter, channel: str) -> bool:
    """An organisation's account that forwards its users' reports: an Open311 client, a
    connected system (``LAPOR_SUBMIT_UNLIMITED_ACCOUNTS``). Its anonymous reports keep it
    as their reporter: it is not a person to hide (the person is not in our database at
    all), and a stand-in per report would pile up thousands of them on one account."""
    return channel == Channel.OPEN311 or (
        reporter is not None and reporter.username in settings.LAPOR_SUBMIT_UNLIMITED_ACCOUNTS)


# --- verification and routing -------------------------------------------------------------
