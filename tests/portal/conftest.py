"""Helpers for the citizen portal's tests: Kalimantan Selatan's regions, published
reports made through the real services."""
import io

import pytest
from PIL import Image

from lapor.regions.loading import load_regions
from lapor.reports.services import report_answer, report_submit, report_verify


@pytest.fixture
def kalsel(db):
    # One province is all the portal needs (~0.3 s); Banjarbaru's districts are 63.72.02..06.
    load_regions(progress=False, provinces={"63"})


@pytest.fixture
def citizen_client(client, world):
    client.force_login(world.citizen)
    return client


def submitted(world, *, reporter=None, **fields):
    values = {"title": "Jalan berlubang di Jalan Ahmad Yani km 32", "body": "Lubang besar membahayakan pengendara motor.",
              "category": world.category, "addressed_agency": world.pupr}
    values.update(fields)
    return report_submit(reporter=reporter or world.citizen, **values)


def published(world, **fields):
    report = submitted(world, **fields)
    return report_verify(report=report, by=world.national_admin)


def answered(world, **fields):
    report = published(world, **fields)
    report_answer(report=report, by=world.unit_admin, body="Sudah kami tambal pada hari Senin.")
    report.refresh_from_db()
    return report


def jpeg_with_gps() -> bytes:
    """A small photo whose EXIF says where it was taken (as phone cameras do)."""
    image = Image.new("RGB", (64, 48), (200, 120, 40))
    exif = Image.Exif()
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "S", (3.0, 26.0, 34.0), "E", (114.0, 49.0, 52.0)
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825), "the test photo must carry GPS EXIF"
    return data


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    # allauth's rate limits (e.g. one confirmation mail per address per 3 minutes) live in
    # the cache, which outlives a test; each test starts with none used.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sms_sent(settings, tmp_path):
    """SMS go to an outbox file instead of Kannel, and inbound SMS carry a known secret:
    ``sms_sent(number)`` lists the texts sent to that number."""
    settings.KANNEL_SENDSMS_URL = ""
    settings.SMS_OUTBOX_PATH = tmp_path / "sms" / "outbox.log"
    settings.KANNEL_INBOUND_SECRET = "rahasia-kannel"

    def sent(to):
        if not settings.SMS_OUTBOX_PATH.exists():
            return []
        lines = settings.SMS_OUTBOX_PATH.read_text(encoding="utf-8").splitlines()
        return [line.split("\t")[2] for line in lines if line.split("\t")[1] == to]

    return sent
