"""A generated year of reports, built through the real services with ``now=`` so every
event lands at a known time. Each report's story is also written down in plain Python
(``Story``), and tests compute the expected figures from those stories, not from the
database the pages read."""
from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from lapor.reports import services
from lapor.reports.enums import ArchiveReason, Status
from tests.factories import RegionFactory, aware

FATES = ["pending", "archived", "dispatched", "answered", "rated", "replied", "reopened", "reopened_answered"]


@dataclass
class Story:
    report: object
    unit: object
    root: object
    confidential: bool
    fate: str
    submitted: datetime.datetime
    verified: datetime.datetime | None = None
    answers: list = field(default_factory=list)  # times of the agency's answers
    ratings: list = field(default_factory=list)  # satisfied True/False per rated answer
    closed: datetime.datetime | None = None
    reopened: bool = False
    final_status: str = Status.SUBMITTED
    latitude: float = 0.0
    longitude: float = 0.0
    region_code: str | None = None

    @property
    def published(self) -> bool:
        return self.verified is not None and not self.confidential and self.fate != "archived"


def build(world, *, count: int = 48, seed: int = 7, base=None) -> list[Story]:
    rng = random.Random(seed)
    base = base or aware(2026, 2, 2, 8, 0)
    province = RegionFactory(code="63", name="Kalimantan Selatan")
    banjarbaru = RegionFactory(code="63.72", name="Kota Banjarbaru", parent=province)
    banjar = RegionFactory(code="63.03", name="Kabupaten Banjar", parent=province)
    units = [
        (world.pupr, world.pemkot, world.unit_admin),
        (world.bina_marga, world.pemkot, world.unit_admin),
        (world.dinkes, world.pemkot, world.agency_admin),
        (world.pupr_banjar, world.pemkab, world.other_agency_admin),
    ]
    stories = []
    for i in range(count):
        unit, root, answerer = units[i % len(units)]
        reporter = world.citizen if i % 2 == 0 else world.other_citizen
        fate = FATES[rng.randrange(len(FATES))] if i >= len(FATES) else FATES[i]
        confidential = i % 9 == 4
        submitted = base + datetime.timedelta(hours=7 * i + rng.randint(0, 5), minutes=rng.randint(0, 59))
        region = banjar if root == world.pemkab else banjarbaru
        lat, lon = -3.44 + rng.uniform(-0.05, 0.05), 114.83 + rng.uniform(-0.05, 0.05)
        report = services.report_submit(
            reporter=reporter, title=f"Laporan uji {i}", body="Jalan berlubang di depan sekolah.",
            latitude=lat, longitude=lon, region=region, category=world.category, addressed_agency=unit,
            is_confidential=confidential, now=submitted,
        )
        story = Story(report=report, unit=unit, root=root, confidential=confidential, fate=fate,
                      submitted=submitted, latitude=lat, longitude=lon, region_code=region.code)
        stories.append(story)
        t = submitted + datetime.timedelta(hours=rng.randint(1, 90))
        if fate == "pending":
            continue
        if fate == "archived":
            services.report_archive(report=report, by=world.national_admin, reason=ArchiveReason.SPAM, now=t)
            story.final_status = Status.ARCHIVED
            continue
        services.report_verify(report=report, by=world.national_admin, now=t)
        story.verified, story.final_status = t, Status.DISPATCHED
        if fate == "dispatched":
            continue
        t += datetime.timedelta(hours=rng.randint(2, 240))
        services.report_answer(report=report, by=answerer, body="Sudah kami perbaiki.", now=t)
        story.answers.append(t)
        story.final_status = Status.IN_PROGRESS
        if fate == "answered":
            continue
        t += datetime.timedelta(hours=rng.randint(2, 30))
        if fate == "replied":
            services.report_reply(report=report, by=reporter, text="Belum selesai.", now=t)
            story.ratings.append(False)
            story.final_status = Status.DISPATCHED
            continue
        services.report_rate(report=report, by=reporter, now=t)
        story.ratings.append(True)
        story.closed, story.final_status = t, Status.CLOSED
        if fate == "rated":
            continue
        t += datetime.timedelta(hours=rng.randint(2, 30))
        services.report_reopen(report=report, by=reporter, reason="Rusak lagi.", now=t)
        story.reopened, story.closed, story.final_status = True, None, Status.DISPATCHED
        if fate == "reopened_answered":
            t += datetime.timedelta(hours=rng.randint(2, 60))
            services.report_answer(report=report, by=answerer, body="Diperbaiki ulang.", now=t)
            story.answers.append(t)
            story.final_status = Status.IN_PROGRESS
    return stories
