"""SILAPAT demo data for Kota Banjarbaru (called by ``lapor.demo.seed`` while the module
is on). Idempotent like the rest of the demo: rows are found by their natural keys and
created only when missing."""
from __future__ import annotations

from lapor.agencies.models import Agency, Membership, Role
from lapor.harmony.categories import ensure_harmony_categories
from lapor.harmony.enums import (
    HarmonyRoleKind, OrganizationKind, OrganizationLevel, Religion, ThresholdScope, Vulnerability, WorshipKind,
)
from lapor.harmony.models import (
    HarmonyOffice, HarmonyRole, HarmonyThreshold, HouseOfWorship, Population, ReligiousOrganization,
)
from lapor.regions.models import Region

W, R = WorshipKind, Religion
HOUSES = [
    ("63.72.04.1001", W.MASJID, R.ISLAM, "Masjid Al-Falah", "Jl. A. Yani Km 34", -3.4402, 114.8312),
    ("63.72.02.1005", W.MUSALA, R.ISLAM, "Musala Nurul Huda", "Jl. Guntung Manggis RT 05", -3.4660, 114.7885),
    ("63.72.04.1003", W.GEREJA, R.KRISTEN, "Gereja Kalimantan Evangelis Jemaat Banjarbaru", "Jl. Panglima Batur",
     -3.4435, 114.8370),
    ("63.72.04.1002", W.GEREJA, R.KATOLIK, "Gereja Katolik Santa Maria", "Jl. Mistar Cokrokusumo", -3.4475, 114.8256),
    ("63.72.05.1001", W.PURA, R.HINDU, "Pura Agung Jagatnatha Banjarbaru", "Jl. Trikora", -3.4710, 114.8160),
    ("63.72.05.1003", W.VIHARA, R.BUDDHA, "Vihara Dharma Ratna", "Jl. Kemuning", -3.4570, 114.8275),
    ("63.72.05.1004", W.KELENTENG, R.KHONGHUCU, "Kelenteng Tri Dharma Banjarbaru", "Jl. Guntung Paikat",
     -3.4625, 114.8330),
]
ORGANIZATIONS = [
    ("63.72", "Majelis Ulama Indonesia Kota Banjarbaru", OrganizationKind.INSTITUTION, R.ISLAM,
     OrganizationLevel.REGENCY, "Sekretariat MUI", "+6251112345601", "sekretariat.mui@example.id"),
    ("63.72.04", "Persekutuan Gereja-gereja Banjarbaru Utara", OrganizationKind.ORGANIZATION, R.KRISTEN,
     OrganizationLevel.DISTRICT, "Sekretariat PGI", "+6251112345602", "sekretariat.pgi@example.id"),
    ("63.72.02.1005", "Majelis Taklim Guntung Manggis", OrganizationKind.ORGANIZATION, R.ISLAM,
     OrganizationLevel.VILLAGE, "Pengurus Majelis Taklim", "+6281312345603", "majelis.taklim@example.id"),
]
POPULATION = {
    "63.72.04.1001": {R.ISLAM: 14210, R.KRISTEN: 512, R.KATOLIK: 301, R.HINDU: 88, R.BUDDHA: 140, R.KHONGHUCU: 12},
    "63.72.04.1003": {R.ISLAM: 9820, R.KRISTEN: 690, R.KATOLIK: 240, R.HINDU: 45, R.BUDDHA: 97, R.KHONGHUCU: 9},
    "63.72.05.1001": {R.ISLAM: 11045, R.KRISTEN: 230, R.KATOLIK: 118, R.HINDU: 402, R.BUDDHA: 61,
                      R.KEPERCAYAAN: 14},
    "63.72.02.1005": {R.ISLAM: 12377, R.KRISTEN: 156, R.KATOLIK: 77, R.HINDU: 20, R.BUDDHA: 35},
}
POPULATION_YEAR = 2025
THRESHOLDS = [
    ("Tiga kejadian tinggi dalam 30 hari di satu kecamatan", ThresholdScope.DISTRICT, Vulnerability.HIGH, 3, 30),
    ("Satu kejadian kritis dalam 7 hari", ThresholdScope.DISTRICT, Vulnerability.CRITICAL, 1, 7),
]

# (username, full name, role in the Kesbangpol unit or None, SILAPAT role or None, is_staff)
PEOPLE = [
    ("operator.kesbangpol", "Ahmad Syarifuddin", Role.OFFICER, None, True),
    ("kepala.kesbangpol", "Siti Mariana", Role.AGENCY_ADMIN, HarmonyRoleKind.HEAD, True),
    ("pimpinan.banjarbaru", "Sekretaris Daerah Kota Banjarbaru", None, HarmonyRoleKind.LEADERSHIP, False),
]
LABELS = {
    "operator.kesbangpol": "Operator SILAPAT (Pejabat Penghubung)",
    "kepala.kesbangpol": "Kepala Kesbangpol (Admin Instansi, penerima peringatan dini)",
    "pimpinan.banjarbaru": "Pimpinan daerah (penerima peringatan dini)",
}


def seed_harmony_demo(agencies: dict[str, Agency], *, password: str, make_user) -> list:
    """Create the SILAPAT office of Kesbangpol Banjarbaru, its people, thresholds, categories
    and routing rules, and a few registry rows; return the demo logins."""
    from lapor.demo.seed import DemoLogin

    kesbangpol = agencies["banjarbaru-kesbangpol"]
    office, _ = HarmonyOffice.objects.get_or_create(agency=kesbangpol, defaults={"region_id": "63.72"})
    ensure_harmony_categories(offices=[office])
    logins = []
    for username, full_name, role, harmony_role, is_staff in PEOPLE:
        user = make_user(username, full_name, password=password, is_staff=is_staff, email=f"{username}@example.id")
        if user is None:
            continue  # deactivated by the office: left so
        if user.seeded_now:  # roles granted once: one the office took away stays away
            if role:
                Membership.objects.get_or_create(user=user, agency=kesbangpol, role=role)
            if harmony_role:
                HarmonyRole.objects.get_or_create(user=user, office=office, role=harmony_role)
        elif ((role and not Membership.objects.filter(user=user, agency=kesbangpol, role=role).exists())
              or (harmony_role and not HarmonyRole.objects.filter(user=user, office=office, role=harmony_role)
                  .exists())):
            continue  # a role taken away: not listed as what it no longer is
        logins.append(DemoLogin(username, LABELS[username], kesbangpol.name))
    for name, scope, level, count, days in THRESHOLDS:
        HarmonyThreshold.objects.get_or_create(office=office, name=name, defaults={
            "scope": scope, "min_level": level, "count": count, "days": days})
    known = set(Region.objects.filter(code__startswith="63.72").values_list("code", flat=True))
    for code, kind, religion, name, address, lat, lon in HOUSES:
        if code in known:
            HouseOfWorship.objects.get_or_create(village_id=code, kind=kind, name=name, defaults={
                "religion": religion, "address": address, "latitude": lat, "longitude": lon})
    for code, name, kind, religion, level, contact, phone, email in ORGANIZATIONS:
        if code in known:
            ReligiousOrganization.objects.get_or_create(region_id=code, name=name, defaults={
                "kind": kind, "religion": religion, "level": level, "contact_name": contact,
                "contact_phone": phone, "contact_email": email})
    for code, counts in POPULATION.items():
        if code in known:
            for religion, count in counts.items():
                Population.objects.get_or_create(village_id=code, year=POPULATION_YEAR, religion=religion,
                                                 defaults={"count": count})
    return logins
