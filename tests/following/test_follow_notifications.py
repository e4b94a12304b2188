"""A citizen follows an area, a category or a report and hears by e-mail of new public
reports there and of answers (SPEC §9) — never of a confidential report, never who an
anonymous reporter is (SPEC §5)."""
import pytest

from lapor.following.services import follow_create, follow_remove
from lapor.notifications.models import Channel, Notification, Preference, Reason
from lapor.reports import services

BANJARBARU_POINT = (-3.4420, 114.8310)
TEN_KM_EAST = (-3.4420, 114.9210)


@pytest.fixture
def follower(world):
    return world.other_citizen


def submit(act, world, places, **fields):
    values = dict(reporter=world.citizen, title="Genangan setinggi lutut di Jl. A. Yani km 30",
                  body="Air tidak surut sejak kemarin.", addressed_agency=world.pemkot, category=world.category,
                  region=places.landasan_ulin)
    values.update(fields)
    return act(services.report_submit, **values)


def publish(act, world, report, **flags):
    return act(services.report_verify, report=report, by=world.agency_admin, agency=world.pupr, **flags)


def mail_to(smtp_server, user):
    return smtp_server.to(user.email)


def test_a_follower_of_a_city_is_emailed_when_a_report_in_one_of_its_districts_is_published(
        world, places, act, smtp_server, follower):
    follow_create(user=follower, region=places.banjarbaru)
    report = submit(act, world, places)
    assert mail_to(smtp_server, follower) == []  # not public yet: nothing to tell

    publish(act, world, report)

    [mail] = mail_to(smtp_server, follower)
    assert mail["Subject"] == f"[Lapor #{report.tracking_id}] Laporan baru yang Anda ikuti: {report.title}"
    text = mail.get_body(("plain",)).get_content()
    assert f"/laporan/{report.tracking_id}/" in text
    assert "Landasan Ulin" in text and "Jalan Rusak" in text
    assert Notification.objects.get(recipient=follower, channel=Channel.IN_APP).reason == Reason.FOLLOWING


def test_a_confidential_report_is_never_told_to_a_follower(world, places, act, smtp_server, follower):
    follow_create(user=follower, region=places.banjarbaru)
    follow_create(user=follower, category=world.category)
    secret = submit(act, world, places, is_confidential=True)
    publish(act, world, secret)
    made_secret_at_verification = submit(act, world, places)
    publish(act, world, made_secret_at_verification, is_confidential=True)
    act(services.report_answer, report=secret, by=world.unit_admin, body="Sudah ditangani.")

    assert mail_to(smtp_server, follower) == []
    assert not Notification.objects.filter(recipient=follower).exists()


def test_an_anonymous_reporter_is_not_named_to_followers(world, places, act, smtp_server, follower):
    follow_create(user=follower, category=world.category)
    report = submit(act, world, places, is_anonymous=True)
    publish(act, world, report)
    act(services.report_answer, report=report, by=world.unit_admin, body="Saluran dibersihkan.")

    mails = mail_to(smtp_server, follower)
    assert len(mails) == 2
    identity = ["Siti Rahmawati", "warga@", "6372024107900001", world.citizen.profile.phone]
    for message in mails:
        for secret in identity:
            assert secret not in message.as_string()


def test_followers_of_another_region_category_or_far_circle_hear_nothing(world, places, act, smtp_server):
    banjar, flood = world.other_citizen, world.proxy
    far, near = _citizen("jauh"), _citizen("dekat")
    follow_create(user=banjar, region=places.banjar)
    follow_create(user=flood, category=places.flood)
    follow_create(user=far, latitude=TEN_KM_EAST[0], longitude=TEN_KM_EAST[1], radius_km=5)
    follow_create(user=near, latitude=TEN_KM_EAST[0], longitude=TEN_KM_EAST[1], radius_km=15)
    follow_create(user=banjar, region=places.banjarbaru, category=places.flood)  # right place, wrong topic

    report = submit(act, world, places, latitude=BANJARBARU_POINT[0], longitude=BANJARBARU_POINT[1])
    publish(act, world, report)

    assert [mail_to(smtp_server, u) for u in (banjar, flood, far)] == [[], [], []]
    assert len(mail_to(smtp_server, near)) == 1  # 10 km away, inside its 15 km circle


def test_a_circle_and_category_follow_matches_a_sub_topic_report_inside_it(world, places, act, smtp_server, follower):
    from tests.factories import CategoryFactory

    blocked_drain = CategoryFactory(name="Saluran tersumbat", slug="drainase-dan-banjir-saluran", parent=places.flood)
    follow_create(user=follower, latitude=BANJARBARU_POINT[0], longitude=BANJARBARU_POINT[1] + 0.02, radius_km=3,
                  category=places.flood)
    report = submit(act, world, places, category=blocked_drain, region=None,
                    latitude=BANJARBARU_POINT[0], longitude=BANJARBARU_POINT[1])
    publish(act, world, report)

    assert len(mail_to(smtp_server, follower)) == 1


def test_a_follower_of_a_report_is_emailed_when_the_agency_answers_and_not_for_internal_notes(
        world, places, act, smtp_server, follower):
    report = publish(act, world, submit(act, world, places))
    follow_create(user=follower, report=report)

    act(services.report_add_note, report=report, by=world.officer, text="Cek anggaran dulu")
    assert mail_to(smtp_server, follower) == []
    act(services.report_answer, report=report, by=world.unit_admin, body="Saluran sudah dibersihkan Senin.")

    [mail] = mail_to(smtp_server, follower)
    assert mail["Subject"] == f"[Lapor #{report.tracking_id}] Tindak lanjut pada laporan yang Anda ikuti"
    assert "Cek anggaran" not in mail.as_string()


def test_followers_of_the_area_hear_of_answers_too(world, places, act, smtp_server, follower):
    follow_create(user=follower, region=places.kalsel)
    report = submit(act, world, places)
    publish(act, world, report)
    act(services.report_answer, report=report, by=world.unit_admin, body="Sudah ditangani.")

    subjects = [m["Subject"] for m in mail_to(smtp_server, follower)]
    assert subjects == [f"[Lapor #{report.tracking_id}] Laporan baru yang Anda ikuti: {report.title}",
                        f"[Lapor #{report.tracking_id}] Tindak lanjut pada laporan yang Anda ikuti"]


def test_unfollowing_stops_the_emails(world, places, act, smtp_server, follower):
    report = publish(act, world, submit(act, world, places))
    follow, _created = follow_create(user=follower, report=report)
    area, _created = follow_create(user=follower, region=places.banjarbaru)
    follow_remove(user=follower, follow=follow)
    follow_remove(user=follower, follow=area)

    act(services.report_answer, report=report, by=world.unit_admin, body="Sudah ditangani.")
    later = submit(act, world, places)
    publish(act, world, later)

    assert mail_to(smtp_server, follower) == []


def test_the_reporter_following_their_own_area_gets_one_message_as_reporter(world, places, act, smtp_server):
    follow_create(user=world.citizen, region=places.banjarbaru)
    report = submit(act, world, places)
    publish(act, world, report)

    reasons = sorted(Notification.objects.filter(recipient=world.citizen, channel=Channel.IN_APP,
                                                 event__action="verify").values_list("reason", flat=True))
    assert reasons == [Reason.STATUS]


def test_a_follower_reads_the_news_in_english_when_they_chose_it(world, places, act, smtp_server, follower):
    Preference.objects.create(user=follower, language="en")
    follow_create(user=follower, region=places.banjarbaru)
    report = submit(act, world, places)
    publish(act, world, report)

    [mail] = mail_to(smtp_server, follower)
    assert mail["Subject"] == f"[Lapor #{report.tracking_id}] New report you follow: {report.title}"
    assert "Category: Jalan Rusak" in mail.get_body(("plain",)).get_content()


def _citizen(username):
    from tests.factories import ReporterProfileFactory, UserFactory

    return ReporterProfileFactory(user=UserFactory(username=username)).user


def test_a_flood_of_news_in_a_followed_area_reaches_the_follower_as_one_email_per_window(
        world, places, act, smtp_server, follower, settings):
    """After a flood, forty reports in an hour in the area a citizen follows: the first is
    told at once, the rest gather in one e-mail sent when the window closes (each is still
    in the notification centre at once)."""
    import datetime

    from django.utils import timezone

    from lapor.notifications.services import notifications_deliver_due

    settings.LAPOR_FOLLOW_DIGEST_MINUTES = 60
    follow_create(user=follower, region=places.banjarbaru)
    reports = [publish(act, world, submit(act, world, places, title=f"Banjir di RT {n:02d}")) for n in range(1, 5)]

    [first] = mail_to(smtp_server, follower)
    assert first["Subject"] == f"[Lapor #{reports[0].tracking_id}] Laporan baru yang Anda ikuti: Banjir di RT 01"
    assert Notification.objects.filter(recipient=follower, channel=Channel.IN_APP).count() == 4

    notifications_deliver_due(now=timezone.now() + datetime.timedelta(minutes=61))

    first, digest = mail_to(smtp_server, follower)
    assert digest["Subject"] == "[Lapor] 3 kabar baru dari yang Anda ikuti"
    text = digest.get_body(("plain",)).get_content()
    for report in reports[1:]:
        assert f"Banjir di RT {report.title[-2:]}" in text and f"/laporan/{report.tracking_id}/" in text
    assert reports[0].title not in text and "/ikuti/" in text
    notifications_deliver_due(now=timezone.now() + datetime.timedelta(minutes=200))
    assert len(mail_to(smtp_server, follower)) == 2  # each piece of news once


def test_with_no_window_every_piece_of_news_is_its_own_email(world, places, act, smtp_server, follower, settings):
    settings.LAPOR_FOLLOW_DIGEST_MINUTES = 0
    follow_create(user=follower, region=places.banjarbaru)
    for n in range(1, 4):
        publish(act, world, submit(act, world, places, title=f"Banjir di RT {n:02d}"))
    assert len(mail_to(smtp_server, follower)) == 3


def test_a_digest_held_when_this_release_arrives_keeps_gathering(world, places, act, smtp_server, follower, settings):
    """The release before this one told a gathered e-mail by its link (/ikuti/); the
    migration counts the pieces of those still held, so the next piece joins the list."""
    import datetime
    import importlib

    from django.apps import apps
    from django.utils import timezone

    from lapor.notifications.services import notifications_deliver_due

    settings.LAPOR_FOLLOW_DIGEST_MINUTES = 60
    follow_create(user=follower, region=places.banjarbaru)
    reports = [publish(act, world, submit(act, world, places, title=f"Banjir di RT {n:02d}")) for n in range(1, 4)]
    held = Notification.objects.get(recipient=follower, channel=Channel.EMAIL, status="pending")
    assert held.gathered == 2
    Notification.objects.filter(pk=held.pk).update(gathered=0)  # as the release before left it

    importlib.import_module("lapor.notifications.migrations.0003_notification_gathered").count_held_pieces(apps, None)
    reports.append(publish(act, world, submit(act, world, places, title="Banjir di RT 04")))
    notifications_deliver_due(now=timezone.now() + datetime.timedelta(minutes=61))

    first, digest = mail_to(smtp_server, follower)
    assert digest["Subject"] == "[Lapor] 3 kabar baru dari yang Anda ikuti"
    text = digest.get_body(("plain",)).get_content()
    assert all(f"/laporan/{report.tracking_id}/" in text for report in reports[1:])
