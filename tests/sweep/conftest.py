import datetime
from zoneinfo import ZoneInfo

import pytest

from lapor.reports import services

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
WIT = ZoneInfo("Asia/Jayapura")
SECOND = datetime.timedelta(seconds=1)


def at(*args, tz=WITA):
    return datetime.datetime(*args, tzinfo=tz)


def end_of(y, m, d, tz=WITA):
    return datetime.datetime(y, m, d, 23, 59, 59, tzinfo=tz)


@pytest.fixture
def submit(world):
    def submit(now, **kwargs):
        fields = dict(reporter=world.citizen, title="Jalan berlubang di Jl. A. Yani", body="Lubang besar dekat pasar.",
                      addressed_agency=world.pemkot, category=world.category, now=now)
        fields.update(kwargs)
        return services.report_submit(**fields)
    return submit
