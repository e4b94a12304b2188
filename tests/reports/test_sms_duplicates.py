"""Likely duplicates of a report without a category (SPEC §8, §7): an SMS names only the
regency of the agency its keyword addresses, and in a flood many say the same."""
import datetime

from lapor.reports import policy, services
from lapor.reports.duplicates import likely_duplicates
from lapor.reports.enums import Channel
from lapor.sms.reporters import phone_reporter
from tests.factories import RegionFactory

NOW = datetime.datetime(2026, 11, 23, 2, tzinfo=datetime.timezone.utc)


def regions(world):
    province = RegionFactory(code="63", name="Kalimantan Selatan")
    banjarbaru = RegionFactory(code="63.72", name="Kota Banjarbaru", parent=province)
    banjar = RegionFactory(code="63.03", name="Kabupaten Banjar", parent=province)
    world.pemkot.region, world.pemkab.region = banjarbaru, banjar
    world.pemkot.save()
    world.pemkab.save()
    village = RegionFactory(code="63.72.01.1001", name="Guntung Manggis",
                            parent=RegionFactory(code="63.72.01", name="Landasan Ulin", parent=banjarbaru))
    return banjarbaru, village


def by_sms(world, phone, text, agency, hours_ago=1):
    return services.report_submit(reporter=phone_reporter(phone), title=text[:80], body=text, addressed_agency=agency,
                                  region=agency.region, channel=Channel.SMS, now=NOW - datetime.timedelta(hours=hours_ago))


def suggested(world, report):
    return [c.report for c in likely_duplicates(
        queryset=policy.visible_reports(world.national_admin), category=report.category,
        text=f"{report.title} {report.body}", latitude=report.latitude, longitude=report.longitude,
        region=report.region, exclude_pk=report.pk, now=NOW)]


def test_an_sms_report_is_offered_the_same_flood_reported_in_its_regency(world):
    banjarbaru, village = regions(world)
    first = by_sms(world, "+6281200000001", "Banjir setinggi lutut di Guntung Manggis, air masuk rumah", world.pemkot, 3)
    on_the_web = services.report_submit(
        reporter=world.other_citizen, title="Banjir Guntung Manggis", body="Air masuk rumah warga setinggi lutut",
        addressed_agency=world.pemkot, category=world.category, region=village, now=NOW - datetime.timedelta(hours=2))
    by_sms(world, "+6281200000002", "Lampu jalan mati di Landasan Ulin", world.pemkot, 2)  # another problem
    by_sms(world, "+6281200000003", "Banjir setinggi lutut di Guntung Manggis, air masuk rumah", world.pemkab, 2)
    latest = by_sms(world, "+6281200000004", "Guntung Manggis banjir, air masuk rumah setinggi lutut", world.pemkot)

    assert set(suggested(world, latest)) == {first, on_the_web}


def test_a_report_with_neither_category_nor_region_gets_no_suggestion(world):
    first = by_sms(world, "+6281200000001", "Banjir setinggi lutut di Guntung Manggis", world.pemkot, 3)
    latest = by_sms(world, "+6281200000004", "Banjir setinggi lutut di Guntung Manggis", world.pemkot)
    assert first.region is None
    assert suggested(world, latest) == []


def test_suggestions_for_an_sms_report_take_one_query(world, django_assert_num_queries):
    regions(world)
    for n in range(5):
        by_sms(world, f"+628120000001{n}", "Banjir setinggi lutut di Guntung Manggis", world.pemkot, n + 2)
    latest = by_sms(world, "+6281200000004", "Banjir setinggi lutut di Guntung Manggis", world.pemkot)
    queryset = policy.visible_reports(world.national_admin)
    list(queryset[:1])  # the admin's roles, read once per request

    with django_assert_num_queries(1):
        found = likely_duplicates(queryset=queryset, category=None, text=latest.body, region=latest.region,
                                  exclude_pk=latest.pk, now=NOW)
    assert len(found) == 5


def test_a_web_report_with_a_category_and_a_pin_is_offered_the_sms_reports_of_its_regency(world):
    """The verifier of a web report (a category, a village, a pin) sees the same flood sent
    by SMS before it, which has neither category nor pin and names only the regency."""
    banjarbaru, village = regions(world)
    sms = by_sms(world, "+6281200000001", "Banjir setinggi lutut di Guntung Manggis, air masuk rumah", world.pemkot, 3)
    elsewhere = by_sms(world, "+6281200000003", "Banjir setinggi lutut di Guntung Manggis, air masuk rumah",
                       world.pemkab, 2)
    on_the_web = services.report_submit(
        reporter=world.other_citizen, title="Banjir Guntung Manggis", body="Air masuk rumah warga setinggi lutut",
        addressed_agency=world.pemkot, category=world.category, region=village, latitude=-3.44, longitude=114.83,
        now=NOW - datetime.timedelta(hours=1))

    assert suggested(world, on_the_web) == [sms]
    assert elsewhere not in suggested(world, on_the_web)
