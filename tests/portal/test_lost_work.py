"""The reporter writes a long "not satisfied" reply while something else happens to the
report (it is closed, closed automatically, or answered again): they are told what
happened, and what they wrote stays on the page."""
import datetime
import re

from lapor.reports import services
from lapor.reports.enums import Status
from lapor.reports.models import FollowUp, Report

from .conftest import answered

LONG_REPLY = ("Lubangnya hanya ditutup tanah dan batu, setelah hujan semalam terbuka lagi dan lebih dalam. "
              "Mohon diaspal seperti yang dijanjikan, karena anak-anak lewat sini setiap pagi.")


def page_of(client, report):
    return client.get(f"/laporan/{report.tracking_id}/")


def answer_on(page) -> str:
    """The answer a reply or rating sent from the page is about."""
    return re.search(r'name="tanggapi-followup" value="(\d+)"', page.content.decode()).group(1)


def reply(client, report, text, followup):
    return client.post(f"/laporan/{report.tracking_id}/tanggapi/", {"tanggapi-text": text,
                                                                     "tanggapi-followup": followup})


def test_a_reply_that_loses_to_a_close_says_who_closed_it_and_keeps_the_text(citizen_client, world):
    report = answered(world)
    page = page_of(citizen_client, report)  # the reporter starts writing...
    services.report_close(report=report, by=world.agency_admin, reason="Sudah diperbaiki.")  # ...the city closes it

    response = reply(citizen_client, report, LONG_REPLY, answer_on(page))

    assert response.status_code == 409
    html = response.content.decode()
    assert "Tindakan “tanggapan pelapor” tidak dapat dilakukan pada laporan berstatus “Selesai”." in html
    assert "“Ditutup” oleh Dinas PUPR Banjarbaru," in html  # as its history names it: the agency, no person
    assert world.agency_admin.display_name not in html
    assert "Yang Anda tulis belum terkirim" in html
    assert re.search(r'<textarea id="belum-terkirim-1"[^>]*readonly>\s*' + re.escape(LONG_REPLY), html)
    assert "Buka kembali laporan" in html  # what they may still do
    assert Report.objects.get(pk=report.pk).status == Status.CLOSED


def test_a_reply_that_loses_to_the_automatic_close_says_so_and_keeps_the_text(citizen_client, world):
    report = answered(world)
    page = page_of(citizen_client, report)
    later = report.due_at + datetime.timedelta(minutes=1)
    assert services.reports_auto_close(pks=[report.pk], now=later) == 1

    response = reply(citizen_client, report, LONG_REPLY, answer_on(page))

    assert response.status_code == 409
    html = response.content.decode()
    assert "“Ditutup otomatis” oleh Sistem," in html
    assert LONG_REPLY in html


def test_a_reply_to_an_answer_overtaken_by_a_newer_one_asks_to_read_it_first_and_keeps_the_text(
        citizen_client, world):
    report = answered(world)
    first = report.followups.get()
    page = page_of(citizen_client, report)
    services.report_answer(report=report, by=world.unit_admin, body="Penambalan dijadwalkan ulang: Kamis.")

    response = reply(citizen_client, report, LONG_REPLY, answer_on(page))

    assert response.status_code == 409
    html = response.content.decode()
    assert "Dinas PUPR Banjarbaru mengirim tindak lanjut baru" in html
    assert "Bacalah tindak lanjut terbaru itu dahulu" in html
    assert "Penambalan dijadwalkan ulang: Kamis." in html  # the new answer, on the same page
    # Still theirs to send, now about the answer they have in front of them.
    assert re.search(r'<textarea name="tanggapi-text"[^>]*>\s*' + re.escape(LONG_REPLY), html)
    assert FollowUp.objects.filter(report=report, satisfied__isnull=False).count() == 0
    assert Report.objects.get(pk=report.pk).status == Status.IN_PROGRESS

    again = reply(citizen_client, report, LONG_REPLY, answer_on(response))

    assert again.status_code == 302
    newest = report.followups.exclude(pk=first.pk).get()
    assert (newest.satisfied, newest.rating_comment) == (False, LONG_REPLY)
    assert FollowUp.objects.get(pk=first.pk).satisfied is None


def test_a_rating_of_an_answer_overtaken_by_a_newer_one_rates_nothing(citizen_client, world):
    report = answered(world)
    page = page_of(citizen_client, report)
    services.report_answer(report=report, by=world.unit_admin, body="Penambalan dijadwalkan ulang: Kamis.")

    response = citizen_client.post(f"/laporan/{report.tracking_id}/nilai/", {
        "nilai-comment": "Cepat, terima kasih.", "nilai-followup": answer_on(page)})

    assert response.status_code == 409
    assert "Bacalah tindak lanjut terbaru itu dahulu" in response.content.decode()
    assert "Cepat, terima kasih." in response.content.decode()
    assert Report.objects.get(pk=report.pk).status == Status.IN_PROGRESS
    assert not FollowUp.objects.filter(report=report, satisfied__isnull=False).exists()
