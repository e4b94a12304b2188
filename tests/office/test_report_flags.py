"""Protecting a report after it was published (SPEC §5, §12): whoever routes or handles it
makes it confidential or anonymous from the workspace, with a reason the reporter reads;
it then vanishes from every public surface at once (page, list, search, map, feed, API,
Open311). Only its routers publish it again; anonymity is never lifted there."""
import re

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from lapor.notifications.models import Channel, Notification, Reason
from lapor.reports import services
from lapor.reports.enums import Action, Kind
from lapor.reports.models import Report

INDONESIA = "bbox=94,-11.5,141.5,6.5&zoom=5"
BANJARBARU_CLOSE = "bbox=114.7,-3.6,115.0,-3.3&zoom=18"
NAMES_PEOPLE = "Pak Joko Susilo di loket meminta uang pelicin untuk KTP."


def url(report, slug=None):
    base = f"/kantor/laporan/{report.tracking_id}/"
    return base if slug is None else f"{base}tindakan/{slug}/"


def public_surfaces(client, report) -> dict:
    """Where an outsider could find the report, each True when it shows there."""
    tid = report.tracking_id
    country = client.get(f"/peta/data.json?{INDONESIA}").json()
    return {
        "page": client.get(f"/laporan/{tid}/").status_code == 200,
        "list": tid in client.get("/laporan/").content.decode(),
        "search": tid in client.get("/laporan/", {"q": "pelicin"}).content.decode(),
        "map close": tid in client.get(f"/peta/data.json?{BANJARBARU_CLOSE}").content.decode(),
        "map country": country["total"] > 0,
        "feed": tid in client.get("/laporan/atom.xml").content.decode(),
        "api": client.get(f"/api/v1/reports/{tid}/").status_code == 200,
        "open311": tid in client.get("/open311/v2/requests.json").content.decode(),
        # Counted in the public figures (kept for minutes, as in production).
        "statistics": '<strong data-figure="total">1</strong>' in client.get("/statistik/").content.decode(),
    }


@pytest.fixture
def public_report(world, submit, settings):
    settings.LAPOR_STATS_CACHE_SECONDS = 300  # the map's country view is kept, as in production
    cache.clear()
    report = submit(verify_to=world.pupr, body=NAMES_PEOPLE, latitude=-3.44, longitude=114.83,
                    show_reporter_name=True)
    yield report
    cache.clear()


def test_an_officer_makes_a_published_report_confidential_and_it_vanishes_from_every_public_surface(
        world, as_user, public_report, client, django_capture_on_commit_callbacks):
    assert all(public_surfaces(client, public_report).values())  # seen, and the map's country view kept

    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(world.officer).post(url(public_report, "sifat"), {
            "flags-is_confidential": "on", "flags-reason": "Laporan menyebut nama petugas loket."})

    assert response.status_code == 302
    assert Report.objects.get(pk=public_report.pk).is_confidential
    assert public_surfaces(client, public_report) == dict.fromkeys(public_surfaces(client, public_report), False)
    # The reporter still reads it, with the reason, and is told.
    reporter = as_user(world.citizen)
    page = reporter.get(f"/laporan/{public_report.tracking_id}/").content.decode()
    assert "Sifat laporan diubah" in page and "Laporan menyebut nama petugas loket." in page
    told = Notification.objects.get(recipient=world.citizen, channel=Channel.IN_APP, reason=Reason.STATUS,
                                    event__action=Action.SET_FLAGS)
    assert "Laporan menyebut nama petugas loket." in told.body
    # Its handlers still work on it.
    assert as_user(world.officer).get(url(public_report)).status_code == 200


def test_a_published_report_archived_after_bukan_wewenang_vanishes_from_every_public_surface(
        world, public_report, client, django_capture_on_commit_callbacks):
    assert all(public_surfaces(client, public_report).values())  # seen, and the map's country view kept
    services.report_not_our_authority(report=public_report, by=world.unit_admin, reason="Bukan urusan dinas kami.")

    with django_capture_on_commit_callbacks(execute=True):
        services.report_archive(report=Report.objects.get(pk=public_report.pk), by=world.agency_admin,
                                reason="not_government")

    assert public_surfaces(client, public_report) == dict.fromkeys(public_surfaces(client, public_report), False)


def test_a_map_view_kept_where_the_change_was_not_heard_drops_a_report_made_confidential(
        world, public_report, client):
    assert public_surfaces(client, public_report)["map country"]  # the country view is kept

    # No on-commit callback runs here: the kept view is not forgotten, as in a process
    # other than the one that made the change (each keeps its own with local memory).
    services.report_set_flags(report=public_report, by=world.officer, is_confidential=True,
                              reason="Menyebut nama petugas loket.")

    country = client.get(f"/peta/data.json?{INDONESIA}")
    assert public_report.tracking_id not in country.content.decode()
    assert country.json()["total"] == 0
    assert country["Cache-Control"] == "public, no-cache"


def test_the_reason_is_required_and_a_refused_form_changes_nothing(world, as_user, public_report):
    response = as_user(world.officer).post(url(public_report, "sifat"), {
        "flags-is_confidential": "on", "flags-reason": "rahasia"})

    assert response.status_code == 400
    assert "minimal 10 karakter" in response.content.decode()
    report = Report.objects.get(pk=public_report.pk)
    assert not report.is_confidential and not report.events.filter(action=Action.SET_FLAGS).exists()


def test_only_its_routers_publish_a_confidential_report_again(world, as_user, public_report, client):
    services.report_set_flags(report=public_report, by=world.officer, is_confidential=True,
                              reason="Menyebut nama petugas loket.")

    refused = as_user(world.officer).post(url(public_report, "sifat"), {"flags-reason": "Sudah aman diterbitkan."})
    assert refused.status_code == 400
    assert "Hanya admin yang memverifikasi laporan ini" in refused.content.decode()
    assert Report.objects.get(pk=public_report.pk).is_confidential

    published = as_user(world.agency_admin).post(url(public_report, "sifat"),
                                                 {"flags-reason": "Nama petugas sudah disamarkan di judul."})
    assert published.status_code == 302
    assert client.get(f"/laporan/{public_report.tracking_id}/").status_code == 200


def test_making_a_report_anonymous_hides_the_reporter_for_good(world, as_user, public_report, client):
    public_page = f"/laporan/{public_report.tracking_id}/"
    assert world.citizen.full_name in client.get(public_page).content.decode()  # they chose to show it

    response = as_user(world.agency_admin).post(url(public_report, "sifat"), {
        "flags-is_anonymous": "on", "flags-reason": "Pelapor meminta namanya disembunyikan."})

    assert response.status_code == 302
    report = Report.objects.get(pk=public_report.pk)
    assert report.is_anonymous and not report.show_reporter_name and not report.is_confidential
    assert world.citizen.full_name not in client.get(public_page).content.decode()
    workspace = as_user(world.officer).get(url(report)).content.decode()
    assert world.citizen.full_name not in workspace
    [kept, box] = re.findall(r'<input[^>]*name="flags-is_anonymous"[^>]*>', workspace)
    assert 'type="hidden"' in kept and " disabled" in box and " checked" in box  # shown, and not to be unticked
    with pytest.raises(ValidationError) as refused:
        services.report_set_flags(report=report, by=world.national_admin, is_anonymous=False,
                                  reason="Ingin melihat pelapornya.")
    assert "tidak dapat dicabut" in str(refused.value)
    assert Report.objects.get(pk=report.pk).is_anonymous


def test_a_whistleblowing_report_is_never_published_and_nothing_is_a_change(world, submit):
    report = submit(verify_to=world.pupr, by=world.national_admin, kind=Kind.WHISTLEBLOWING)
    with pytest.raises(ValidationError) as refused:
        services.report_set_flags(report=report, by=world.national_admin, is_confidential=False,
                                  reason="Coba diterbitkan saja.")
    assert "selalu rahasia" in str(refused.value)
    with pytest.raises(ValidationError) as nothing:
        services.report_set_flags(report=report, by=world.national_admin, is_confidential=True,
                                  reason="Tetap rahasia seperti semula.")
    assert "Tidak ada yang diubah" in str(nothing.value)


def test_people_outside_the_report_cannot_change_it(world, as_user, public_report):
    for person in (world.other_agency_officer, world.other_agency_admin, world.inspector, world.citizen):
        response = as_user(person).post(url(public_report, "sifat"), {
            "flags-is_confidential": "on", "flags-reason": "Laporan menyebut nama orang."})
        assert response.status_code in (403, 404), person
    assert not Report.objects.get(pk=public_report.pk).is_confidential


def test_the_english_back_office_names_the_action(world, as_user, public_report):
    page = as_user(world.officer).get(url(public_report), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Report privacy: confidential or anonymous" in page


def confidential_boxes(html, form) -> list[str]:
    """The inputs named ``<form>-is_confidential`` (the box, and the tick kept beside it)."""
    return re.findall(rf'<input[^>]*name="{form}-is_confidential"[^>]*>', html)


def test_a_report_its_reporter_filed_as_confidential_is_offered_no_box_to_publish_it(world, as_user, submit):
    report = submit(is_confidential=True)
    page = as_user(world.agency_admin).get(url(report)).content.decode()
    # Verifying it: the box ticked, not to be unticked, and why.
    [kept, box] = confidential_boxes(page, "verify")
    assert 'type="hidden"' in kept and 'value="on"' in kept
    assert 'type="checkbox"' in box and " disabled" in box and " checked" in box
    assert "Pelapor memilih merahasiakan laporan ini." in page
    # Verified as it comes (the kept tick is sent): confidential, dispatched.
    sent = as_user(world.agency_admin).post(url(report, "verifikasi"), {
        "verify-title": report.title, "verify-agency": world.pupr.pk, "verify-is_confidential": "on"})
    assert sent.status_code == 302
    report = Report.objects.get(pk=report.pk)
    assert report.is_confidential and report.verified_at is not None
    # "Sifat laporan" alike, for its routers too.
    page = as_user(world.agency_admin).get(url(report)).content.decode()
    [kept, box] = confidential_boxes(page, "flags")
    assert " disabled" in box and " checked" in box
    assert "Pelapor memilih merahasiakan laporan ini." in page
    # Making it anonymous as well still works from that form.
    anonymous = as_user(world.agency_admin).post(url(report, "sifat"), {
        "flags-is_confidential": "on", "flags-is_anonymous": "on", "flags-reason": "Pelapor meminta anonim juga."})
    assert anonymous.status_code == 302
    report = Report.objects.get(pk=report.pk)
    assert report.is_anonymous and report.is_confidential


def test_a_post_that_unticks_it_anyway_is_refused_with_the_services_message(world, as_user, submit):
    report = submit(is_confidential=True)
    verify = as_user(world.agency_admin).post(url(report, "verifikasi"), {
        "verify-title": report.title, "verify-agency": world.pupr.pk})
    assert verify.status_code == 400
    assert "laporan ini tidak dapat diterbitkan" in verify.content.decode()
    assert Report.objects.get(pk=report.pk).verified_at is None
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)

    flags = as_user(world.agency_admin).post(url(report, "sifat"), {"flags-reason": "Sudah aman diterbitkan."})
    assert flags.status_code == 400
    assert "laporan ini tidak dapat diterbitkan" in flags.content.decode()
    assert Report.objects.get(pk=report.pk).is_confidential


def test_a_report_staff_made_confidential_keeps_the_box_for_its_routers_only(world, as_user, public_report):
    services.report_set_flags(report=public_report, by=world.officer, is_confidential=True,
                              reason="Menyebut nama petugas loket.")

    for router in (world.agency_admin, world.national_admin):
        page = as_user(router).get(url(public_report)).content.decode()
        [box] = confidential_boxes(page, "flags")
        assert " checked" in box and " disabled" not in box, router
        assert "Pelapor memilih merahasiakan" not in page
    # Its handlers may protect it, not publish it: the box kept ticked, and why.
    page = as_user(world.officer).get(url(public_report)).content.decode()
    [_kept, box] = confidential_boxes(page, "flags")
    assert " disabled" in box
    assert "Hanya admin yang memverifikasi laporan ini" in page


def test_a_whistleblowing_report_says_why_its_box_stays_ticked(world, as_user, submit):
    report = submit(verify_to=world.inspektorat, by=world.national_admin, kind=Kind.WHISTLEBLOWING,
                    addressed_agency=world.inspektorat)
    page = as_user(world.national_admin).get(url(report)).content.decode()
    [_kept, box] = confidential_boxes(page, "flags")
    assert " disabled" in box and "Laporan whistle-blowing selalu rahasia." in page


def anonymity_refused(response, form) -> bool:
    """The service's refusal said on the form's Anonim box (not "nothing changed")."""
    return re.search(rf'id="id_{form}-is_anonymous_error"><li>Anonimitas pelapor tidak dapat dicabut',
                     response.content.decode()) is not None


def test_a_post_that_unticks_anonymity_anyway_is_refused_with_the_services_message(world, as_user, submit):
    report = submit(is_anonymous=True)
    admin = as_user(world.agency_admin)
    page = admin.get(url(report)).content.decode()
    [kept, box] = re.findall(r'<input[^>]*name="verify-is_anonymous"[^>]*>', page)
    assert 'type="hidden"' in kept and " disabled" in box and " checked" in box

    verify = admin.post(url(report, "verifikasi"), {"verify-title": report.title, "verify-agency": world.pupr.pk})
    assert verify.status_code == 400 and anonymity_refused(verify, "verify")
    assert Report.objects.get(pk=report.pk).verified_at is None
    # As the page sends it (the kept tick): verified, still anonymous.
    sent = admin.post(url(report, "verifikasi"), {"verify-title": report.title, "verify-agency": world.pupr.pk,
                                                  "verify-is_anonymous": "on"})
    assert sent.status_code == 302 and Report.objects.get(pk=report.pk).verified_at is not None

    flags = admin.post(url(report, "sifat"), {"flags-reason": "Pelapor ingin namanya terlihat lagi."})
    assert flags.status_code == 400 and anonymity_refused(flags, "flags")
    assert "Tidak ada yang diubah" not in flags.content.decode()
    assert Report.objects.get(pk=report.pk).is_anonymous
