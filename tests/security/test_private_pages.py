"""What a signed-in person is sent is theirs alone: no shared cache may keep it (their
profile shows their NIK, a confidential report its text, the back office everything)."""
from django.test import Client

from lapor.reports import services
from tests.office.staff import sign_in


def confidential(world):
    report = services.report_submit(reporter=world.citizen, title="Pungutan liar di loket KTP", body="Rahasia.",
                                    addressed_agency=world.pemkot, is_confidential=True)
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)
    return report


def test_a_citizens_own_pages_are_marked_private(world):
    report = confidential(world)
    client = Client()
    client.force_login(world.citizen)

    for path in ("/profil/", "/laporan-saya/", "/notifikasi/", f"/laporan/{report.tracking_id}/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Cache-Control"] == "private, no-cache", path


def test_the_back_office_is_marked_private(world):
    report = confidential(world)
    client = sign_in(Client(), world.agency_admin)

    for path in ("/kantor/", f"/kantor/laporan/{report.tracking_id}/"):
        assert client.get(path)["Cache-Control"] == "private, no-cache", path


def test_what_says_its_own_caching_keeps_it_and_public_pages_are_left_as_they_are(world):
    client = Client()
    client.force_login(world.citizen)
    assert client.get("/profil/data-pribadi.json")["Cache-Control"] == "no-store"
    assert not Client().get("/laporan/").has_header("Cache-Control")
