import datetime

import pytest

from lapor.reports import services


NOW = datetime.datetime(2026, 11, 23, 2, 0, tzinfo=datetime.timezone.utc)


@pytest.fixture
def submit(world):
    """A report from the citizen, addressed to the city government."""

    def make(*, verify_to=None, by=None, title="Jalan berlubang di Jl. Karang Anyar",
             body="Lubang besar dekat sekolah, sudah dua minggu.", **kwargs):
        report = services.report_submit(reporter=world.citizen, title=title, body=body,
                                        addressed_agency=kwargs.pop("addressed_agency", world.pemkot),
                                        category=kwargs.pop("category", world.category), **kwargs)
        if verify_to is not None:
            services.report_verify(report=report, by=by or world.agency_admin, agency=verify_to)
        report.refresh_from_db()
        return report

    return make
