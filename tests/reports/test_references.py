"""Category, region and agencies attached to reports from the kept reference rows
(lapor/reports/references.py): what pages show, without a join per query."""
import pytest

from lapor.agencies.models import Agency
from lapor.core import kept
from lapor.reports import references, services
from lapor.reports.models import Report
from tests.factories import AgencyFactory, CategoryFactory, RegionFactory


@pytest.fixture
def filed(world):
    region = RegionFactory(code="63", name="Kalimantan Selatan")

    def file(**kwargs):
        report = services.report_submit(reporter=world.citizen, title="Lampu jalan mati", body="Jl. A. Yani km 30",
                                        addressed_agency=world.pemkot, category=world.category, region=region,
                                        **kwargs)
        services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)
        return Report.objects.get(pk=report.pk)

    return file


def test_reports_get_their_references_in_one_query_per_kind_and_none_once_kept(
        world, filed, django_assert_num_queries):
    for _ in range(3):
        filed()
    with django_assert_num_queries(4):  # the reports; then the agencies, regions and categories not kept yet
        rows = references.attach(Report.objects.order_by("pk"))
        names = [(r.category.name, r.region.name, r.addressed_agency.name, r.assigned_agency.name) for r in rows]
    assert names == [("Jalan Rusak", "Kalimantan Selatan", "Pemerintah Kota Banjarbaru", "Dinas PUPR Banjarbaru")] * 3
    with django_assert_num_queries(1):  # only the reports
        rows = references.attach(Report.objects.order_by("pk"))
        assert {r.assigned_agency.name for r in rows} == {"Dinas PUPR Banjarbaru"}


def test_a_report_without_a_category_or_region_shows_none_and_asks_nothing(world, django_assert_num_queries):
    services.report_submit(reporter=world.citizen, title="Lampu", body="Mati", addressed_agency=world.pemkot)
    rows = references.attach(Report.objects.all())
    with django_assert_num_queries(0):
        assert (rows[0].category, rows[0].region, rows[0].assigned_agency) == (None, None, None)


def test_a_reference_added_after_the_rows_were_kept_is_found_at_once(world, filed):
    references.attach([filed()])  # the categories are now kept
    newer = CategoryFactory(name="Banjir", slug="banjir")
    agency = AgencyFactory(name="BPBD Banjarbaru", slug="bpbd", parent=world.pemkot)
    report = services.report_submit(reporter=world.citizen, title="Banjir", body="Setinggi lutut",
                                    addressed_agency=agency, category=newer)
    [row] = references.attach(Report.objects.filter(pk=report.pk))
    assert (row.category.name, row.addressed_agency.name) == ("Banjir", "BPBD Banjarbaru")


def test_an_agency_renamed_in_this_process_shows_its_new_name_once_saved(world, filed,
                                                                         django_capture_on_commit_callbacks):
    report = filed()
    references.attach([report])
    world.pupr.name = "Dinas PUPR dan Perkim Banjarbaru"
    with django_capture_on_commit_callbacks(execute=True):
        world.pupr.save()
    [row] = references.attach(Report.objects.filter(pk=report.pk))
    assert row.assigned_agency.name == "Dinas PUPR dan Perkim Banjarbaru"


def test_an_agency_renamed_elsewhere_shows_its_new_name_once_the_minute_is_over(world, filed, monkeypatch):
    report = filed()
    references.attach([report])
    # Renamed by another process (a save there tells only that process's kept rows).
    Agency.objects.filter(pk=world.pupr.pk).update(name="Dinas PUPR dan Perkim Banjarbaru")
    [row] = references.attach(Report.objects.filter(pk=report.pk))
    assert row.assigned_agency.name == "Dinas PUPR Banjarbaru"  # kept for up to a minute
    later = kept.time.monotonic() + references.SECONDS + 1
    monkeypatch.setattr(kept.time, "monotonic", lambda: later)
    [row] = references.attach(Report.objects.filter(pk=report.pk))
    assert row.assigned_agency.name == "Dinas PUPR dan Perkim Banjarbaru"


def test_the_public_report_page_shows_the_references(world, filed, client):
    report = filed()
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Dinas PUPR Banjarbaru" in page and "Jalan Rusak" in page
