"""Early-warning thresholds set in the back office (docs/silapat.md, "Ambang").

Who may set them is ``access.can_manage_thresholds``; every change is a
``HarmonyThresholdChange`` row (who, when, each value before and after, shown on the
threshold's page) and an entry in the office's audit log (``lapor.audit``), and the
office's thresholds are checked again at once, so a lowered threshold warns without
waiting for the periodic check.
"""
from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lapor.audit.models import AuditAction
from lapor.audit.services import audit_record
from lapor.audit.services import diff as audit_diff
from lapor.audit.services import snapshot as audit_snapshot
from lapor.harmony import access
from lapor.harmony.enums import ThresholdScope, Vulnerability
from lapor.harmony.models import HarmonyOffice, HarmonyThreshold, HarmonyThresholdChange
from lapor.harmony.selectors import office_zone
from lapor.regions.models import Region
from lapor.reports.errors import ActionForbidden

# Upper bounds that keep a threshold meaningful (and inside the columns): a year's window,
# a thousand incidents.
MAX_DAYS = 366
MAX_COUNT = 1000
FIELDS = ("name", "scope", "min_level", "count", "days", "region_id", "is_active")


def _check(*, office: HarmonyOffice, name: str, scope, min_level, count, days, region: Region | None) -> dict:
    """The threshold's values, cleaned; raises ValidationError per field (all at once)."""
    errors, values = {}, {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("Beri nama ambang ini, misalnya “Tiga kejadian tinggi dalam 30 hari”.")
    values["name"] = name[:120]
    try:
        values["scope"] = ThresholdScope(int(scope))
    except (TypeError, ValueError):
        errors["scope"] = _("Pilih apakah kejadian dihitung per kecamatan atau per kelurahan/desa.")
    try:
        values["min_level"] = Vulnerability(int(min_level))
    except (TypeError, ValueError):
        errors["min_level"] = _("Pilih tingkat kerawanan: rendah, sedang, tinggi atau kritis.")
    for field, value, top, low_message, high_message in (
        ("count", count, MAX_COUNT, _("Jumlah kejadian paling sedikit 1."),
         _("Jumlah kejadian paling banyak %(n)s.") % {"n": MAX_COUNT}),
        ("days", days, MAX_DAYS, _("Jangka waktu paling sedikit 1 hari."),
         _("Jangka waktu paling lama %(n)s hari.") % {"n": MAX_DAYS}),
    ):
        try:
            number = int(value)
        except (TypeError, ValueError):
            errors[field] = _("Isi dengan bilangan bulat.")
            continue
        if number < 1:
            errors[field] = low_message
        elif number > top:
            errors[field] = high_message
        values[field] = number
    if region is not None:
        if not office.covers(region):
            errors["region"] = _("Wilayah ini di luar wilayah kerja kantor Anda.")
        elif values.get("scope") == ThresholdScope.DISTRICT and region.level == Region.Level.VILLAGE:
            errors["region"] = _("Ambang yang dihitung per kecamatan tidak dapat dibatasi pada satu kelurahan/desa; "
                                 "pilih kecamatannya atau hitung per kelurahan/desa.")
    values["region_id"] = region.code if region is not None else None
    if errors:
        raise ValidationError(errors)
    return values


def _snapshot(threshold: HarmonyThreshold) -> dict:
    return {field: _plain(getattr(threshold, field)) for field in FIELDS}


def _plain(value):
    return int(value) if isinstance(value, (ThresholdScope, Vulnerability)) else value


@transaction.atomic
def threshold_save(
    *,
    office: HarmonyOffice,
    by,
    threshold: HarmonyThreshold | None = None,
    name: str,
    scope,
    min_level,
    count,
    days,
    region: Region | None = None,
    is_active: bool = True,
    ip: str | None = None,
    now: datetime.datetime | None = None,
) -> HarmonyThreshold:
    """Create a threshold for ``office`` or change one of its own.

    Only ``access.can_manage_thresholds`` people (ActionForbidden otherwise); values are
    checked (count ≥ 1, days ≥ 1, a level, a region inside the office's area) and refused
    per field with ValidationError, writing nothing. Side effects: the threshold row (with
    ``updated_by``/``updated_at``), a ``HarmonyThresholdChange`` with the values before and
    after and an audit-log entry (neither when nothing changed; ``ip`` is the request's);
    saved switched off, its ongoing alerts are cleared; then a check of the office's
    thresholds, which may raise an early warning and notify the head and leadership."""
    from lapor.harmony.services import harmony_check_thresholds

    now = now or timezone.now()
    if not access.can_manage_thresholds(by, office):
        raise ActionForbidden(_("Hanya kepala/admin Kesbangpol atau Admin Nasional yang dapat mengatur ambang."))
    if threshold is not None and threshold.office_id != office.pk:
        raise ActionForbidden(_("Ambang ini milik kantor SILAPAT lain."))
    values = _check(office=office, name=name, scope=scope, min_level=min_level, count=count, days=days,
                    region=region)
    values["is_active"] = bool(is_active)
    if threshold is None:
        threshold = HarmonyThreshold(office=office)
        before, kind, audited = {}, HarmonyThresholdChange.Kind.CREATED, None
    else:
        threshold = HarmonyThreshold.objects.select_for_update().get(pk=threshold.pk)
        before, kind = _snapshot(threshold), HarmonyThresholdChange.Kind.CHANGED
        audited = audit_snapshot(threshold)
    for field, value in values.items():
        setattr(threshold, field, value)
    after = _snapshot(threshold)
    changed = {f: [before.get(f), after[f]] for f in FIELDS if before.get(f) != after[f]}
    if not changed:
        return threshold
    threshold.updated_by, threshold.updated_at = by, now
    threshold.save()
    HarmonyThresholdChange.objects.create(threshold=threshold, kind=kind, by=by, at=now, values=changed)
    audit_record(actor=by, action=AuditAction.CREATED if audited is None else AuditAction.CHANGED,
                 target=threshold, changes=audit_diff(audited, audit_snapshot(threshold)), ip=ip, now=now)
    if not threshold.is_active:
        _clear_alerts(threshold, now)
    harmony_check_thresholds(office=office, now=now)
    return threshold


def change_history(threshold: HarmonyThreshold, *, limit: int = 20) -> list[tuple]:
    """The threshold's latest changes, each with its values as people read them:
    ``(change, [(label, before, after), …])`` ("Jumlah kejadian", "3", "2"), in the order
    of the form's fields; a value that was not there before (a new threshold) is "—"."""
    changes = list(threshold.changes.select_related("by")[:limit])
    codes = {code for c in changes for code in c.values.get("region_id", []) if code}
    regions = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))

    def shown(field, value) -> str:
        if value is None or value == "":
            return "—"
        if field == "scope":
            return str(ThresholdScope(value).label)
        if field == "min_level":
            return str(Vulnerability(value).label)
        if field == "region_id":
            return regions.get(value, value)
        if field == "is_active":
            return _("aktif") if value else _("nonaktif")
        return str(value)

    def label(field) -> str:
        return str(HarmonyThreshold._meta.get_field(field.removesuffix("_id")).verbose_name).capitalize()

    return [(change, [(label(f), shown(f, change.values[f][0]), shown(f, change.values[f][1]))
                      for f in FIELDS if f in change.values])
            for change in changes]


def _clear_alerts(threshold: HarmonyThreshold, now) -> None:
    # A threshold switched off watches nothing: its ongoing alerts would never clear.
    threshold.alerts.filter(cleared_on__isnull=True).update(
        cleared_on=timezone.localdate(now, office_zone(threshold.office)))


@transaction.atomic
def threshold_set_active(*, threshold: HarmonyThreshold, by, is_active: bool, ip: str | None = None,
                         now: datetime.datetime | None = None) -> HarmonyThreshold:
    """Switch a threshold off (or on again) without losing it or its alerts.

    Same permission as ``threshold_save``. Side effects: the row's ``is_active``,
    ``updated_by``/``updated_at``; a ``HarmonyThresholdChange`` and an audit-log entry;
    switched off, its ongoing
    alerts are cleared (today), since nothing watches them any more; switched on, the
    office's thresholds are checked at once."""
    from lapor.harmony.services import harmony_check_thresholds

    now = now or timezone.now()
    threshold = HarmonyThreshold.objects.select_for_update().select_related("office").get(pk=threshold.pk)
    if not access.can_manage_thresholds(by, threshold.office):
        raise ActionForbidden(_("Hanya kepala/admin Kesbangpol atau Admin Nasional yang dapat mengatur ambang."))
    if threshold.is_active == bool(is_active):
        return threshold
    audited = audit_snapshot(threshold)
    threshold.is_active, threshold.updated_by, threshold.updated_at = bool(is_active), by, now
    threshold.save(update_fields=["is_active", "updated_by", "updated_at"])
    kind = HarmonyThresholdChange.Kind.SWITCHED_ON if is_active else HarmonyThresholdChange.Kind.SWITCHED_OFF
    HarmonyThresholdChange.objects.create(threshold=threshold, kind=kind, by=by, at=now,
                                          values={"is_active": [not is_active, bool(is_active)]})
    audit_record(actor=by, action=AuditAction.CHANGED, target=threshold,
                 changes=audit_diff(audited, audit_snapshot(threshold)), ip=ip, now=now)
    if is_active:
        harmony_check_thresholds(office=threshold.office, now=now)
    else:
        _clear_alerts(threshold, now)
    return threshold
