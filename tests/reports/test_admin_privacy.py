"""The Django admin never names the reporter of an anonymous report (SPEC §5), not even to
a superuser: not in the report's history, not beside its service rating, not in what the
notification centre sent them, and no search pairs their username with its tracking ID.
Only the identity custodian's recorded reveal shows who they are."""

from lapor.notifications.models import Notification
from lapor.reports import services
from lapor.transparency.services import service_rating_give


def rated_report(world, django_capture_on_commit_callbacks, **fields):
    """Submitted by the citizen, answered, replied to, answered again and rated: the reporter
    acted three times, and was told each time."""
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_submit(reporter=world.citizen, title="Pungutan liar di loket KTP",
                                        body="Diminta uang tambahan.", addressed_agency=world.pemkot, **fields)
        services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)
        services.report_answer(report=report, by=world.unit_admin, body="Sedang kami periksa.")
        services.report_reply(report=report, by=world.citizen, text="Belum ada perubahan.")
        services.report_answer(report=report, by=world.unit_admin, body="Petugas sudah ditegur.")
        report.refresh_from_db()
        service_rating_give(report=report, by=world.citizen, level=4, comment="Cepat.")
    return report


def admin_pages(admin_client, report) -> str:
    rating = report.service_rating
    told = Notification.objects.filter(report=report, recipient=report.reporter)
    assert told.exists()
    pages = [
        admin_client.get(f"/admin/reports/report/{report.pk}/change/"),
        admin_client.get(f"/admin/transparency/servicerating/{rating.pk}/change/"),
        admin_client.get("/admin/notifications/notification/"),
        *(admin_client.get(f"/admin/notifications/notification/{n.pk}/change/") for n in told),
    ]
    assert all(page.status_code == 200 for page in pages)
    return "".join(page.content.decode() for page in pages)


def test_the_admin_never_names_an_anonymous_reporter(world, admin_client, django_capture_on_commit_callbacks):
    report = rated_report(world, django_capture_on_commit_callbacks, is_anonymous=True)

    pages = admin_pages(admin_client, report)

    assert world.citizen.full_name not in pages and f">{world.citizen.username}" not in pages
    assert "Pelapor (anonim)" in pages
    # A search cannot pair the reporter with the report, in either direction or together.
    told = list(Notification.objects.filter(report=report, recipient=report.reporter))
    assert told
    for term in (report.tracking_id, world.citizen.username, f"{world.citizen.username} {report.tracking_id}"):
        found = admin_client.get("/admin/notifications/notification/", {"q": term}).content.decode()
        assert not any(f"/admin/notifications/notification/{n.pk}/change/" in found for n in told), term
        assert "Pelapor (anonim)" not in found, term
    # The staff's own notifications about it are still found by its tracking ID.
    staff_told = Notification.objects.filter(report=report).exclude(recipient=report.reporter).first()
    found = admin_client.get("/admin/notifications/notification/", {"q": report.tracking_id}).content.decode()
    assert f"/admin/notifications/notification/{staff_told.pk}/change/" in found


def test_the_admin_names_a_reporter_who_is_not_anonymous(world, admin_client, django_capture_on_commit_callbacks):
    report = rated_report(world, django_capture_on_commit_callbacks)

    pages = admin_pages(admin_client, report)

    assert world.citizen.full_name in pages and "Pelapor (anonim)" not in pages
    found = admin_client.get("/admin/notifications/notification/", {"q": report.tracking_id}).content.decode()
    assert world.citizen.username in found
