"""Likely duplicates and "dukung" (SPEC §8, §3)."""
import datetime

import pytest

from lapor.reports import policy, services
from lapor.reports.duplicates import likely_duplicates
from lapor.reports.errors import ActionForbidden, TransitionNotAllowed
from lapor.reports.models import Report

NOW = datetime.datetime(2026, 11, 23, 2, tzinfo=datetime.timezone.utc)
# Jl. A. Yani km 32, Banjarbaru, and a point about 300 m away.
HERE = (-3.4420, 114.8300)
NEARBY = (-3.4447, 114.8300)
FAR = (-3.3200, 114.5900)


def published(world, title, body, where, category=None, confidential=False, days_ago=1):
    report = services.report_submit(
        reporter=world.other_citizen, title=title, body=body, category=category or world.category,
        latitude=where[0], longitude=where[1], addressed_agency=world.pemkot, is_confidential=confidential,
        now=NOW - datetime.timedelta(days=days_ago),
    )
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr,
                           now=NOW - datetime.timedelta(days=days_ago))
    report.refresh_from_db()
    return report


def find(world, text, where=HERE, queryset=None):
    return [c.report for c in likely_duplicates(
        queryset=queryset if queryset is not None else policy.public_reports(), category=world.category,
        text=text, latitude=where[0], longitude=where[1], now=NOW)]


def test_a_similar_report_nearby_is_suggested(world):
    same = published(world, "Lubang besar di Jalan A. Yani km 32", "Lubang dalam membahayakan pengendara motor", NEARBY)
    published(world, "Lubang besar di Jalan A. Yani km 32", "Lubang dalam membahayakan pengendara", FAR)
    published(world, "Lampu penerangan mati", "Gelap total malam hari", NEARBY)
    assert find(world, "Ada lubang besar membahayakan pengendara di A. Yani") == [same]


def test_old_reports_and_other_categories_are_not_suggested(world):
    from tests.factories import CategoryFactory

    published(world, "Lubang besar A. Yani", "Lubang membahayakan pengendara", NEARBY, days_ago=45)
    published(world, "Lubang besar A. Yani", "Lubang membahayakan pengendara", NEARBY, category=CategoryFactory())
    assert find(world, "Lubang besar membahayakan pengendara") == []


def test_a_citizen_is_never_shown_a_confidential_report_as_a_duplicate(world):
    secret = published(world, "Lubang besar di A. Yani", "Lubang membahayakan pengendara", NEARBY, confidential=True)
    assert find(world, "Lubang besar membahayakan pengendara") == []
    # Staff whose scope holds it do see it.
    assert find(world, "Lubang besar membahayakan pengendara",
                queryset=policy.visible_reports(world.agency_admin)) == [secret]


def test_a_citizen_supports_a_report_once(world):
    report = published(world, "Lubang besar", "Lubang", NEARBY)
    assert services.report_support(report=report, by=world.citizen) is True
    assert services.report_support(report=report, by=world.citizen) is False
    assert Report.objects.get(pk=report.pk).support_count == 1


def test_nobody_supports_their_own_an_unpublished_or_anonymous_visitors_report(world):
    from django.contrib.auth.models import AnonymousUser

    report = published(world, "Lubang besar", "Lubang", NEARBY)
    with pytest.raises(TransitionNotAllowed):
        services.report_support(report=report, by=world.other_citizen)  # the reporter
    with pytest.raises(ActionForbidden):
        services.report_support(report=report, by=AnonymousUser())
    unverified = services.report_submit(reporter=world.other_citizen, title="Baru", body="Belum diverifikasi")
    with pytest.raises(TransitionNotAllowed):
        services.report_support(report=unverified, by=world.citizen)


def _repeat(world, reporter):
    repeat = services.report_submit(reporter=reporter, title="Jalan berlubang lagi", body="Sama, depan SDN 1",
                                    addressed_agency=world.pemkot)
    return repeat


def test_the_reporter_of_a_duplicate_follows_the_original_and_is_sent_to_it(world, client):
    """SPEC §9: the citizen whose report was a repeat hears of the original's answers, and
    their own page says where the problem is handled."""
    from lapor.following.models import Follow

    original = published(world, "Jalan berlubang di depan SDN 1", "Lubang besar", HERE)
    repeat = _repeat(world, world.citizen)
    services.report_mark_duplicate(report=repeat, by=world.agency_admin, original=original)
    assert Follow.objects.filter(user=world.citizen, report=original).exists()
    client.force_login(world.citizen)
    page = client.get(f"/laporan/{repeat.tracking_id}/").content.decode()
    assert "Laporan ini diarsipkan:" in page and "Duplikat" in page
    assert f'href="/laporan/{original.tracking_id}/"' in page and "Anda mengikutinya" in page


def test_a_duplicate_of_a_confidential_report_names_no_report_and_follows_nothing(world, client):
    from lapor.following.models import Follow

    original = published(world, "Jalan berlubang di depan SDN 1", "Lubang besar", HERE, confidential=True)
    repeat = _repeat(world, world.citizen)
    services.report_mark_duplicate(report=repeat, by=world.agency_admin, original=original)
    assert not Follow.objects.filter(user=world.citizen).exists()
    client.force_login(world.citizen)
    page = client.get(f"/laporan/{repeat.tracking_id}/").content.decode()
    assert "ditangani secara rahasia" in page and original.tracking_id not in page
