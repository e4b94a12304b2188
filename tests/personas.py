"""The people of our tests, in one small government (SPEC §2, §5).

Kota Banjarbaru (root) with Dinas PUPR (and its Bidang Bina Marga), Dinas Kesehatan and
an Inspektorat; Kabupaten Banjar with its own Dinas PUPR; the Ombudsman overseeing both;
KemenPANRB where the national admin and the identity custodian sit. Every persona is a
pytest fixture through ``world``.
"""
import datetime
from dataclasses import dataclass

import pytest

from lapor.accounts.models import ReporterProfile
from lapor.agencies.models import Agency, Role

from .factories import AgencyFactory, CategoryFactory, MembershipFactory, ReporterProfileFactory, UserFactory


@dataclass
class World:
    kemenpanrb: Agency
    pemkot: Agency
    pupr: Agency
    bina_marga: Agency
    dinkes: Agency
    inspektorat: Agency
    pemkab: Agency
    pupr_banjar: Agency
    ombudsman: Agency
    category: object
    # people
    citizen: object
    other_citizen: object
    proxy: object
    national_admin: object
    agency_admin: object
    other_agency_admin: object
    unit_admin: object
    officer: object
    sub_unit_officer: object
    other_unit_officer: object
    other_agency_officer: object
    inspector: object
    other_inspector: object
    ombudsman_officer: object
    custodian: object

    def personas(self) -> dict:
        return {name: getattr(self, name) for name in PERSONAS}


PERSONAS = [
    "citizen", "other_citizen", "proxy", "national_admin", "agency_admin", "other_agency_admin",
    "unit_admin", "officer", "sub_unit_officer", "other_unit_officer", "other_agency_officer",
    "inspector", "other_inspector", "ombudsman_officer", "custodian",
]


def staff(username, agency, role):
    user = UserFactory(username=username, is_staff=True)
    MembershipFactory(user=user, agency=agency, role=role)
    return user


def build_world() -> World:
    kemenpanrb = AgencyFactory(name="KemenPANRB", slug="kemenpanrb", kind="ministry", time_zone="Asia/Jakarta")
    pemkot = AgencyFactory(name="Pemerintah Kota Banjarbaru", slug="pemkot", kind="regency", sms_keyword="BANJARBARU")
    pupr = AgencyFactory(name="Dinas PUPR Banjarbaru", slug="pupr", parent=pemkot)
    bina_marga = AgencyFactory(name="Bidang Bina Marga", slug="bina-marga", parent=pupr)
    dinkes = AgencyFactory(name="Dinas Kesehatan Banjarbaru", slug="dinkes", parent=pemkot)
    inspektorat = AgencyFactory(name="Inspektorat Banjarbaru", slug="inspektorat", parent=pemkot, is_inspectorate=True)
    pemkab = AgencyFactory(name="Pemerintah Kabupaten Banjar", slug="pemkab", kind="regency", sms_keyword="BANJAR")
    pupr_banjar = AgencyFactory(name="Dinas PUPR Banjar", slug="pupr-banjar", parent=pemkab)
    inspektorat_banjar = AgencyFactory(name="Inspektorat Banjar", slug="inspektorat-banjar", parent=pemkab,
                                       is_inspectorate=True)
    ombudsman = AgencyFactory(name="Ombudsman RI Kalsel", slug="ombudsman", kind="supervisor")
    inspektorat.supervises.add(pemkot)
    inspektorat_banjar.supervises.add(pemkab)
    ombudsman.supervises.add(pemkot, pemkab)

    citizen = ReporterProfileFactory(user=UserFactory(username="warga", full_name="Siti Rahmawati"),
                                     nik="6372024107900001", sex="F",
                                     birth_date=datetime.date(1990, 7, 1)).user
    other_citizen = ReporterProfileFactory(user=UserFactory(username="warga.lain", full_name="Budi Santoso")).user
    proxy_profile = ReporterProfileFactory(user=UserFactory(username="rt05", full_name="Pak RT Lima"))
    proxy_profile.is_proxy = True
    proxy_profile.save()
    return World(
        kemenpanrb=kemenpanrb, pemkot=pemkot, pupr=pupr, bina_marga=bina_marga, dinkes=dinkes,
        inspektorat=inspektorat, pemkab=pemkab, pupr_banjar=pupr_banjar, ombudsman=ombudsman,
        category=CategoryFactory(name="Jalan Rusak", slug="jalan-rusak"),
        citizen=citizen,
        other_citizen=other_citizen,
        proxy=ReporterProfile.objects.get(pk=proxy_profile.pk).user,
        national_admin=staff("admin.nasional", kemenpanrb, Role.NATIONAL_ADMIN),
        agency_admin=staff("admin.banjarbaru", pemkot, Role.AGENCY_ADMIN),
        other_agency_admin=staff("admin.banjar", pemkab, Role.AGENCY_ADMIN),
        unit_admin=staff("admin.pupr", pupr, Role.UNIT_ADMIN),
        officer=staff("petugas.pupr", pupr, Role.OFFICER),
        sub_unit_officer=staff("petugas.binamarga", bina_marga, Role.OFFICER),
        other_unit_officer=staff("petugas.dinkes", dinkes, Role.OFFICER),
        other_agency_officer=staff("petugas.pupr.banjar", pupr_banjar, Role.OFFICER),
        inspector=staff("inspektur.banjarbaru", inspektorat, Role.SUPERVISOR),
        other_inspector=staff("inspektur.banjar", inspektorat_banjar, Role.SUPERVISOR),
        ombudsman_officer=staff("ombudsman", ombudsman, Role.SUPERVISOR),
        custodian=staff("pemegang.identitas", kemenpanrb, Role.IDENTITY_CUSTODIAN),
    )


@pytest.fixture
def world(db) -> World:
    return build_world()
