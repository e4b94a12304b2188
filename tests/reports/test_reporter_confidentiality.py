"""A report its reporter filed as confidential stays confidential (SPEC §5): the verifier
who thinks it harmless may not publish it, at verification or later; what staff made
confidential themselves their routers may still publish again."""
import pytest
from django.core.exceptions import ValidationError

from lapor.reports import services
from lapor.reports.enums import Status
from lapor.reports.models import Report

KEPT = "Pelapor memilih merahasiakan laporan ini; laporan ini tidak dapat diterbitkan."


def workspace(report, slug=None):
    base = f"/kantor/laporan/{report.tracking_id}/"
    return base if slug is None else f"{base}tindakan/{slug}/"


def fresh(report):
    return Report.objects.get(pk=report.pk)


@pytest.fixture
def kept_secret(world):
    """The citizen ticked "Rahasia" when filing."""
    return services.report_submit(
        reporter=world.citizen, title="Pungutan di kantor kelurahan", addressed_agency=world.pemkot,
        body="Untuk surat pengantar diminta uang Rp50.000 tanpa kuitansi.", category=world.category,
        is_confidential=True)


def test_the_verifier_who_unticks_rahasia_is_told_the_reporter_chose_it_and_nothing_is_published(
        world, as_user, kept_secret, client):
    response = as_user(world.agency_admin).post(workspace(kept_secret, "verifikasi"), {
        "verify-title": kept_secret.title, "verify-agency": world.pupr.pk, "verify-note": ""})

    assert response.status_code == 400
    assert KEPT in response.content.decode()
    report = fresh(kept_secret)
    assert report.status == Status.SUBMITTED and report.is_confidential
    assert client.get(f"/laporan/{report.tracking_id}/").status_code == 404
    assert report.tracking_id not in client.get("/laporan/").content.decode()


def test_verified_with_rahasia_kept_it_reaches_the_agency_and_stays_out_of_public(world, as_user, kept_secret, client):
    response = as_user(world.agency_admin).post(workspace(kept_secret, "verifikasi"), {
        "verify-title": kept_secret.title, "verify-agency": world.pupr.pk, "verify-is_confidential": "on",
        "verify-note": ""})

    assert response.status_code == 302
    report = fresh(kept_secret)
    assert report.status == Status.DISPATCHED and report.is_confidential
    assert client.get(f"/laporan/{report.tracking_id}/").status_code == 404


def test_no_router_publishes_it_later_either(world, as_user, kept_secret, client):
    services.report_verify(report=kept_secret, by=world.agency_admin, agency=world.pupr)

    response = as_user(world.national_admin).post(workspace(kept_secret, "sifat"), {
        "flags-reason": "Isinya tidak menyebut siapa pun, aman diterbitkan."})

    assert response.status_code == 400
    assert KEPT in response.content.decode()
    assert fresh(kept_secret).is_confidential
    assert client.get(f"/laporan/{kept_secret.tracking_id}/").status_code == 404
    with pytest.raises(ValidationError) as refused:  # nor through the service any edge calls
        services.report_set_flags(report=fresh(kept_secret), by=world.national_admin, is_confidential=False,
                                  reason="Isinya tidak menyebut siapa pun, aman diterbitkan.")
    assert KEPT in str(refused.value)


def test_what_the_verifier_made_confidential_its_router_may_publish_again(world, as_user, client):
    report = services.report_submit(
        reporter=world.citizen, title="Jalan berlubang di Jl. Karang Anyar", addressed_agency=world.pemkot,
        body="Pak Joko di loket bilang jalan ini bukan urusan kota.", category=world.category)
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr, is_confidential=True)
    assert client.get(f"/laporan/{report.tracking_id}/").status_code == 404

    response = as_user(world.agency_admin).post(workspace(report, "sifat"), {
        "flags-reason": "Nama petugas sudah disamarkan di judul."})

    assert response.status_code == 302
    assert client.get(f"/laporan/{report.tracking_id}/").status_code == 200
