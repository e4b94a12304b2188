"""RT/RW representatives (SPEC §2 "Perwakilan RT/RW", §6): a neighbourhood head who files
reports on behalf of residents, with both recorded on each report.

Appointed by the local government: an agency admin names a citizen's account for a
village (kelurahan/desa) of their agency's region; the national admin for any village.
Each appointment and dismissal is in the audit log of that agency. A staff account cannot
be one (staff act through their roles, never as citizens).
"""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lapor.accounts.models import ReporterProfile, User
from lapor.accounts.nik import validate_nik
from lapor.accounts.phone import normalize_phone
from lapor.accounts.services import _free_username
from lapor.agencies.models import Agency, Role
from lapor.audit.models import AuditAction
from lapor.audit.services import audit_record, label
from lapor.core.crypto import lookup_hash
from lapor.regions.models import Region
from lapor.reports import policy
from lapor.reports.errors import ActionForbidden


def appointing_agency(by, region: Region) -> Agency | None:
    """The agency in whose name ``by`` may appoint a representative for ``region`` (None
    for the national admin); raises ActionForbidden when they may not."""
    actor = policy.actor_for(by)
    for path in actor.paths(Role.AGENCY_ADMIN):
        agency = Agency.objects.filter(path=path).select_related("region").first()
        if agency is not None and agency.region_id and region.code.startswith(agency.region_id):
            return agency
    if actor.has(Role.NATIONAL_ADMIN):
        return None
    raise ActionForbidden(_("Wilayah ini di luar wilayah instansi Anda."))


def proxy_regions_q(by):
    """Villages whose representatives ``by`` may see and dismiss: those of their agencies'
    regions (every village for the national admin)."""
    from django.db.models import Q

    actor = policy.actor_for(by)
    if actor.has(Role.NATIONAL_ADMIN):
        return Q(is_proxy=True)
    codes = [a.region_id for a in Agency.objects.filter(path__in=actor.paths(Role.AGENCY_ADMIN)) if a.region_id]
    q = Q(pk__in=[])
    for code in codes:
        q |= Q(proxy_region__code__startswith=code)
    return Q(is_proxy=True) & q


@transaction.atomic
def proxy_appoint(*, by, user: User, region: Region, ip: str | None = None) -> ReporterProfile:
    """Make ``user`` the RT/RW representative for the village ``region``.

    Side effects: the user's profile is marked (and its village set); an audit entry (role
    granted, "perwakilan RT/RW") in the appointing agency's log. Raises ValidationError for
    a staff account, an account without a citizen profile, or a region that is not a
    village; ActionForbidden outside the appointer's region."""
    if region.level != Region.Level.VILLAGE:
        raise ValidationError({"region": _("Pilih kelurahan/desa (kode 10 angka, misalnya 63.72.02.1001).")})
    agency = appointing_agency(by, region)
    if user.memberships.exists():
        raise ValidationError({"user": _("Akun staf tidak dapat menjadi perwakilan RT/RW.")})
    profile = ReporterProfile.objects.select_for_update().filter(user=user).first()
    if profile is None:
        raise ValidationError({"user": _("Akun ini belum melengkapi data diri pelapor (NIK); minta warga "
                                         "melengkapinya dahulu.")})
    # Regions as the log names related objects ("Guntung Manggis (63.72.01.1001)"), not codes.
    before = [profile.is_proxy, label(profile.proxy_region) or None]
    profile.is_proxy, profile.proxy_region = True, region
    profile.save(update_fields=["is_proxy", "proxy_region"])
    audit_record(actor=by, action=AuditAction.ROLE_GRANTED, agency=agency, ip=ip,
                 changes={"is_proxy": [before[0], True], "proxy_region": [before[1], label(region)]},
                 object_type_name="perwakilan RT/RW", object_id=str(user.pk), object_label=user.username)
    return profile


@transaction.atomic
def proxy_dismiss(*, by, profile: ReporterProfile, ip: str | None = None) -> None:
    """End an appointment. Reports already filed keep who filed them. Side effects: the
    profile unmarked; an audit entry (role revoked)."""
    region = profile.proxy_region
    agency = appointing_agency(by, region) if region is not None else None
    if region is None and not policy.actor_for(by).has(Role.NATIONAL_ADMIN):
        raise ActionForbidden(_("Wilayah ini di luar wilayah instansi Anda."))
    profile.is_proxy, profile.proxy_region = False, None
    profile.save(update_fields=["is_proxy", "proxy_region"])
    audit_record(actor=by, action=AuditAction.ROLE_REVOKED, agency=agency, ip=ip,
                 changes={"is_proxy": [True, False], "proxy_region": [label(region) or None, None]},
                 object_type_name="perwakilan RT/RW", object_id=str(profile.user_id),
                 object_label=profile.user.username)


@transaction.atomic
def resident_for_proxy(*, full_name: str, phone: str = "", nik: str = "") -> User:
    """The account a report an RT/RW files for a resident goes to (SPEC §6).

    An account that holds the phone number or the NIK typed (a citizen's own, or one made
    for an SMS sender or an earlier filing) is used only when it bears the very name
    typed (runs of spaces aside). Otherwise a new phone-only account, with no password,
    records the name typed and whichever of the number and the NIK no account holds yet.

    Either way the RT/RW gets the same answer and reads, on the report, the name they
    typed: a NIK or a number never tells them whose it is, and guessing names against it
    confirms nothing. That is also why case counts: the report shows the account's own
    name, so "budi santoso" filed into "Budi Santoso"'s account would give the match away.
    The resident whose account it is is told of the report as of any report of theirs.

    At least one of phone or NIK is required, so the resident can be reached and found
    again. Side effects: may create the account. Raises ValidationError
    (``resident_name``, ``resident_phone``, ``resident_nik``) for what is missing or
    malformed, never for whose it is."""
    name = " ".join((full_name or "").split())
    errors: dict[str, list] = {}
    if not name:
        errors["resident_name"] = [_("Tuliskan nama warga yang diwakili.")]
    clean_phone = clean_nik = ""
    if phone:
        try:
            clean_phone = normalize_phone(phone)
        except ValidationError as error:
            errors["resident_phone"] = error.messages
    if nik:
        try:
            clean_nik = validate_nik(nik)
        except ValidationError as error:
            errors["resident_nik"] = error.messages
    if not phone and not nik:
        errors["resident_phone"] = [_("Isi nomor telepon atau NIK warga.")]
    if errors:
        raise ValidationError(errors)
    profiles = ReporterProfile.objects.select_related("user")
    by_phone = profiles.filter(phone_hash=lookup_hash(clean_phone)).first() if clean_phone else None
    by_nik = profiles.filter(nik_hash=lookup_hash(clean_nik)).first() if clean_nik else None
    for profile in (by_phone, by_nik):
        if profile is None:
            continue
        stored = " ".join(profile.user.full_name.split())
        if stored == name:
            return profile.user
        if not stored and profile.is_phone_only and profile is by_phone:
            # The account an SMS from this number made, never named: it shows the RT/RW no
            # one's name, and the resident keeps one account for SMS and RT/RW reports.
            profile.user.full_name = name
            profile.user.save(update_fields=["full_name"])
            return profile.user
    user = User(username=_free_username(), full_name=name)
    user.set_unusable_password()
    user.save()
    # One account per number and per NIK: what another account holds stays with it.
    ReporterProfile.objects.create(user=user, phone="" if by_phone else clean_phone,
                                   nik="" if by_nik else clean_nik, is_phone_only=True)
    return user
