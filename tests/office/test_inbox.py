"""The inbox: what waits on me, by deadline, with countdowns, filters, search, pages and
bulk disposition (SPEC §8)."""
import datetime
import re

from django.utils import timezone

from lapor.reports import services
from lapor.reports.enums import Status
from lapor.reports.models import Report


def rows(response):
    """Tracking IDs in the order the inbox lists them."""
    import re

    return re.findall(r'href="/kantor/laporan/(\d+)/"', response.content.decode())


def test_an_officer_sees_what_waits_on_their_unit_soonest_deadline_first(world, as_user, submit):
    later = submit(verify_to=world.pupr, title="Drainase tersumbat")
    sooner = submit(verify_to=world.pupr, title="Jembatan retak")
    Report.objects.filter(pk=sooner.pk).update(due_at=later.due_at - datetime.timedelta(days=2))
    answered = submit(verify_to=world.pupr, title="Sudah dijawab")
    services.report_answer(report=answered, by=world.unit_admin, body="Sudah ditangani.")
    elsewhere = submit(verify_to=world.dinkes, title="Puskesmas tutup")
    listed = rows(as_user(world.officer).get("/kantor/"))
    assert listed == [sooner.tracking_id, later.tracking_id]  # answered waits on the citizen; dinkes is not theirs
    assert elsewhere.tracking_id not in listed


def test_the_agency_admin_waits_on_verifications_and_on_dispatched_work_in_their_tree(world, as_user, submit):
    unverified = submit()
    dispatched = submit(verify_to=world.pupr)
    other_government = services.report_submit(reporter=world.citizen, title="Banjar", body="x",
                                              addressed_agency=world.pemkab)
    listed = rows(as_user(world.agency_admin).get("/kantor/"))
    assert set(listed) == {unverified.tracking_id, dispatched.tracking_id}
    assert other_government.tracking_id not in rows(as_user(world.agency_admin).get("/kantor/", {"tab": "semua"}))


def test_a_draft_answer_waits_on_the_units_admin_and_once_sent_back_on_its_officer(world, as_user, submit):
    from lapor.reports import drafts

    report = submit(verify_to=world.pupr, title="Lampu mati")
    services.report_answer(report=report, by=world.unit_admin, body="Akan kami ganti.")  # waits on the citizen now
    officer, admin = as_user(world.officer), as_user(world.unit_admin)
    assert report.tracking_id not in rows(officer.get("/kantor/")) + rows(admin.get("/kantor/"))
    # The officer drafts a second follow-up: the admin must approve it.
    draft = drafts.draft_answer(report=report, by=world.officer, body="Lampu sudah diganti.")
    page = admin.get("/kantor/")
    assert rows(page) == [report.tracking_id] and "Draf menunggu persetujuan" in page.content.decode()
    assert rows(officer.get("/kantor/")) == []
    assert rows(as_user(world.agency_admin).get("/kantor/", {"tab": "semua", "draft": "pending"})) == [
        report.tracking_id]
    # Sent back: now it waits on the officer, with the reason on the report.
    drafts.draft_return(draft=draft, by=world.unit_admin, note="Lampirkan fotonya.")
    page = officer.get("/kantor/")
    assert rows(page) == [report.tracking_id] and "Draf dikembalikan" in page.content.decode()
    assert rows(admin.get("/kantor/")) == []
    assert rows(officer.get("/kantor/", {"tab": "semua", "draft": "pending"})) == []


def test_an_overdue_report_is_marked_in_words_not_only_in_colour(world, as_user, submit):
    report = submit(verify_to=world.pupr)
    Report.objects.filter(pk=report.pk).update(due_at=timezone.now() - datetime.timedelta(days=10))
    page = as_user(world.officer).get("/kantor/").content.decode()
    assert 'class="overdue"' in page
    # Said once ("Terlambat 8 hari kerja"), not "TERLAMBAT · Terlambat 8 hari kerja".
    assert re.search(r"<strong>Terlambat \d+ hari kerja</strong>", page)
    assert "TERLAMBAT" not in page


def test_filters_narrow_the_list(world, as_user, submit):
    from tests.factories import CategoryFactory, RegionFactory

    region = RegionFactory(code="63.72", name="Kota Banjarbaru")
    health = CategoryFactory(name="Kesehatan", slug="kesehatan")
    road = submit(verify_to=world.pupr, region=region)
    clinic = submit(verify_to=world.dinkes, category=health, title="Antrean puskesmas", channel="sms")
    admin = as_user(world.agency_admin)
    assert rows(admin.get("/kantor/", {"tab": "semua", "category": health.pk})) == [clinic.tracking_id]
    assert rows(admin.get("/kantor/", {"tab": "semua", "unit": world.pupr.pk})) == [road.tracking_id]
    assert rows(admin.get("/kantor/", {"tab": "semua", "region": "63.72"})) == [road.tracking_id]
    assert rows(admin.get("/kantor/", {"tab": "semua", "channel": "sms"})) == [clinic.tracking_id]
    assert rows(admin.get("/kantor/", {"tab": "semua", "status": Status.SUBMITTED})) == []
    today = timezone.localdate()
    assert len(rows(admin.get("/kantor/", {"tab": "semua", "date_from": today, "date_to": today}))) == 2
    assert rows(admin.get("/kantor/", {"tab": "semua", "date_to": today - datetime.timedelta(days=1)})) == []


def test_a_bad_filter_value_is_named_and_the_valid_ones_still_filter(world, as_user, submit):
    road = submit(verify_to=world.pupr, body="Di depan SDN 3 Guntung Manggis")
    submit(verify_to=world.pupr, title="Lampu mati", body="Gelap")
    admin = as_user(world.agency_admin)

    response = admin.get("/kantor/", {"tab": "semua", "q": "guntung", "date_from": "abc"})

    assert rows(response) == [road.tracking_id]
    assert "Masukkan tanggal yang valid" in response.content.decode() or "valid date" in response.content.decode()
    today = timezone.localdate()
    reversed_dates = admin.get("/kantor/", {"tab": "semua", "date_from": today, "date_to": today - datetime.timedelta(days=3)})
    assert "Tanggal akhir sebelum tanggal awal" in reversed_dates.content.decode()
    assert len(rows(reversed_dates)) == 2  # from today on, the reversed end set aside
    # The search box stops at 200 characters (a longer address would not reach the site);
    # a longer q sent anyway is named and set aside.
    long = admin.get("/kantor/", {"tab": "semua", "q": "guntung " * 30})
    page = long.content.decode()
    assert 'maxlength="200"' in page and "paling banyak 200 karakter" in page
    assert len(rows(long)) == 2


def test_search_finds_words_in_title_and_body_and_a_tracking_id_opens_the_report(world, as_user, submit):
    road = submit(verify_to=world.pupr, body="Di depan SDN 3 Guntung Manggis")
    submit(verify_to=world.pupr, title="Lampu mati", body="Gelap")
    admin = as_user(world.agency_admin)
    assert rows(admin.get("/kantor/", {"tab": "semua", "q": "guntung"})) == [road.tracking_id]
    response = admin.get("/kantor/", {"q": f"#{road.tracking_id}"})
    assert response.status_code == 302 and response["Location"] == f"/kantor/laporan/{road.tracking_id}/"


def test_the_inbox_pages_through_many_reports(world, as_user, submit):
    for n in range(27):
        submit(title=f"Laporan {n}")
    admin = as_user(world.agency_admin)
    first, second = admin.get("/kantor/"), admin.get("/kantor/", {"halaman": 2})
    assert len(rows(first)) == 25 and len(rows(second)) == 2
    assert not set(rows(first)) & set(rows(second))


def test_a_scope_with_more_reports_than_the_count_cap_says_more_than_and_still_pages(world, as_user, submit,
                                                                                     monkeypatch):
    from lapor.core import pagination

    monkeypatch.setattr(pagination, "COUNT_CAP", 26)
    for n in range(28):
        submit(title=f"Laporan {n}")
    admin = as_user(world.agency_admin)
    first = admin.get("/kantor/")
    assert "Lebih dari 26 laporan" in first.content.decode()
    assert len(rows(first)) == 25 and len(rows(admin.get("/kantor/", {"halaman": 2}))) == 1


def test_more_than_the_cap_is_counted_once_a_minute_while_a_count_under_it_is_always_fresh(world, as_user, submit,
                                                                                          monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lapor.core import pagination

    monkeypatch.setattr(pagination, "COUNT_CAP", 3)
    for n in range(4):
        submit(title=f"Laporan kota {n}")
    city = as_user(world.agency_admin)
    with CaptureQueriesContext(connection) as first:
        assert "Lebih dari 3 laporan" in city.get("/kantor/", {"tab": "semua"}).content.decode()
    with CaptureQueriesContext(connection) as again:
        page = city.get("/kantor/", {"tab": "semua"}).content.decode()
    assert "Lebih dari 3 laporan" in page and len(city_rows := rows_of_html(page)) == 3  # pages stop at the cap
    def counts(ctx):
        return [q for q in ctx.captured_queries if "COUNT(" in q["sql"]]

    assert len(counts(first)) == 1 and counts(again) == []  # "more than" was kept
    # Another government's admin, same filters: their own count, not the city's kept "more".
    for n in range(2):
        submit(title=f"Laporan kabupaten {n}", addressed_agency=world.pemkab)
    regency = as_user(world.other_agency_admin)
    assert "2 laporan" in regency.get("/kantor/", {"tab": "semua"}).content.decode()
    submit(title="Laporan kabupaten 3", addressed_agency=world.pemkab)
    assert "3 laporan" in regency.get("/kantor/", {"tab": "semua"}).content.decode()  # under the cap: at once
    assert not set(city_rows) & set(rows(regency.get("/kantor/", {"tab": "semua"})))


def rows_of_html(page: str) -> list[str]:
    import re

    return re.findall(r'href="/kantor/laporan/(\d+)/"', page)


def test_inbox_rows_are_rendered_once_yet_show_a_change_at_once(world, as_user, submit):
    import re

    report = submit(verify_to=world.pupr, title="Jembatan retak")
    officer = as_user(world.officer)
    first = officer.get("/kantor/")
    assert "office/_inbox_row.html" in [t.name for t in first.templates]
    again = officer.get("/kantor/")
    assert "office/_inbox_row.html" not in [t.name for t in again.templates]
    assert rows(again) == rows(first) == [report.tracking_id]
    # A correction and a deadline passed show on the next page, though the row was kept.
    Report.objects.filter(pk=report.pk).update(due_at=timezone.now() - datetime.timedelta(days=10))
    assert "<strong>Terlambat " in officer.get("/kantor/").content.decode()
    Report.objects.filter(pk=report.pk).update(title="Jembatan retak di Jl. Trikora")
    assert "Jembatan retak di Jl. Trikora" in officer.get("/kantor/").content.decode()
    # The unit's admin may dispose it: the same row, with its checkbox; the officer's has none.
    checkbox = f'name="reports" value="{report.tracking_id}"'
    assert checkbox in as_user(world.unit_admin).get("/kantor/").content.decode()
    assert checkbox not in officer.get("/kantor/").content.decode()
    # And in the reader's language.
    english = officer.get("/kantor/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    row = re.search(r"<tbody>.*</tbody>", english, re.S).group()
    assert re.search(r"Overdue by \d+ working days?", row) and "Dispatched" in row and "Terdisposisi" not in row



def test_a_kept_row_tells_a_report_awaiting_transfer_from_one_not_verified(world, as_user, submit):
    """Same status (submitted), other words: the row's key holds what tells them apart."""
    report = submit()
    admin = as_user(world.agency_admin)
    assert "Belum terverifikasi" in admin.get("/kantor/").content.decode()
    Report.objects.filter(pk=report.pk).update(verified_at=timezone.now())  # handed back as "bukan wewenang"
    page = admin.get("/kantor/").content.decode()
    row = re.search(rf"<tr[^>]*>(?:(?!</tr>).)*{report.tracking_id}.*?</tr>", page, re.S).group()
    assert "Menunggu pelimpahan" in row and "Belum terverifikasi" not in row


def test_bulk_disposition_applies_to_each_report_and_says_how_each_went(world, as_user, submit):
    first = submit(verify_to=world.pupr)
    second = submit(verify_to=world.pupr)
    already_there = submit(verify_to=world.bina_marga)
    response = as_user(world.unit_admin).post("/kantor/massal/disposisi/", {
        "reports": [first.tracking_id, second.tracking_id, already_there.tracking_id, "123456789"],
        "unit": world.bina_marga.pk}, follow=True)
    page = response.content.decode()
    assert Report.objects.get(pk=first.pk).assigned_agency == world.bina_marga
    assert Report.objects.get(pk=second.pk).assigned_agency == world.bina_marga
    assert f"#{first.tracking_id} didisposisikan" in page and f"#{second.tracking_id} didisposisikan" in page
    assert f"#{already_there.tracking_id}: Pilih unit kerja lain" in page
    assert "#123456789: laporan tidak ditemukan" in page


def test_bulk_disposition_cannot_reach_reports_or_units_outside_the_admins_scope(world, as_user, submit):
    theirs = submit(verify_to=world.dinkes)
    response = as_user(world.unit_admin).post("/kantor/massal/disposisi/", {
        "reports": [theirs.tracking_id], "unit": world.bina_marga.pk}, follow=True)
    assert Report.objects.get(pk=theirs.pk).assigned_agency == world.dinkes
    assert "laporan tidak ditemukan" in response.content.decode()
    mine = submit(verify_to=world.pupr)
    as_user(world.unit_admin).post("/kantor/massal/disposisi/", {"reports": [mine.tracking_id], "unit": world.dinkes.pk})
    assert Report.objects.get(pk=mine.pk).assigned_agency == world.pupr


def test_supervisors_and_the_custodian_get_no_bulk_actions(world, as_user, submit):
    submit(verify_to=world.pupr)
    submit()  # waiting for verification
    for person in (world.inspector, world.custodian, world.officer):
        page = as_user(person).get("/kantor/", {"tab": "semua"}).content.decode()
        assert "massal/disposisi" not in page and "massal/arsip" not in page
    unit_admin = as_user(world.unit_admin).get("/kantor/").content.decode()
    assert "massal/disposisi" in unit_admin and "massal/arsip" not in unit_admin
    assert "massal/arsip" in as_user(world.agency_admin).get("/kantor/").content.decode()


def test_a_flood_of_spam_is_archived_in_one_go_each_report_through_its_own_rules(world, as_user, submit):
    spam = [submit(title=f"Promo pulsa murah {i}", channel="sms") for i in range(3)]
    dispatched = submit(verify_to=world.pupr)
    elsewhere = services.report_submit(reporter=world.citizen, title="Banjar", body="x", addressed_agency=world.pemkab)
    admin = as_user(world.agency_admin)
    page = admin.get("/kantor/").content.decode()
    assert all(f'value="{r.tracking_id}"' in page for r in spam) and "Arsipkan yang dipilih" in page
    # Without a reason nothing happens, and the admin is told why.
    ticked = [r.tracking_id for r in spam] + [dispatched.tracking_id, elsewhere.tracking_id]
    response = admin.post("/kantor/massal/arsip/", {"reports": ticked, "archive_reason": ""}, follow=True)
    assert "Alasan pengarsipan: Bidang ini harus diisi." in response.content.decode()
    assert Report.objects.filter(status=Status.ARCHIVED).count() == 0
    response = admin.post("/kantor/massal/arsip/", {"reports": ticked, "archive_reason": "spam",
                                                    "archive_note": "Nomor yang sama, 3 kali"}, follow=True)
    page = response.content.decode()
    for report in spam:
        report.refresh_from_db()
        assert (report.status, report.archive_reason) == (Status.ARCHIVED, "spam")
        assert f"#{report.tracking_id} diarsipkan" in page
    assert (f"#{dispatched.tracking_id}: Tindakan “diarsipkan” tidak dapat dilakukan pada laporan berstatus "
            f"“Terdisposisi”.") in page  # not read as done
    assert Report.objects.get(pk=dispatched.pk).status == Status.DISPATCHED
    assert f"#{elsewhere.tracking_id}: laporan tidak ditemukan" in page
    assert Report.objects.get(pk=elsewhere.pk).status == Status.SUBMITTED


def test_a_report_ticked_twice_is_archived_once_and_said_once(world, as_user, submit):
    spam = submit(title="Promo pulsa murah", channel="sms")

    response = as_user(world.agency_admin).post("/kantor/massal/arsip/", {
        "reports": [spam.tracking_id, spam.tracking_id], "archive_reason": "spam"}, follow=True)

    page = response.content.decode()
    assert page.count(f"#{spam.tracking_id}") == 1 and f"#{spam.tracking_id} diarsipkan" in page


def test_the_back_office_reads_in_english_for_staff_who_chose_it(world, as_user, submit):
    report = submit(title="Jalan berlubang")
    admin = as_user(world.agency_admin)
    assert admin.post("/i18n/setlang/", {"language": "en", "next": "/kantor/"}).status_code == 302
    workspace = admin.get(f"/kantor/laporan/{report.tracking_id}/").content.decode()
    assert "Verify and dispatch" in workspace and "Return to the reporter" in workspace
    assert "Verifikasi dan disposisi" not in workspace
    inbox = admin.get("/kantor/", {"tab": "semua"}).content.decode()
    assert "Awaiting verification" in inbox and "Belum terverifikasi" not in inbox


def test_an_inbox_follows_a_new_role_and_a_moved_unit_at_once(world, as_user, submit):
    """Its query is made once for each shape of it (who asks, which filters): a role given
    since, or a unit moved under another agency since, is a new shape on the next page."""
    from lapor.agencies.models import Role
    from tests.factories import MembershipFactory

    road = submit(verify_to=world.pupr, title="Jalan berlubang")
    clinic = submit(verify_to=world.dinkes, title="Puskesmas tutup")
    officer = as_user(world.officer)
    assert rows(officer.get("/kantor/", {"tab": "semua"})) == [road.tracking_id]
    MembershipFactory(user=world.officer, agency=world.dinkes, role=Role.OFFICER)
    assert set(rows(officer.get("/kantor/", {"tab": "semua"}))) == {road.tracking_id, clinic.tracking_id}
    admin = as_user(world.agency_admin)
    assert rows(admin.get("/kantor/", {"tab": "semua", "unit": world.pupr.pk})) == [road.tracking_id]
    assert rows(admin.get("/kantor/", {"tab": "semua", "unit": world.dinkes.pk})) == [clinic.tracking_id]
    old_path = world.dinkes.path
    world.dinkes.parent = world.pupr  # its path changes (and its reports with it, under the filter)
    world.dinkes.save()
    world.dinkes.refresh_from_db()
    assert world.dinkes.path != old_path
    assert set(rows(admin.get("/kantor/", {"tab": "semua", "unit": world.pupr.pk}))) == {
        road.tracking_id, clinic.tracking_id}
    assert rows(admin.get("/kantor/", {"tab": "semua", "unit": world.dinkes.pk})) == [clinic.tracking_id]
