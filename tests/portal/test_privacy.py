"""What the public and other citizens never see (SPEC §5): on the list, the report page,
tracking, search and the personal-data download."""
import pytest

from lapor.reports.services import report_archive

from .conftest import published, submitted

SURFACES = ("list", "search", "detail", "track")


def seen(client, report, surface) -> bool:
    if surface == "list":
        return report.tracking_id in client.get("/laporan/").content.decode()
    if surface == "search":
        return report.tracking_id in client.get("/laporan/", {"q": "pelicin"}).content.decode()
    if surface == "detail":
        return client.get(f"/laporan/{report.tracking_id}/").status_code == 200
    return client.get("/lacak/", {"id": report.tracking_id}).status_code == 302


@pytest.fixture(params=["anonymous visitor", "other citizen", "officer of another agency"])
def outsider(request, client, world):
    person = {"anonymous visitor": None, "other citizen": world.other_citizen,
              "officer of another agency": world.other_agency_officer}[request.param]
    if person is not None:
        client.force_login(person)
    return client


@pytest.mark.parametrize("surface", SURFACES)
def test_a_confidential_report_is_never_shown_to_outsiders(outsider, world, surface):
    report = published(world, is_confidential=True, body="Oknum meminta uang pelicin.")
    assert not seen(outsider, report, surface)


@pytest.mark.parametrize("surface", SURFACES)
def test_an_archived_report_is_never_shown_to_outsiders(outsider, world, surface):
    report = submitted(world, body="Ada pungutan uang pelicin.")
    report_archive(report=report, by=world.national_admin, reason="spam")
    assert not seen(outsider, report, surface)


@pytest.mark.parametrize("surface", SURFACES)
def test_an_unverified_report_is_never_shown_to_outsiders(outsider, world, surface):
    report = submitted(world, body="Ada pungutan uang pelicin.")
    assert not seen(outsider, report, surface)


@pytest.mark.parametrize("surface", SURFACES)
def test_a_published_report_is_shown_everywhere(outsider, world, surface):
    report = published(world, body="Ada pungutan uang pelicin.")
    assert seen(outsider, report, surface)


def test_an_anonymous_reporter_is_never_named_to_the_public_or_other_citizens(client, world):
    report = published(world, is_anonymous=True, show_reporter_name=True)
    for person in (None, world.other_citizen, world.officer):
        if person:
            client.force_login(person)
        for url in ("/laporan/", f"/laporan/{report.tracking_id}/", "/"):
            page = client.get(url).content.decode()
            assert world.citizen.full_name not in page, (person, url)
            assert world.citizen.username not in page.replace("warga.lain", ""), (person, url)


def test_a_reporters_name_is_public_only_when_they_chose_to_show_it(client, world):
    hidden = published(world)
    shown = published(world, show_reporter_name=True, title="Trotoar rusak di depan balai kota")
    assert world.citizen.full_name not in client.get(f"/laporan/{hidden.tracking_id}/").content.decode()
    assert world.citizen.full_name in client.get(f"/laporan/{shown.tracking_id}/").content.decode()


def test_internal_notes_never_reach_the_reporter_or_the_public(client, world):
    from lapor.reports.services import report_add_note

    report = published(world)
    report_add_note(report=report, by=world.officer, text="Catatan internal: pelapor kerabat camat")
    for person in (None, world.citizen):
        if person:
            client.force_login(person)
        assert "kerabat camat" not in client.get(f"/laporan/{report.tracking_id}/").content.decode()


def test_attachments_follow_the_reports_visibility(client, world):
    from lapor.reports.attachments import attachment_store, clean_upload
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .conftest import jpeg_with_gps

    report = submitted(world, is_confidential=True)
    item = attachment_store(report=report, clean=clean_upload(SimpleUploadedFile("a.jpg", jpeg_with_gps())))
    url = f"/laporan/{report.tracking_id}/lampiran/{item.pk}/"
    assert client.get(url).status_code == 404
    client.force_login(world.other_citizen)
    assert client.get(url).status_code == 404
    client.force_login(world.citizen)
    assert client.get(url).status_code == 200


def test_the_personal_data_download_holds_only_the_citizens_own_data(client, world):
    mine = submitted(world)
    theirs = submitted(world, reporter=world.other_citizen, title="Laporan orang lain")
    client.force_login(world.citizen)
    data = client.get("/profil/data-pribadi.json").json()
    assert data["profile"]["nik"] == "6372024107900001"
    assert [r["tracking_id"] for r in data["reports"]] == [mine.tracking_id]
    assert theirs.tracking_id not in str(data)


def test_staff_signed_in_with_a_password_alone_see_on_the_portal_what_a_citizen_sees(client, world):
    """A second factor opens staff rights everywhere, not only in /kantor/: the portal's
    report page, its files and tracking show an officer who has not passed it no more than the
    public (the unit's confidential report, the reporter's name, the internal notes)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lapor.reports.attachments import attachment_store, clean_upload
    from lapor.reports.services import report_add_note

    from ..office.staff import give_totp, mark_second_factor_passed
    from .conftest import jpeg_with_gps

    confidential = published(world, is_confidential=True, title="Pungutan di loket perizinan")
    item = attachment_store(report=confidential, clean=clean_upload(SimpleUploadedFile("a.jpg", jpeg_with_gps())))
    public = published(world)
    report_add_note(report=public, by=world.officer, text="Catatan internal: pelapor kerabat camat")
    give_totp(world.unit_admin)
    client.force_login(world.unit_admin)  # the password, and no code yet

    def sees() -> dict:
        page = client.get(f"/laporan/{public.tracking_id}/").content.decode()
        return {
            "confidential page": client.get(f"/laporan/{confidential.tracking_id}/").status_code,
            "confidential file": client.get(f"/laporan/{confidential.tracking_id}/lampiran/{item.pk}/").status_code,
            "tracked": client.get("/lacak/", {"id": confidential.tracking_id}).status_code,
            "note": "kerabat camat" in page,
            "reporter": world.citizen.full_name in page,
        }

    assert sees() == {"confidential page": 404, "confidential file": 404,
                      "tracked": 404, "note": False, "reporter": False}
    mark_second_factor_passed(client, world.unit_admin)
    assert sees() == {"confidential page": 200, "confidential file": 200,
                      "tracked": 302, "note": True, "reporter": True}
