"""Someone else acts on a report while a handler is writing: the handler is told what
happened (the report's holder or status now, who moved it, as far as they may know) and
what they typed stays on the page."""
import re

from lapor.reports import services
from lapor.reports.enums import Action, Status
from lapor.reports.models import Report

LONG_ANSWER = ("Tim Bina Marga sudah meninjau lokasi pada hari Senin. Lubang akan ditambal dengan aspal "
               "dingin minggu ini dan diaspal ulang bersama ruas Jl. Karang Anyar pada bulan depan.")


def url(report, slug=None):
    base = f"/kantor/laporan/{report.tracking_id}/"
    return base if slug is None else f"{base}tindakan/{slug}/"


def seen_on(page) -> str:
    """The mark a form of the page carries: the last history entry the page showed."""
    return re.search(r'name="seen" value="(\d+)"', page.content.decode()).group(1)


def test_an_answer_that_loses_to_a_disposition_says_who_holds_the_report_now_and_keeps_the_text(
        world, as_user, submit):
    report = submit(verify_to=world.pupr)  # published: Dinas PUPR's admin may still read it once it moves
    unit_admin = as_user(world.unit_admin)
    page = unit_admin.get(url(report))  # the unit admin starts writing...
    services.report_dispose(report=report, by=world.agency_admin, unit=world.dinkes)  # ...the city admin disposes

    response = unit_admin.post(url(report, "tindak-lanjut"), {"answer-body": LONG_ANSWER, "seen": seen_on(page)})

    assert response.status_code == 403
    html = response.content.decode()
    assert ("Laporan ini kini ditangani Dinas Kesehatan Banjarbaru: tindakan “ditindaklanjuti” tidak lagi "
            "dapat Anda lakukan.") in html
    # By whom, as a unit admin outside the report's scope now may know it: by role, not name.
    assert "“Didisposisikan ke unit” oleh Admin Instansi," in html
    assert world.agency_admin.display_name not in html
    assert "Yang Anda tulis belum terkirim" in html
    assert LONG_ANSWER in html  # to copy
    assert not Report.objects.get(pk=report.pk).followups.exists()


def test_an_answer_that_loses_a_simultaneous_disposition_inside_the_service_is_told_the_same(
        world, as_user, submit, monkeypatch):
    # The page's check passes, but by the time the service locks the row the report is Dinkes's.
    report = submit(verify_to=world.pupr)
    unit_admin = as_user(world.unit_admin)
    page = unit_admin.get(url(report))
    from lapor.reports import policy

    real = policy.allowed_actions
    monkeypatch.setattr(policy, "allowed_actions", lambda user, r: [*real(user, r), Action.ANSWER])
    services.report_dispose(report=report, by=world.agency_admin, unit=world.dinkes)

    response = unit_admin.post(url(report, "tindak-lanjut"), {"answer-body": LONG_ANSWER, "seen": seen_on(page)})

    assert response.status_code == 403
    html = response.content.decode()
    assert "Laporan ini kini ditangani Dinas Kesehatan Banjarbaru" in html
    assert "Anda tidak berwenang" not in html
    assert "“Didisposisikan ke unit” oleh Admin Instansi," in html
    assert LONG_ANSWER in html


def test_a_closing_reason_that_loses_to_another_close_names_who_closed_it_and_keeps_the_text(world, as_user, submit):
    report = submit(verify_to=world.pupr)
    admin = as_user(world.agency_admin)
    page = admin.get(url(report))
    services.report_close(report=report, by=world.national_admin, reason="Sudah selesai")

    response = admin.post(url(report, "tutup"), {"close-reason": "Diselesaikan lewat telepon dengan pelapor.",
                                                 "seen": seen_on(page)})

    assert response.status_code == 409
    html = response.content.decode()
    assert "Laporan ini kini berstatus “Selesai”: tindakan “ditutup” tidak lagi dapat dilakukan." in html
    # The city admin handles the report: they read who closed it by name.
    assert f"“Ditutup” oleh {world.national_admin.display_name}," in html
    assert "Diselesaikan lewat telepon dengan pelapor." in html


def test_a_form_still_offered_after_the_race_comes_back_with_its_text(world, as_user, submit, monkeypatch):
    # A service refusal (here: the status) while the person may still use the same form:
    # its text is on the form again, ready to send, not only in a box to copy.
    report = submit(verify_to=world.pupr)
    from lapor.reports import services as lifecycle
    from lapor.reports.errors import TransitionNotAllowed

    def refuse(**kwargs):
        raise TransitionNotAllowed("Laporan sedang diubah orang lain; coba lagi.")

    monkeypatch.setattr(lifecycle, "report_add_note", refuse)
    response = as_user(world.officer).post(url(report, "catatan"), {"note-text": "Sudah survei lokasi kemarin."})

    assert response.status_code == 409
    html = response.content.decode()
    assert re.search(r'<textarea name="note-text"[^>]*>\s*Sudah survei lokasi kemarin.</textarea>', html)
    assert 'id="belum-terkirim"' not in html
    assert Report.objects.get(pk=report.pk).status == Status.DISPATCHED


def test_an_action_never_allowed_stays_a_plain_refusal(world, as_user, submit):
    report = submit(verify_to=world.pupr)
    officer = as_user(world.officer)
    page = officer.get(url(report))

    response = officer.post(url(report, "tutup"), {"close-reason": "Selesai", "seen": seen_on(page)})

    assert response.status_code == 403
    html = response.content.decode()
    assert "Anda tidak dapat melakukan tindakan ini pada laporan ini sekarang." in html
    assert "kini ditangani" not in html
