"""SILAPAT's small world: the personas of tests/personas.py plus the Kesbangpol unit of
Kota Banjarbaru with its operator, its head and the city's leadership, the Kesbangpol of
Kabupaten Banjar (another office), and a handful of real region codes."""
import datetime
from dataclasses import dataclass

import pytest

from lapor.agencies.models import Role
from lapor.harmony.categories import ensure_harmony_categories, subtopic_slug
from lapor.harmony.enums import HarmonyRoleKind, ThresholdScope, Vulnerability
from lapor.harmony.models import HarmonyOffice, HarmonyRole, HarmonyThreshold
from lapor.categories.models import Category
from lapor.reports import services as lifecycle
from tests.factories import AgencyFactory, RegionFactory, UserFactory
from tests.notifications.conftest import kannel, smtp_server  # noqa: F401 — real SMTP and Kannel for alerts
from tests.personas import staff

NOW = datetime.datetime(2026, 5, 12, 3, 0, tzinfo=datetime.timezone.utc)  # Tue 12 May 2026, 11:00 WITA


@dataclass
class Harmony:
    world: object
    kesbangpol: object
    office: object
    other_office: object
    operator: object
    head: object
    leadership: object
    other_office_operator: object
    category: object
    regions: dict
    threshold: object

    def region(self, code):
        return self.regions[code]


REGIONS = [
    ("63", "Kalimantan Selatan", None),
    ("63.72", "Kota Banjarbaru", "63"),
    ("63.72.02", "Landasan Ulin", "63.72"),
    ("63.72.02.1005", "Guntung Manggis", "63.72.02"),
    ("63.72.02.1004", "Guntung Payung", "63.72.02"),
    ("63.72.04", "Banjarbaru Utara", "63.72"),
    ("63.72.04.1001", "Loktabat Utara", "63.72.04"),
    ("63.72.04.1003", "Komet", "63.72.04"),
    ("63.03", "Kabupaten Banjar", "63"),
    ("63.03.01", "Aluh-Aluh", "63.03"),
    ("63.03.01.2001", "Aluh-Aluh Besar", "63.03.01"),
]


@pytest.fixture
def harmony(world) -> Harmony:
    regions = {}
    for code, name, parent in REGIONS:
        regions[code] = RegionFactory(code=code, name=name, parent=regions.get(parent))
    kesbangpol = AgencyFactory(name="Kesbangpol Kota Banjarbaru", slug="kesbangpol", parent=world.pemkot,
                               region=regions["63.72"])
    kesbangpol_banjar = AgencyFactory(name="Kesbangpol Kabupaten Banjar", slug="kesbangpol-banjar",
                                      parent=world.pemkab, region=regions["63.03"])
    office = HarmonyOffice.objects.create(agency=kesbangpol, region=regions["63.72"])
    other_office = HarmonyOffice.objects.create(agency=kesbangpol_banjar, region=regions["63.03"])
    ensure_harmony_categories()
    head = staff("kepala.kesbangpol", kesbangpol, Role.AGENCY_ADMIN)
    leadership = UserFactory(username="sekda.banjarbaru", full_name="Sekretaris Daerah")
    HarmonyRole.objects.create(user=head, office=office, role=HarmonyRoleKind.HEAD)
    HarmonyRole.objects.create(user=leadership, office=office, role=HarmonyRoleKind.LEADERSHIP)
    threshold = HarmonyThreshold.objects.create(
        office=office, name="Tiga kejadian tinggi dalam 30 hari", scope=ThresholdScope.DISTRICT,
        min_level=Vulnerability.HIGH, count=3, days=30,
    )
    return Harmony(
        world=world, kesbangpol=kesbangpol, office=office, other_office=other_office,
        operator=staff("operator.kesbangpol", kesbangpol, Role.OFFICER), head=head, leadership=leadership,
        other_office_operator=staff("operator.kesbangpol.banjar", kesbangpol_banjar, Role.OFFICER),
        category=Category.objects.get(slug=subtopic_slug("Ketegangan Antarumat Beragama")),
        regions=regions, threshold=threshold,
    )


@pytest.fixture
def incident(harmony):
    """``incident(village=..., level=...)``: a harmony report from the citizen, verified by
    the city's agency admin to Kesbangpol and, with ``level``, assessed by the operator."""
    from lapor.harmony import services

    def make(*, village="63.72.02.1005", level=None, now=NOW, title="Ketegangan soal pembangunan rumah ibadah",
             body="Warga berkumpul di depan lokasi pembangunan.", groups="", occurred=None):
        report = services.harmony_report_submit(
            reporter=harmony.world.citizen, title=title, body=body, tension_kind="antar", groups=groups,
            region=harmony.region(village), incident_date=occurred, now=now,
        )
        lifecycle.report_verify(report=report, by=harmony.world.agency_admin, agency=harmony.kesbangpol, now=now)
        if level is not None:
            services.harmony_assess(report=report, by=harmony.operator, level=level, now=now)
        report.refresh_from_db()
        return report

    return make

