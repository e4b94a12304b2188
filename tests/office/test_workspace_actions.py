"""The report workspace: every lifecycle action as a form, through the services (SPEC §4, §8)."""
import datetime
import html
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.formats import date_format

from lapor.office.models import AnswerTemplate
from lapor.reports import services
from lapor.reports.enums import Action, Status
from lapor.reports.models import Attachment, Report

from .files import pdf_upload, png_upload


def url(report, slug=None):
    base = f"/kantor/laporan/{report.tracking_id}/"
    return base if slug is None else f"{base}tindakan/{slug}/"


def fresh(report):
    return Report.objects.get(pk=report.pk)


def test_the_verifier_rewrites_the_title_marks_it_confidential_and_dispatches_it(world, as_user, submit):
    report = submit()
    response = as_user(world.agency_admin).post(url(report, "verifikasi"), {
        "verify-title": "Jalan berlubang dekat SDN 1", "verify-agency": world.pupr.pk,
        "verify-is_confidential": "on", "verify-note": "",
    })
    assert response.status_code == 302
    report = fresh(report)
    assert (report.status, report.assigned_agency, report.title) == (Status.DISPATCHED, world.pupr, "Jalan berlubang dekat SDN 1")
    assert report.original_title == "Jalan berlubang di Jl. Karang Anyar"
    assert report.is_confidential and not report.is_anonymous


def test_the_verify_form_is_prefilled_with_the_addressed_agency_and_warns_when_the_text_names_people(world, as_user, submit):
    report = submit(body="Pungutan liar oleh Pak Joko Susilo di loket, hubungi 081234567890.")
    page = as_user(world.agency_admin).get(url(report)).content.decode()
    assert f'<option value="{world.pemkot.pk}" selected>' in page
    assert "menyebut data pribadi" in page and "nama orang" in page and "nomor telepon" in page
    # The safe choice is the default: "Rahasia" comes ticked in the verify form.
    assert 'name="verify-is_confidential" id="id_verify-is_confidential" checked' in page
    # What the verifier writes beside it is the reporter's to read: the form says so.
    assert "Pelapor membaca teks ini di riwayat laporannya (publik tidak)" in page


def test_a_report_that_names_nobody_is_offered_for_publication(world, as_user, submit):
    report = submit(body="Jalan berlubang besar di depan sekolah, sudah sebulan.")
    page = as_user(world.agency_admin).get(url(report)).content.decode()
    assert 'name="verify-is_confidential" id="id_verify-is_confidential">' in page


def test_the_verifier_gives_an_sms_report_its_category_and_region(world, as_user, submit):
    from tests.factories import RegionFactory

    banjarbaru = RegionFactory(code="63.72", name="Kota Banjarbaru")
    landasan_ulin = RegionFactory(code="63.72.02", name="Landasan Ulin", parent=banjarbaru)
    report = submit(category=None)  # as an SMS arrives: no category, no region
    page = as_user(world.agency_admin).get(url(report)).content.decode()
    assert 'name="verify-category"' in page and 'name="verify-region"' in page

    response = as_user(world.agency_admin).post(url(report, "verifikasi"), {
        "verify-title": report.title, "verify-agency": world.pupr.pk, "verify-category": world.category.pk,
        "verify-region": "637202"})

    assert response.status_code == 302
    report = fresh(report)
    assert (report.category, report.region) == (world.category, landasan_ulin)
    changes = report.events.get(action=Action.VERIFY).data["changes"]
    assert changes["category"] == [None, world.category.pk] and changes["region"] == [None, "63.72.02"]


def test_an_unknown_region_code_is_refused_and_the_report_stays_unverified(world, as_user, submit):
    report = submit()
    response = as_user(world.agency_admin).post(url(report, "verifikasi"), {
        "verify-title": "Jalan berlubang", "verify-agency": world.pupr.pk, "verify-region": "99.99"})
    assert response.status_code == 400
    assert "Kode wilayah 99.99 tidak dikenal." in response.content.decode()
    assert 'value="Jalan berlubang"' in response.content.decode()  # what was typed is kept
    assert fresh(report).status == Status.SUBMITTED


def test_an_agency_admin_cannot_verify_to_an_agency_outside_their_tree(world, as_user, submit):
    report = submit()
    response = as_user(world.agency_admin).post(url(report, "verifikasi"), {
        "verify-title": report.title, "verify-agency": world.pupr_banjar.pk})
    assert response.status_code == 400
    assert fresh(report).status == Status.SUBMITTED


def test_postpone_return_and_archive_need_their_reasons_and_then_take_effect(world, as_user, submit):
    admin = as_user(world.agency_admin)
    report = submit()
    assert admin.post(url(report, "tunda"), {"postpone-reason": ""}).status_code == 400
    assert admin.post(url(report, "tunda"), {"postpone-reason": "Menelepon pelapor"}).status_code == 302
    assert fresh(report).status == Status.POSTPONED
    assert admin.post(url(report, "kembalikan"), {"return-missing": "Lokasi tepat dan foto"}).status_code == 302
    assert (fresh(report).status, fresh(report).missing_items) == (Status.RETURNED, "Lokasi tepat dan foto")
    other = submit()
    response = admin.post(url(other, "arsipkan"), {"archive-reason": "spam"})
    assert response.status_code == 302
    assert (fresh(other).status, fresh(other).archive_reason) == (Status.ARCHIVED, "spam")


def test_the_workspace_suggests_a_likely_duplicate_and_marks_the_report_as_one(world, as_user, submit):
    original = submit(verify_to=world.pupr, title="Jalan berlubang Karang Anyar dekat sekolah",
                      latitude=-3.44, longitude=114.83)
    duplicate = submit(title="Lubang jalan Karang Anyar dekat sekolah", latitude=-3.4401, longitude=114.8301)
    admin = as_user(world.agency_admin)
    page = admin.get(url(duplicate)).content.decode()
    assert f'value="{original.tracking_id}"' in page  # offered as a suggestion
    # Told apart by where it stands and when it came (the earliest is usually the original).
    original = fresh(original)
    received = date_format(timezone.localtime(original.created_at, ZoneInfo(original.deadline_zone)).date(), "j M Y")
    assert (f"#{original.tracking_id} — Jalan berlubang Karang Anyar dekat sekolah (Terdisposisi; diterima "
            f"{received})") in html.unescape(page)
    response = admin.post(url(duplicate, "duplikat"), {"duplicate-suggestion": original.tracking_id})
    assert response.status_code == 302
    assert fresh(duplicate).duplicate_of_id == original.pk


def test_a_duplicate_can_be_named_by_tracking_id_but_not_one_outside_the_verifiers_sight(world, as_user, submit):
    hidden = services.report_submit(reporter=world.other_citizen, title="Rahasia Banjar", body="x",
                                    addressed_agency=world.pemkab)  # unverified, another government
    report = submit()
    admin = as_user(world.agency_admin)
    response = admin.post(url(report, "duplikat"), {"duplicate-original": hidden.tracking_id})
    assert response.status_code == 400
    assert "tidak ditemukan" in response.content.decode()
    assert fresh(report).status == Status.SUBMITTED


def test_the_unit_admin_disposes_down_to_a_sub_unit_whose_officer_drafts_the_answer_for_approval(world, as_user,
                                                                                                 submit, client):
    report = submit(verify_to=world.pupr)
    response = as_user(world.unit_admin).post(url(report, "disposisi"), {"dispose-unit": world.bina_marga.pk})
    assert response.status_code == 302
    assert fresh(report).assigned_agency == world.bina_marga
    # Bina Marga's officer drafts, with a photo and a PDF: nothing reaches the citizen yet.
    officer = as_user(world.sub_unit_officer)
    response = officer.post(url(report, "draf-tindak-lanjut"), {
        "answer-body": "Lubang sudah ditambal.", "answer-files": [png_upload(), pdf_upload()]})
    assert response.status_code == 302
    assert fresh(report).status == Status.DISPATCHED and not report.followups.exists()
    assert "Lubang sudah ditambal" not in client.get(f"/laporan/{report.tracking_id}/").content.decode()
    # PUPR's unit admin finds it waiting in the inbox, and sends it back once.
    admin = as_user(world.unit_admin)
    inbox = admin.get("/kantor/", {"tab": "saya", "draft": "pending"}).content.decode()
    assert report.tracking_id in inbox and "Draf menunggu persetujuan" in inbox
    draft = report.answer_drafts.get()
    response = admin.post(f"{url(report)}draf/{draft.pk}/kembalikan/", {"return-note": "Sebutkan tanggalnya."})
    assert response.status_code == 302
    page = officer.get(url(report)).content.decode()
    assert "Sebutkan tanggalnya." in page and "Lubang sudah ditambal.</textarea>" in page
    response = officer.post(url(report, "draf-tindak-lanjut"), {"answer-body": "Lubang sudah ditambal 20 November."})
    assert response.status_code == 302
    # The admin edits a word and approves: the citizen gets the answer with both files.
    page = admin.get(url(report)).content.decode()
    assert "Lubang sudah ditambal 20 November.</textarea>" in page
    response = admin.post(f"{url(report)}draf/{draft.pk}/setujui/",
                          {"approve-body": "Lubang sudah ditambal pada 20 November."})
    assert response.status_code == 302
    report = fresh(report)
    assert report.status == Status.IN_PROGRESS
    followup = report.followups.get()
    assert (followup.body, followup.author, followup.drafted_by) == (
        "Lubang sudah ditambal pada 20 November.", world.unit_admin, world.sub_unit_officer)
    assert sorted(Attachment.objects.filter(followup=followup).values_list("content_type", flat=True)) == [
        "application/pdf", "image/png"]
    assert "Lubang sudah ditambal pada 20 November." in client.get(f"/laporan/{report.tracking_id}/").content.decode()
    history = [e.action for e in report.events.all()]
    assert history[-4:] == [Action.DRAFT_ANSWER, Action.RETURN_DRAFT, Action.DRAFT_ANSWER, Action.ANSWER]


def test_an_officer_cannot_send_an_answer_past_the_admin(world, as_user, submit):
    report = submit(verify_to=world.pupr)
    page = as_user(world.officer).get(url(report)).content.decode()
    assert "/tindakan/draf-tindak-lanjut/" in page and "/tindakan/tindak-lanjut/" not in page
    response = as_user(world.officer).post(url(report, "tindak-lanjut"), {"answer-body": "Sudah ditangani."})
    assert response.status_code == 403
    assert not report.followups.exists()


def test_a_refused_attachment_holds_the_draft_back_and_keeps_the_accepted_ones(world, as_user, submit):
    import re

    from django.core.files.uploadedfile import SimpleUploadedFile

    report = submit(verify_to=world.pupr)
    officer = as_user(world.officer)
    response = officer.post(url(report, "draf-tindak-lanjut"), {
        "answer-body": "Sudah ditangani.",
        "answer-files": [png_upload("jalan.png"), SimpleUploadedFile("x.svg", b"<svg onload='x'/>")]})
    page = response.content.decode()
    assert response.status_code == 400
    assert "hanya foto" in page
    assert "Sudah ditangani.</textarea>" in page
    assert fresh(report).status == Status.DISPATCHED and not report.answer_drafts.exists()
    # The photo that was fine is kept, ticked: the officer sends the form again without it.
    kept = re.findall(r'name="answer-staged" value="([^"]+)"[^>]*checked', page)
    assert len(kept) == 1 and "jalan.png" in page
    again = officer.post(url(report, "draf-tindak-lanjut"), {"answer-body": "Sudah ditangani.", "answer-staged": kept})
    assert again.status_code == 302
    (draft,) = report.answer_drafts.all()
    assert [f.original_name for f in draft.files.all()] == ["jalan.png"]


def test_a_file_another_officer_staged_is_not_theirs_to_attach(world, as_user, submit):
    import re

    from django.core.files.uploadedfile import SimpleUploadedFile

    report = submit(verify_to=world.pupr)
    refused = as_user(world.officer).post(url(report, "draf-tindak-lanjut"), {
        "answer-body": "Sudah ditangani.",
        "answer-files": [png_upload("wajah.png"), SimpleUploadedFile("x.svg", b"<svg onload='x'/>")]})
    token = re.findall(r'name="answer-staged" value="([^"]+)"', refused.content.decode())[0]
    admin = as_user(world.unit_admin)
    assert admin.post(url(report, "tindak-lanjut"), {"answer-body": "Sudah ditambal.", "answer-staged": token}
                      ).status_code == 302
    assert not Attachment.objects.filter(report=report).exists()


def test_answer_templates_of_the_agency_and_its_parents_prefill_the_answer(world, as_user, submit):
    AnswerTemplate.objects.create(agency=world.pemkot, title="Sudah diperbaiki", body="Terima kasih, sudah diperbaiki.")
    AnswerTemplate.objects.create(agency=world.pupr_banjar, title="Templat Banjar", body="Bukan untuk Banjarbaru.")
    report = submit(verify_to=world.pupr)
    template = AnswerTemplate.objects.get(title="Sudah diperbaiki")
    page = as_user(world.officer).get(url(report), {"templat": template.pk}).content.decode()
    assert "Templat Banjar" not in page
    assert "Terima kasih, sudah diperbaiki.</textarea>" in page
    # The template only fills the text: what is sent is the text, whatever else comes along.
    sent = as_user(world.agency_admin).post(url(report, "tindak-lanjut"), {
        "answer-body": "Terima kasih, sudah diperbaiki Senin.", "answer-template": "999"})
    assert sent.status_code == 302
    assert fresh(report).status == Status.IN_PROGRESS


def test_the_language_switch_on_a_refused_action_comes_back_to_the_reports_page(world, as_user, submit):
    """The refused form is drawn at the action's address, which takes POST only: switching
    the language from there returns to the report's page (keep_typed.js brings the text)."""
    report = submit(verify_to=world.pupr)
    refused = as_user(world.agency_admin).post(url(report, "tindak-lanjut"), {"answer-body": ""},
                                               HTTP_REFERER=f"http://testserver{url(report)}")
    assert refused.status_code == 400
    assert f'name="next" value="{url(report)}"' in refused.content.decode()
    # A Referer from elsewhere is not followed.
    elsewhere = as_user(world.agency_admin).post(url(report, "tindak-lanjut"), {"answer-body": ""},
                                                 HTTP_REFERER="https://contoh.example/kantor/")
    assert f'name="next" value="{url(report, "tindak-lanjut")}"' in elsewhere.content.decode()


def test_not_our_authority_returns_the_report_to_the_router_who_transfers_it(world, as_user, submit):
    report = submit(verify_to=world.pupr)
    response = as_user(world.unit_admin).post(url(report, "bukan-wewenang"), {"noa-reason": "Jalan provinsi"})
    assert response.status_code == 302
    assert (fresh(report).status, fresh(report).assigned_agency) == (Status.SUBMITTED, None)
    response = as_user(world.national_admin).post(url(report, "limpahkan"), {
        "transfer-agency": world.pupr_banjar.pk, "transfer-reason": "Wilayah Kabupaten Banjar"})
    assert response.status_code == 302
    assert (fresh(report).status, fresh(report).assigned_agency) == (Status.DISPATCHED, world.pupr_banjar)


def test_an_agency_admin_who_transfers_a_report_away_is_taken_back_to_the_inbox(world, as_user, submit):
    report = submit(verify_to=world.pupr, is_confidential=True)
    response = as_user(world.agency_admin).post(url(report, "limpahkan"), {
        "transfer-agency": world.pupr_banjar.pk, "transfer-reason": "Wilayah Kabupaten Banjar"})
    assert response.status_code == 302 and response["Location"] == "/kantor/"
    assert fresh(report).assigned_agency == world.pupr_banjar


def test_a_report_for_another_government_is_handed_over_before_verification(
        world, as_user, submit, django_capture_on_commit_callbacks):
    """No wrong door: Pemkot's admin forwards a Banjar road to Pemkab Banjar, whose admin is
    told and verifies it; Pemkot's own units are not offered (they are reached by verifying)."""
    from lapor.notifications.models import Notification

    report = submit()
    admin = as_user(world.agency_admin)
    page = admin.get(url(report)).content.decode()
    assert "Limpahkan ke instansi lain" in page
    form_part = page[page.index('name="transfer-agency"'):]
    form_part = form_part[:form_part.index("</select>")]
    assert f'value="{world.pemkab.pk}"' in form_part and f'value="{world.pupr.pk}"' not in form_part
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(url(report, "limpahkan"), {"transfer-agency": world.pemkab.pk,
                                                         "transfer-reason": "Jalan di Kabupaten Banjar"})
    assert response.status_code == 302 and response["Location"] == "/kantor/"
    assert (fresh(report).status, fresh(report).addressed_agency) == (Status.SUBMITTED, world.pemkab)
    assert Notification.objects.filter(recipient=world.other_agency_admin, event__action=Action.TRANSFER).exists()
    banjar = as_user(world.other_agency_admin)
    response = banjar.post(url(report, "verifikasi"), {"verify-title": report.title, "verify-agency": world.pupr_banjar.pk})
    assert response.status_code == 302
    assert (fresh(report).status, fresh(report).assigned_agency) == (Status.DISPATCHED, world.pupr_banjar)


def test_internal_notes_and_closing(world, as_user, submit):
    report = submit(verify_to=world.pupr)
    assert as_user(world.officer).post(url(report, "catatan"), {"note-text": "Sudah survei lokasi"}).status_code == 302
    assert report.events.filter(action=Action.NOTE, is_internal=True, text="Sudah survei lokasi").exists()
    response = as_user(world.agency_admin).post(url(report, "tutup"), {"close-reason": "Selesai lewat telepon"})
    assert response.status_code == 302
    assert fresh(report).status == Status.CLOSED


def test_an_answer_or_a_note_sent_twice_reaches_the_report_once(world, as_user, submit):
    """A double click or a reload sends the same form again."""
    report = submit(verify_to=world.pupr)
    admin = as_user(world.unit_admin)
    assert admin.post(url(report, "tindak-lanjut"), {"answer-body": "Lubang sudah ditambal."}).status_code == 302

    again = admin.post(url(report, "tindak-lanjut"), {"answer-body": "Lubang sudah ditambal."})

    assert again.status_code == 400
    assert "Tindak lanjut yang sama sudah terkirim; tidak dikirim dua kali." in again.content.decode()
    assert fresh(report).followups.count() == 1
    assert admin.post(url(report, "tindak-lanjut"), {"answer-body": "Aspal baru menyusul."}).status_code == 302
    officer = as_user(world.officer)
    assert officer.post(url(report, "catatan"), {"note-text": "Sudah survei lokasi"}).status_code == 302
    assert "Catatan yang sama sudah tersimpan" in officer.post(url(report, "catatan"), {
        "note-text": "Sudah survei lokasi"}).content.decode()
    assert report.events.filter(action=Action.NOTE).count() == 1


def test_an_action_the_report_has_moved_past_is_refused_with_a_message_not_an_error_page(world, as_user, submit):
    report = submit(verify_to=world.pupr)
    admin = as_user(world.agency_admin)
    page = admin.get(url(report))  # the admin's page is drawn...
    assert "/tindakan/tutup/" in page.content.decode()
    services.report_close(report=report, by=world.national_admin, reason="Sudah selesai")  # ...someone closes it
    response = admin.post(url(report, "tutup"), {"close-reason": "Juga selesai"})
    assert response.status_code == 409  # what it is now, and why the form no longer applies
    assert "Laporan ini kini berstatus “Selesai”: tindakan “ditutup” tidak lagi dapat dilakukan." in (
        response.content.decode())
    assert report.events.filter(action=Action.CLOSE).count() == 1


def test_a_draft_approved_after_the_report_was_closed_says_so_as_a_conflict(world, as_user, submit):
    report = submit(verify_to=world.pupr)
    as_user(world.unit_admin).post(url(report, "disposisi"), {"dispose-unit": world.bina_marga.pk})
    as_user(world.sub_unit_officer).post(url(report, "draf-tindak-lanjut"), {"answer-body": "Lubang sudah ditambal."})
    draft = report.answer_drafts.get()
    services.report_close(report=fresh(report), by=world.national_admin, reason="Sudah selesai")

    response = as_user(world.unit_admin).post(f"{url(report)}draf/{draft.pk}/setujui/",
                                              {"approve-body": "Lubang sudah ditambal."})

    assert response.status_code == 409
    assert "Laporan ini kini berstatus “Selesai”" in response.content.decode()
    assert not report.followups.exists()


def test_an_action_this_person_may_not_take_is_refused_as_such(world, as_user, submit):
    report = submit(verify_to=world.pupr)

    response = as_user(world.officer).post(url(report, "tutup"), {"close-reason": "Selesai"})

    assert response.status_code == 403
    assert "tidak dapat melakukan tindakan ini" in response.content.decode()


def test_a_race_lost_inside_the_service_is_reported_as_a_conflict(world, as_user, submit, monkeypatch):
    # The page's check passes, but by the time the service locks the row the status has
    # changed: the service's TransitionNotAllowed becomes a message and a 409.
    report = submit(verify_to=world.pupr)
    from lapor.reports import policy

    real = policy.allowed_actions
    monkeypatch.setattr(policy, "allowed_actions", lambda user, r: [*real(user, r), Action.CLOSE])
    services.report_close(report=report, by=world.national_admin, reason="Sudah selesai")
    response = as_user(world.agency_admin).post(url(report, "tutup"), {"close-reason": "Juga"})
    assert response.status_code == 409
    assert "Tindakan “ditutup” tidak dapat dilakukan pada laporan berstatus “Selesai”." in response.content.decode()


def test_the_workspace_shows_deadlines_as_working_day_countdowns(world, as_user, submit):
    report = submit(verify_to=world.pupr)
    page = as_user(world.officer).get(url(report)).content.decode()
    assert "hari kerja lagi" in page or "Tenggat hari ini" in page
    Report.objects.filter(pk=report.pk).update(due_at=report.due_at - datetime.timedelta(days=30))
    page = as_user(world.officer).get(url(report)).content.decode()
    assert "<strong>Terlambat " in page


def test_an_unknown_report_and_an_unknown_action_are_404(world, as_user, submit):
    report = submit(verify_to=world.pupr)
    officer = as_user(world.officer)
    assert officer.get("/kantor/laporan/999999999/").status_code == 404
    assert officer.post(url(report, "hapus")).status_code == 404


def test_a_file_unticked_by_the_officer_or_the_admin_never_reaches_the_citizen(world, as_user, submit):
    report = submit(verify_to=world.pupr)
    officer, admin = as_user(world.officer), as_user(world.unit_admin)
    officer.post(url(report, "draf-tindak-lanjut"), {
        "answer-body": "Sudah ditambal.", "answer-files": [png_upload("wajah.png"), pdf_upload(), png_upload("jalan.png")]})
    draft = report.answer_drafts.get()
    face, letter, road = list(draft.files.order_by("pk"))
    # The officer revises and drops the photo that shows a face.
    page = officer.get(url(report)).content.decode()
    assert "wajah.png" in page
    response = officer.post(url(report, "draf-tindak-lanjut"), {
        "answer-body": "Sudah ditambal Senin.", "answer-drop": [str(face.pk)]})
    assert response.status_code == 302
    assert list(draft.files.order_by("pk")) == [letter, road]
    # The admin leaves out the letter and approves.
    response = admin.post(f"{url(report)}draf/{draft.pk}/setujui/", {
        "approve-body": "Sudah ditambal Senin.", "approve-drop": [str(letter.pk)]})
    assert response.status_code == 302
    followup = report.followups.get()
    assert list(Attachment.objects.filter(followup=followup).values_list("content_type", flat=True)) == ["image/png"]


def test_an_sms_reporter_is_named_by_phone_not_by_a_made_up_username(world, as_user):
    from lapor.reports import services
    from lapor.sms.reporters import phone_reporter

    person = phone_reporter("+6281299990007")
    report = services.report_submit(reporter=person, title="Banjir di gang", body="Air setinggi lutut.",
                                    addressed_agency=world.pemkot, channel="sms")
    page = as_user(world.agency_admin).get(f"/kantor/laporan/{report.tracking_id}/").content.decode()
    card = page.split('class="card reporter"', 1)[1].split("</div>", 1)[0]
    assert "Pelapor SMS" in card and "+6281299990007" in card and person.username not in card


def test_the_60_day_limit_counts_down_in_calendar_days(world, as_user, submit):
    # Perpres 76/2013 counts calendar days: "60 hari lagi", not "40 hari kerja lagi".
    import datetime

    from django.utils import timezone

    from lapor.reports.models import Report

    report = submit(verify_to=world.pupr)
    Report.objects.filter(pk=report.pk).update(outer_due_at=timezone.now() + datetime.timedelta(days=45))
    page = as_user(world.agency_admin).get(f"/kantor/laporan/{report.tracking_id}/").content.decode()
    line = page.split("Batas 60 hari (Perpres 76/2013)", 1)[1].split("</dd>", 1)[0]
    assert "45 hari lagi" in line and "hari kerja" not in line
