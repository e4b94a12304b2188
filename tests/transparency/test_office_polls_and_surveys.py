"""The back office for opinion polls and IKM surveys (/kantor/opini/, /kantor/survei/):
an agency's admins publish, edit and close them for their own tree only (SPEC §9)."""
import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from lapor.transparency import services
from lapor.transparency.errors import NotOpen
from lapor.transparency.models import IkmSurvey, Poll
from tests.office.staff import sign_in


def office(user, **kw) -> Client:
    return sign_in(Client(), user, **kw)


def in_days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def poll_form(world, **overrides):
    data = {"agency": world.pemkot.pk, "question": "Perlukah jalur sepeda di Jalan A. Yani?",
            "description": "Rencana 2027.", "options": "Perlu\nTidak perlu\n\nTidak tahu\n",
            "closes_at": in_days(14).isoformat()}
    data.update(overrides)
    return data


def published_poll(world, **kw):
    return services.poll_publish(agency=world.pemkot, by=world.agency_admin, question="Perlukah taman kota?",
                                 options=["Perlu", "Tidak perlu"],
                                 closes_at=timezone.now() + datetime.timedelta(days=7), **kw)


def open_survey(world, agency=None):
    return services.ikm_survey_open(agency=agency or world.dinkes, by=world.agency_admin, title="SKM Dinkes 2026",
                                    opens_on=in_days(-10), closes_on=in_days(30))


# --- polls --------------------------------------------------------------------------------


def test_an_agency_admin_publishes_a_poll_that_citizens_see_at_once(world, client):
    admin = office(world.agency_admin)
    assert admin.get("/kantor/opini/baru/").status_code == 200
    response = admin.post("/kantor/opini/baru/", poll_form(world))
    assert response.status_code == 302 and response["Location"] == "/kantor/opini/"
    poll = Poll.objects.get()
    assert [o.text for o in poll.options.all()] == ["Perlu", "Tidak perlu", "Tidak tahu"]
    # Open to the end of the chosen day where the agency is (Banjarbaru: WITA).
    local = poll.closes_at.astimezone(ZoneInfo("Asia/Makassar"))
    assert (local.date(), local.time()) == (in_days(14), datetime.time(23, 59, 59))
    assert "Perlukah jalur sepeda di Jalan A. Yani?" in client.get("/opini/").content.decode()
    assert "diterbitkan" in admin.get("/kantor/opini/").content.decode()


def test_bad_poll_input_is_explained_and_what_was_typed_stays(world):
    admin = office(world.agency_admin)
    response = admin.post("/kantor/opini/baru/", poll_form(world, options="Perlu\n", closes_at=in_days(-1).isoformat()))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Beri paling sedikit dua pilihan jawaban." in page
    assert "Waktu penutupan harus di masa depan." in page
    assert 'value="Perlukah jalur sepeda di Jalan A. Yani?"' in page
    assert "Rencana 2027.</textarea>" in page
    response = admin.post("/kantor/opini/baru/", poll_form(world, closes_at="31-02-2026", question=""))
    page = response.content.decode()
    assert "Masukkan tanggal yang valid." in page and "Bidang ini harus diisi." in page
    assert Poll.objects.count() == 0


def test_poll_errors_are_in_english_after_the_language_switch(world):
    admin = office(world.agency_admin)
    admin.post("/i18n/setlang/", {"language": "en", "next": "/kantor/"})
    page = admin.post("/kantor/opini/baru/", poll_form(world, options="Perlu\n",
                                                        closes_at=in_days(-1).isoformat())).content.decode()
    assert "Give at least two answer options." in page
    assert "The closing time must be in the future." in page
    assert "Answer options" in page and "Pilihan jawaban" not in page


def test_a_poll_is_edited_freely_until_someone_answers_then_only_its_explanation_and_date(world):
    poll = published_poll(world)
    admin = office(world.agency_admin)
    edit = f"/kantor/opini/{poll.pk}/"
    assert admin.get(edit).status_code == 200
    admin.post(edit, {"question": "Perlukah taman kota baru?", "description": "", "options": "Ya\nTidak",
                      "closes_at": in_days(7).isoformat()})
    poll.refresh_from_db()
    assert poll.question == "Perlukah taman kota baru?"
    assert [o.text for o in poll.options.all()] == ["Ya", "Tidak"]

    services.poll_answer(poll=poll, option=poll.options.first(), by=world.citizen)
    page = admin.get(edit).content.decode()
    assert "pertanyaan dan pilihan jawaban tidak dapat diubah lagi" in page
    admin.post(edit, {"question": "Pertanyaan lain", "description": "Dibahas DPRD.", "options": "A\nB",
                      "closes_at": in_days(20).isoformat()})
    poll.refresh_from_db()
    assert poll.question == "Perlukah taman kota baru?"
    assert [o.text for o in poll.options.all()] == ["Ya", "Tidak"]
    assert poll.description == "Dibahas DPRD." and poll.answers.count() == 1
    assert poll.closes_at.astimezone(ZoneInfo("Asia/Makassar")).date() == in_days(20)


def test_the_service_refuses_to_change_what_people_answered(world):
    poll = published_poll(world)
    services.poll_answer(poll=poll, option=poll.options.first(), by=world.citizen)
    with pytest.raises(services.ValidationError) as e:
        services.poll_update(poll=poll, by=world.agency_admin, question=poll.question, options=["A", "B"],
                             closes_at=poll.closes_at)
    assert "options" in e.value.message_dict


def test_closing_a_poll_stops_answers_and_keeps_its_result(world, client):
    poll = published_poll(world)
    services.poll_answer(poll=poll, option=poll.options.first(), by=world.citizen)
    admin = office(world.agency_admin)
    assert admin.post(f"/kantor/opini/{poll.pk}/tutup/").status_code == 302
    poll.refresh_from_db()
    with pytest.raises(NotOpen):
        services.poll_answer(poll=poll, option=poll.options.first(), by=world.other_citizen)
    listing = admin.get("/kantor/opini/").content.decode()
    assert f'<tr data-poll="{poll.pk}">' in listing and "Tutup sekarang" not in listing
    public = client.get(f"/opini/{poll.pk}/").content.decode()
    assert "sudah ditutup" in public and "Hasil (1 jawaban)" in public


def test_the_poll_list_counts_respondents_of_the_agencys_polls_only(world):
    mine = published_poll(world)
    for person in (world.citizen, world.other_citizen):
        services.poll_answer(poll=mine, option=mine.options.first(), by=person)
    theirs = services.poll_publish(agency=world.pemkab, by=world.other_agency_admin, question="Pasar baru?",
                                   options=["Ya", "Tidak"], closes_at=timezone.now() + datetime.timedelta(days=3))
    page = office(world.agency_admin).get("/kantor/opini/").content.decode()
    assert f'<tr data-poll="{mine.pk}">' in page and 'data-figure="respondents">2<' in page
    assert "Pasar baru?" not in page
    national = office(world.national_admin).get("/kantor/opini/").content.decode()
    assert f'<tr data-poll="{theirs.pk}">' in national and f'<tr data-poll="{mine.pk}">' in national


def test_another_agencys_admin_can_neither_see_nor_touch_the_poll(world):
    poll = published_poll(world)
    stranger = office(world.other_agency_admin)
    assert stranger.get(f"/kantor/opini/{poll.pk}/").status_code == 404
    assert stranger.post(f"/kantor/opini/{poll.pk}/tutup/").status_code == 404
    response = stranger.post("/kantor/opini/baru/", poll_form(world))  # pemkot is not offered to them
    assert response.status_code == 400 and Poll.objects.count() == 1
    poll.refresh_from_db()
    assert poll.is_open_at(timezone.now())


def test_a_unit_admin_publishes_for_their_unit_only(world):
    unit = office(world.unit_admin)
    page = unit.get("/kantor/opini/baru/").content.decode()
    assert f'<option value="{world.pupr.pk}">' in page and f'<option value="{world.bina_marga.pk}">' in page
    assert f'<option value="{world.pemkot.pk}">' not in page
    assert unit.post("/kantor/opini/baru/", poll_form(world, agency=world.pupr.pk)).status_code == 302
    assert Poll.objects.get().agency == world.pupr


@pytest.mark.parametrize("persona", ["officer", "inspector", "custodian", "citizen"])
def test_people_who_publish_nothing_are_refused(world, persona):
    person = office(getattr(world, persona))
    for url in ("/kantor/opini/", "/kantor/opini/baru/", "/kantor/survei/", "/kantor/survei/baru/"):
        assert person.get(url).status_code == 403


def test_strangers_are_sent_to_sign_in_and_staff_to_their_second_factor(world, client):
    assert client.get("/kantor/opini/").status_code == 302
    assert "/akun/login/" in client.get("/kantor/survei/")["Location"]
    half = office(world.agency_admin, second_factor=False)
    assert "/akun/2fa/" in half.get("/kantor/opini/")["Location"]


# --- IKM surveys --------------------------------------------------------------------------


def test_an_agency_admin_opens_a_survey_that_citizens_can_answer(world, client):
    admin = office(world.agency_admin)
    assert admin.get("/kantor/survei/baru/").status_code == 200
    response = admin.post("/kantor/survei/baru/", {"agency": world.dinkes.pk, "title": "SKM Semester II",
                                                   "opens_on": in_days(0).isoformat(),
                                                   "closes_on": in_days(60).isoformat()})
    assert response.status_code == 302
    survey = IkmSurvey.objects.get()
    assert (survey.agency, survey.opens_on, survey.closes_on) == (world.dinkes, in_days(0), in_days(60))
    client.force_login(world.citizen)
    assert "Kirim jawaban" in client.get(f"/kinerja/survei/{survey.pk}/").content.decode()


def test_bad_survey_periods_are_explained_and_what_was_typed_stays(world):
    admin = office(world.agency_admin)
    form = {"agency": world.dinkes.pk, "title": "SKM Semester II", "opens_on": in_days(10).isoformat(),
            "closes_on": in_days(5).isoformat()}
    page = admin.post("/kantor/survei/baru/", form).content.decode()
    assert "Tanggal tutup tidak boleh sebelum tanggal buka." in page
    assert 'value="SKM Semester II"' in page and f'value="{in_days(10).isoformat()}"' in page
    page = admin.post("/kantor/survei/baru/", {**form, "closes_on": in_days(-1).isoformat()}).content.decode()
    assert "Tanggal tutup sudah lewat." in page
    page = admin.post("/kantor/survei/baru/", {**form, "opens_on": "besok"}).content.decode()
    assert "Masukkan tanggal yang valid." in page
    assert IkmSurvey.objects.count() == 0


def test_the_survey_list_shows_respondents_and_the_ikm(world):
    survey = open_survey(world)
    for person in (world.citizen, world.other_citizen):
        services.ikm_respond(survey=survey, by=person, scores=[4] * 9)
    page = office(world.agency_admin).get("/kantor/survei/").content.decode()
    assert f'<tr data-survey="{survey.pk}">' in page
    assert 'data-figure="respondents">2<' in page
    assert "100,00 (A, Sangat Baik)" in page


def test_closing_a_survey_early_stops_answers_and_says_so(world, client):
    survey = open_survey(world)
    services.ikm_respond(survey=survey, by=world.citizen, scores=[3] * 9)
    admin = office(world.agency_admin)
    assert admin.post(f"/kantor/survei/{survey.pk}/tutup/").status_code == 302
    survey.refresh_from_db()
    assert survey.closed_at is not None and survey.closes_on == timezone.localdate()
    with pytest.raises(NotOpen):
        services.ikm_respond(survey=survey, by=world.other_citizen, scores=[3] * 9)
    public = client.get(f"/kinerja/survei/{survey.pk}/").content.decode()
    assert "ditutup lebih awal" in public and 'data-figure="respondents">1<' in public
    assert admin.post(f"/kantor/survei/{survey.pk}/tutup/").status_code == 302  # twice: a message, no error
    assert "Survei ini sudah ditutup." in admin.get("/kantor/survei/").content.decode()


def test_another_agencys_admin_cannot_close_the_survey(world):
    survey = open_survey(world)
    assert office(world.other_agency_admin).post(f"/kantor/survei/{survey.pk}/tutup/").status_code == 404
    survey.refresh_from_db()
    assert survey.closed_at is None



def test_publishing_editing_and_closing_polls_and_surveys_is_in_the_audit_log(world):
    from lapor.audit.models import AuditEntry

    admin = world.agency_admin
    poll = services.poll_publish(agency=world.pemkot, by=admin, question="Taman kota baru?", options=["Ya", "Tidak"],
                                 closes_at=timezone.now() + datetime.timedelta(days=7))
    services.poll_update(poll=poll, by=admin, question="Taman kota baru di Guntung Manggis?",
                         options=["Ya", "Tidak", "Ragu"], closes_at=poll.closes_at)
    services.poll_close(poll=poll, by=admin)
    today = timezone.localdate()
    survey = services.ikm_survey_open(agency=world.pemkot, by=admin, title="SKM 2026", opens_on=today,
                                      closes_on=today + datetime.timedelta(days=30))
    services.ikm_survey_close(survey=survey, by=admin)

    entries = list(AuditEntry.objects.order_by("id"))
    assert [(e.action, e.object_id) for e in entries] == [
        ("created", str(poll.pk)), ("changed", str(poll.pk)), ("changed", str(poll.pk)),
        ("created", str(survey.pk)), ("changed", str(survey.pk))]
    assert {e.actor_name for e in entries} == {admin.username}
    assert entries[1].changes["question"][1] == "Taman kota baru di Guntung Manggis?"
    assert entries[1].changes["options"] == [["Ya", "Tidak"], ["Ya", "Tidak", "Ragu"]]
    assert entries[2].note == entries[4].note == "Ditutup sebelum waktunya."
