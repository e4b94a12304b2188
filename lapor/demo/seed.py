"""The demo data set: an agency tree in Kalimantan Selatan, routing rules and one person
for every role (SPEC §10). Used by ``manage.py seed``, the docs' walkthrough and the tests.

Everything is found by its slug or username and created only when missing, so seeding
again adds nothing and keeps whatever a demo session changed, with one exception: the
passwords of the demo accounts still active are set again every run, so that the printed
table of logins is true. An account the office deactivated stays deactivated, a role it
took away stays away (neither is listed), and flags are never reset.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from lapor.accounts.models import ReporterProfile, Sex
from lapor.agencies.models import Agency, Membership, Role, RoutingRule, TimeZone
from lapor.categories.loading import category_slug, load_categories
from lapor.categories.models import Category
from lapor.regions.models import Region

DEFAULT_PASSWORD = "lapor-demo-2026"

K = Agency.Kind
WITA = TimeZone.WITA


@dataclass(frozen=True)
class DemoAgency:
    slug: str
    name: str
    short_name: str
    kind: str
    parent: str | None = None
    region: str | None = None
    time_zone: str = WITA
    sms_keyword: str | None = None
    is_inspectorate: bool = False


# Parents before children.
AGENCIES = [
    DemoAgency("kemenpanrb", "Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi", "KemenPANRB",
               K.MINISTRY, time_zone=TimeZone.WIB),
    # Provinsi Kalimantan Selatan
    DemoAgency("pemprov-kalsel", "Pemerintah Provinsi Kalimantan Selatan", "Pemprov Kalsel", K.PROVINCE,
               region="63", sms_keyword="KALSEL"),
    DemoAgency("kalsel-dinas-pupr", "Dinas Pekerjaan Umum dan Penataan Ruang Provinsi Kalimantan Selatan",
               "Dinas PUPR Prov. Kalsel", K.UNIT, parent="pemprov-kalsel", region="63"),
    DemoAgency("kalsel-dinas-lingkungan-hidup", "Dinas Lingkungan Hidup Provinsi Kalimantan Selatan",
               "DLH Prov. Kalsel", K.UNIT, parent="pemprov-kalsel", region="63"),
    DemoAgency("kalsel-inspektorat", "Inspektorat Provinsi Kalimantan Selatan", "Inspektorat Prov. Kalsel",
               K.UNIT, parent="pemprov-kalsel", region="63", is_inspectorate=True),
    # Kota Banjarbaru
    DemoAgency("pemkot-banjarbaru", "Pemerintah Kota Banjarbaru", "Pemkot Banjarbaru", K.REGENCY,
               region="63.72", sms_keyword="BANJARBARU"),
    DemoAgency("banjarbaru-diskominfo", "Dinas Komunikasi dan Informatika Kota Banjarbaru", "Diskominfo Banjarbaru",
               K.UNIT, parent="pemkot-banjarbaru", region="63.72"),
    DemoAgency("banjarbaru-dinas-pupr", "Dinas Pekerjaan Umum dan Penataan Ruang Kota Banjarbaru",
               "Dinas PUPR Banjarbaru", K.UNIT, parent="pemkot-banjarbaru", region="63.72"),
    DemoAgency("banjarbaru-pupr-bina-marga", "Bidang Bina Marga", "Bina Marga", K.UNIT,
               parent="banjarbaru-dinas-pupr", region="63.72"),
    DemoAgency("banjarbaru-dinas-kesehatan", "Dinas Kesehatan Kota Banjarbaru", "Dinkes Banjarbaru", K.UNIT,
               parent="pemkot-banjarbaru", region="63.72"),
    DemoAgency("banjarbaru-puskesmas-banjarbaru-selatan", "Puskesmas Banjarbaru Selatan",
               "Puskesmas Banjarbaru Selatan", K.UNIT, parent="banjarbaru-dinas-kesehatan", region="63.72.05"),
    DemoAgency("banjarbaru-dinas-pendidikan", "Dinas Pendidikan Kota Banjarbaru", "Disdik Banjarbaru", K.UNIT,
               parent="pemkot-banjarbaru", region="63.72"),
    DemoAgency("banjarbaru-kesbangpol", "Badan Kesatuan Bangsa dan Politik Kota Banjarbaru",
               "Kesbangpol Banjarbaru", K.UNIT, parent="pemkot-banjarbaru", region="63.72"),
    DemoAgency("banjarbaru-inspektorat", "Inspektorat Kota Banjarbaru", "Inspektorat Banjarbaru", K.UNIT,
               parent="pemkot-banjarbaru", region="63.72", is_inspectorate=True),
    # Kabupaten Banjar
    DemoAgency("pemkab-banjar", "Pemerintah Kabupaten Banjar", "Pemkab Banjar", K.REGENCY,
               region="63.03", sms_keyword="BANJAR"),
    DemoAgency("banjar-dinas-pupr", "Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Banjar",
               "Dinas PUPR Banjar", K.UNIT, parent="pemkab-banjar", region="63.03"),
    DemoAgency("banjar-dinas-kesehatan", "Dinas Kesehatan Kabupaten Banjar", "Dinkes Banjar", K.UNIT,
               parent="pemkab-banjar", region="63.03"),
    DemoAgency("banjar-inspektorat", "Inspektorat Kabupaten Banjar", "Inspektorat Banjar", K.UNIT,
               parent="pemkab-banjar", region="63.03", is_inspectorate=True),
    # Pengawas eksternal
    DemoAgency("ombudsman-kalsel", "Ombudsman Republik Indonesia Perwakilan Kalimantan Selatan",
               "Ombudsman RI Kalsel", K.SUPERVISOR, region="63"),
]

SUPERVISION = {
    "ombudsman-kalsel": ["pemprov-kalsel", "pemkot-banjarbaru", "pemkab-banjar"],
    "kalsel-inspektorat": ["pemprov-kalsel"],
    "banjarbaru-inspektorat": ["pemkot-banjarbaru"],
    "banjar-inspektorat": ["pemkab-banjar"],
}

PUPR = "Pekerjaan Umum dan Penataan Ruang"
KESEHATAN = "Kesehatan"
PENDIDIKAN = "Pendidikan dan Kebudayaan"

# (topic, sub-topic or None for every sub-topic of the topic, region code or None, agency slug)
ROUTING = [
    (PUPR, "Jalan Rusak", "63.72", "banjarbaru-dinas-pupr"),
    (PUPR, "Drainase dan Banjir", "63.72", "banjarbaru-dinas-pupr"),
    (PUPR, "Lampu Penerangan Jalan", "63.72", "banjarbaru-dinas-pupr"),
    (PUPR, "Jalan Rusak", "63.03", "banjar-dinas-pupr"),
    (PUPR, "Drainase dan Banjir", "63.03", "banjar-dinas-pupr"),
    (KESEHATAN, None, "63.72", "banjarbaru-dinas-kesehatan"),
    (KESEHATAN, None, "63.03", "banjar-dinas-kesehatan"),
    (PENDIDIKAN, None, "63.72", "banjarbaru-dinas-pendidikan"),
    ("Kekerasan di Satuan Pendidikan", None, "63.72", "banjarbaru-dinas-pendidikan"),
    ("Agama", "Kerukunan Umat Beragama", "63.72", "banjarbaru-kesbangpol"),
    # Province-wide: whatever no regency rule claims goes to the province.
    (PUPR, "Jalan Rusak", "63", "kalsel-dinas-pupr"),
    ("Lingkungan Hidup dan Kehutanan", "Kebakaran Hutan dan Lahan", "63", "pemprov-kalsel"),
    # Nationwide, no region.
    ("Netralitas ASN", None, None, "kemenpanrb"),
]


@dataclass(frozen=True)
class DemoStaff:
    username: str
    full_name: str
    role: str
    agency: str
    is_superuser: bool = False


STAFF = [
    DemoStaff("admin.nasional", "Rina Kartikasari", Role.NATIONAL_ADMIN, "kemenpanrb", is_superuser=True),
    DemoStaff("pemegang.identitas", "Dewi Anggraini", Role.IDENTITY_CUSTODIAN, "kemenpanrb"),
    # Works at Diskominfo, but administers the whole city government: the role sits at the
    # root so that its scope covers every OPD.
    DemoStaff("admin.banjarbaru", "Muhammad Rizky Ramadhan", Role.AGENCY_ADMIN, "pemkot-banjarbaru"),
    DemoStaff("admin.pupr", "Siti Aisyah Rahmawati", Role.UNIT_ADMIN, "banjarbaru-dinas-pupr"),
    DemoStaff("petugas.pupr", "Ahmad Fauzan Noor", Role.OFFICER, "banjarbaru-dinas-pupr"),
    DemoStaff("petugas.binamarga", "Rahmadi Hidayat", Role.OFFICER, "banjarbaru-pupr-bina-marga"),
    DemoStaff("petugas.dinkes", "Nurul Hidayah", Role.OFFICER, "banjarbaru-dinas-kesehatan"),
    DemoStaff("admin.banjar", "Gusti Arief Rahman", Role.AGENCY_ADMIN, "pemkab-banjar"),
    DemoStaff("inspektur.banjarbaru", "Norhasanah", Role.SUPERVISOR, "banjarbaru-inspektorat"),
    # Verifies and handles the city's whistle-blowing, which the city's own admins never see.
    DemoStaff("admin.inspektorat", "Yusuf Maulana", Role.AGENCY_ADMIN, "banjarbaru-inspektorat"),
    DemoStaff("ombudsman.kalsel", "Hadi Rahman Syarifuddin", Role.SUPERVISOR, "ombudsman-kalsel"),
]


@dataclass(frozen=True)
class DemoCitizen:
    username: str
    full_name: str
    # SPEC §6: district code (6 digits), DDMMYY with day + 40 for women, 4-digit serial.
    nik: str
    sex: str
    birth_date: datetime.date
    occupation: str
    phone: str
    email: str
    proxy_region: str | None = None


CITIZENS = [
    # Banjarbaru Selatan (63.72.05), laki-laki, lahir 17-08-1985.
    DemoCitizen("warga.banjarbaru", "Budi Santoso", "6372051708850001", Sex.MALE, datetime.date(1985, 8, 17),
                "Wiraswasta", "+6281251234567", "budi.santoso@example.id"),
    # Cempaka (63.72.03), perempuan, lahir 04-03-1990: day 04 + 40 = 44.
    DemoCitizen("warga.lain", "Fitri Handayani", "6372034403900002", Sex.FEMALE, datetime.date(1990, 3, 4),
                "Guru", "+6281351234568", "fitri.handayani@example.id"),
    # Ketua RT 05, Kelurahan Guntung Manggis, Landasan Ulin (63.72.02), laki-laki, lahir 09-11-1972.
    DemoCitizen("rt05.guntungmanggis", "Abdul Hamid", "6372020911720003", Sex.MALE, datetime.date(1972, 11, 9),
                "Ketua RT 05", "+6285251234569", "rt05.guntungmanggis@example.id",
                proxy_region="63.72.02.1005"),
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    agency: str


class DemoSeedError(Exception):
    pass


def required_region_codes() -> set[str]:
    codes = {a.region for a in AGENCIES if a.region}
    codes |= {region for _, _, region, _ in ROUTING if region}
    codes |= {c.proxy_region for c in CITIZENS if c.proxy_region}
    return codes


@transaction.atomic
def seed_demo(*, password: str) -> list[DemoLogin]:
    """Create the demo agencies, routing rules, staff and citizens; return their logins.

    Side effects: loads the categories if missing (``load_categories``); creates missing
    agencies (by slug), supervision links, routing rules (by category and region),
    memberships of new users, users (by username) and reporter profiles; sets the password of
    every active demo user to ``password``. Existing records are otherwise left as they are
    (a deactivated account, a removed role, changed flags stay). Needs the regions of Kalimantan Selatan (``load_regions``);
    raises ``DemoSeedError`` when they are missing.
    """
    missing = required_region_codes() - set(Region.objects.filter(code__in=required_region_codes())
                                            .values_list("code", flat=True))
    if missing:
        raise DemoSeedError(f"wilayah belum dimuat ({', '.join(sorted(missing))}): jalankan load_regions dulu")
    load_categories()

    agencies = _seed_agencies()
    _seed_routing(agencies)
    logins = _seed_staff(agencies, password=password)
    logins += _seed_citizens(password=password)
    # --- SILAPAT (issue #8): only while the module is on --------------------------------
    if settings.LAPOR_SILAPAT_ENABLED:
        from lapor.harmony.demo import seed_harmony_demo

        logins += seed_harmony_demo(agencies, password=password, make_user=_demo_user)
    return logins


def _seed_agencies() -> dict[str, Agency]:
    agencies: dict[str, Agency] = {}
    for spec in AGENCIES:
        agency, _ = Agency.objects.get_or_create(
            slug=spec.slug,
            defaults={
                "name": spec.name,
                "short_name": spec.short_name,
                "kind": spec.kind,
                "parent": agencies[spec.parent] if spec.parent else None,
                "region_id": spec.region,
                "time_zone": spec.time_zone,
                "sms_keyword": spec.sms_keyword,
                "is_inspectorate": spec.is_inspectorate,
            },
        )
        agencies[spec.slug] = agency
    for supervisor, supervised in SUPERVISION.items():
        # add() skips links that already exist.
        agencies[supervisor].supervises.add(*(agencies[slug] for slug in supervised))
    return agencies


def _seed_routing(agencies: dict[str, Agency]) -> None:
    for topic_name, subtopic_name, region, agency_slug in ROUTING:
        topic_slug = category_slug(topic_name)
        if subtopic_name:
            categories = [Category.objects.get(slug=category_slug(subtopic_name, parent_slug=topic_slug))]
        else:
            categories = list(Category.objects.filter(parent__slug=topic_slug))
        for category in categories:
            RoutingRule.objects.get_or_create(
                category=category, region_id=region, defaults={"agency": agencies[agency_slug]}
            )


def _demo_user(username: str, full_name: str, *, password: str, is_staff: bool, is_superuser: bool = False,
               email: str = ""):
    """The demo account ``username``: created with its flags, password and confirmed
    address the first time; afterwards only its password is set again (so that the printed
    table stays true), and only while it is active. An account the office deactivated is
    left as it is and None returned: a restart must not bring back a login someone switched
    off. ``user.seeded_now`` tells whether it was created by this run (its roles are
    granted then, never again: a role the office took away stays away)."""
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults={
        "full_name": full_name, "email": email, "is_staff": is_staff, "is_superuser": is_superuser})
    if not created and not user.is_active:
        return None
    user.set_password(password)
    user.save(update_fields=["password"] if not created else None)
    if created and email:
        # Sign-in requires a confirmed address (ACCOUNT_EMAIL_VERIFICATION): a demo login
        # that ended at "check your e-mail" would not be a demo. Confirmed as if its
        # owner had clicked the link (docs/decisions/0002: the address stays in clear).
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"primary": True, "verified": True})
    user.seeded_now = created
    return user


def _seed_staff(agencies: dict[str, Agency], *, password: str) -> list[DemoLogin]:
    logins = []
    for spec in STAFF:
        user = _demo_user(spec.username, spec.full_name, password=password, is_staff=True,
                          is_superuser=spec.is_superuser, email=f"{spec.username}@example.id")
        if user is None:
            continue
        agency = agencies[spec.agency]
        if user.seeded_now:
            Membership.objects.get_or_create(user=user, agency=agency, role=spec.role)
        elif not Membership.objects.filter(user=user, agency=agency, role=spec.role).exists():
            continue  # the office took the role away: not listed as what it no longer is
        # The superuser is said so: in production nobody may keep an account that signs in
        # everywhere with the printed password (docs/operations.md, First start).
        role = f"{Role(spec.role).label} + superuser" if user.is_superuser else str(Role(spec.role).label)
        logins.append(DemoLogin(spec.username, role, agency.name))
    return logins


def _seed_citizens(*, password: str) -> list[DemoLogin]:
    logins = []
    for spec in CITIZENS:
        # As after sign-up: the sign-in address in User.email (allauth's), the personal data
        # in the encrypted profile (SPEC §5, docs/decisions/0002).
        user = _demo_user(spec.username, spec.full_name, password=password, is_staff=False, email=spec.email)
        if user is None:
            continue
        ReporterProfile.objects.get_or_create(
            user=user,
            defaults={
                "nik": spec.nik,
                "sex": spec.sex,
                "birth_date": spec.birth_date,
                "occupation": spec.occupation,
                "phone": spec.phone,
                "email": spec.email,
                "is_proxy": spec.proxy_region is not None,
                "proxy_region_id": spec.proxy_region,
            },
        )
        role = "Perwakilan RT/RW" if spec.proxy_region else "Pelapor"
        place = Region.objects.get(code=spec.proxy_region).name if spec.proxy_region else "—"
        logins.append(DemoLogin(spec.username, role, place))
    return logins
