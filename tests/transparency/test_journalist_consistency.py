"""A data journalist compares one agency's reports across the public surfaces (SPEC §9): the
statistics page, the CSV export, the public list and the REST API must name the same
reports for the same agency, and the map's data must say when it cannot use a filter."""
import csv
import io

import pytest

from lapor.reports import services
from lapor.reports.models import Report

pytestmark = pytest.mark.django_db

BANJARBARU = "bbox=114.7,-3.6,115.0,-3.3&zoom=18"


def _report(world, title, addressed, **kwargs):
    return services.report_submit(reporter=world.citizen, title=title, body="Jalan berlubang di depan sekolah.",
                                  addressed_agency=addressed, category=world.category, latitude=-3.44,
                                  longitude=114.83, **kwargs)


@pytest.fixture
def desks(world):
    """Reports of Dinas PUPR seen from every side: one its sub-unit handles, one it handles,
    one it handed back as "bukan wewenang", one addressed to it but handled in Kabupaten
    Banjar, and one not verified yet."""
    in_unit = _report(world, "Di Bidang Bina Marga", world.pemkot)
    services.report_verify(report=in_unit, by=world.national_admin, agency=world.bina_marga)
    own = _report(world, "Di Dinas PUPR", world.pemkot)
    services.report_verify(report=own, by=world.national_admin, agency=world.pupr)
    handed_back = _report(world, "Bukan wewenang PUPR", world.pupr)
    services.report_verify(report=handed_back, by=world.national_admin, agency=world.pupr)
    services.report_not_our_authority(report=handed_back, by=world.unit_admin, reason="Jalan provinsi.")
    elsewhere = _report(world, "Salah alamat", world.pupr)
    services.report_verify(report=elsewhere, by=world.national_admin, agency=world.pupr_banjar)
    waiting = _report(world, "Belum diverifikasi", world.pupr)
    return {name: Report.objects.get(pk=r.pk) for name, r in
            {"in_unit": in_unit, "own": own, "handed_back": handed_back, "elsewhere": elsewhere,
             "waiting": waiting}.items()}


def test_the_api_the_export_the_statistics_and_the_list_count_the_same_reports_for_an_agency(desks, world, client):
    expected = {desks["in_unit"].tracking_id, desks["own"].tracking_id}

    export = client.get("/statistik/laporan.csv?instansi=pupr")
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert {r["nomor"] for r in rows} == expected

    stats = client.get("/statistik/?instansi=pupr").content.decode()
    assert f'data-figure="total">{len(expected)}<' in stats

    listed = client.get("/laporan/", {"agency": world.pupr.pk}).content.decode()
    assert all(f"/laporan/{tid}/" in listed for tid in expected)
    assert desks["handed_back"].tracking_id not in listed and desks["elsewhere"].tracking_id not in listed

    api = client.get("/api/v1/reports/", {"agency": "pupr"}).json()
    assert api["count"] == len(expected)
    assert {r["tracking_id"] for r in api["results"]} == expected


def test_the_reporters_own_list_still_finds_a_report_not_verified_yet_by_the_agency_it_is_addressed_to(desks, world):
    from rest_framework.test import APIClient

    from lapor.api.tokens import token_issue

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=world.citizen)}")
    mine = {r["tracking_id"] for r in api.get("/api/v1/me/reports/", {"agency": "pupr"}).json()["results"]}
    assert desks["waiting"].tracking_id in mine and desks["in_unit"].tracking_id in mine
    assert desks["elsewhere"].tracking_id not in mine


def test_the_map_data_names_a_filter_it_cannot_use_instead_of_mapping_every_report(desks, client):
    response = client.get(f"/peta/data.json?{BANJARBARU}&status=selesai&instansi=pupr")
    assert response.status_code == 400
    assert response.json()["ignored"] == {"status": "selesai"}
    assert "status “selesai”" in response.json()["error"]
    english = client.get(f"/peta/data.json?{BANJARBARU}&status=selesai", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 400 and english.json()["ignored"] == {"status": "selesai"}
    # The filters the page offers still work.
    assert client.get(f"/peta/data.json?{BANJARBARU}&status=closed").status_code == 200


def test_a_map_marker_says_the_status_as_the_report_page_does(desks, client):
    cells = client.get(f"/peta/data.json?{BANJARBARU}").json()["cells"]
    # All the reports share one pin: zoomed in, they are one cell; narrow to one at a time.
    assert all("status_label" not in c for c in cells if "status" not in c)
    one = client.get(f"/peta/data.json?{BANJARBARU}&status=submitted").json()["cells"]
    assert [(c["tracking_id"], c["status"], c["status_label"]) for c in one] == [
        (desks["handed_back"].tracking_id, "submitted", "Menunggu pelimpahan")]
    english = client.get(f"/peta/data.json?{BANJARBARU}&status=submitted", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["cells"][0]["status_label"] == "Awaiting transfer"
