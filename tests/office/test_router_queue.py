"""The verifier's queue (SPEC §8): a national or agency admin routes hundreds of new
reports a day. What the verify form offers is the routing rule's OPD when the citizen
named only the government (or the wrong OPD of it); the next report waiting is one key
away after each action; a refused form opens with the cursor in its wrong field."""
import re

from lapor.agencies.models import RoutingRule
from lapor.reports.enums import Kind, Status
from lapor.reports.models import Report
from tests.factories import CategoryFactory, RegionFactory


def rule_to_pupr(world):
    city = RegionFactory(code="63.72", name="Kota Banjarbaru")
    RoutingRule.objects.create(category=world.category, region=city, agency=world.pupr)
    return city


def selected_agency(page: str) -> str:
    select = re.search(r'<select name="verify-agency".*?</select>', page, re.S).group(0)
    return re.search(r"<option value=\"(\d+)\"[^>]*selected", select).group(1)


def test_a_report_sent_to_the_city_is_offered_to_the_opd_its_routing_rule_names(world, as_user, submit):
    city = rule_to_pupr(world)
    report = submit(addressed_agency=world.pemkot, region=city)
    page = as_user(world.agency_admin).get(f"/kantor/laporan/{report.tracking_id}/").content.decode()
    assert selected_agency(page) == str(world.pupr.pk)
    # Said why it is not the government the citizen named.
    assert "Disarankan aturan rute" in page and "pelapor menujukannya ke Pemerintah Kota Banjarbaru" in page


def test_a_report_sent_to_the_wrong_opd_of_the_city_is_offered_to_the_rules_opd(world, as_user, submit):
    city = rule_to_pupr(world)
    report = submit(addressed_agency=world.dinkes, region=city)
    page = as_user(world.national_admin).get(f"/kantor/laporan/{report.tracking_id}/").content.decode()
    assert selected_agency(page) == str(world.pupr.pk)


def test_a_report_sent_to_another_government_keeps_the_agency_it_was_sent_to(world, as_user, submit):
    city = rule_to_pupr(world)
    report = submit(addressed_agency=world.pemkab, region=city)
    page = as_user(world.national_admin).get(f"/kantor/laporan/{report.tracking_id}/").content.decode()
    assert selected_agency(page) == str(world.pemkab.pk)


def test_whistle_blowing_is_offered_to_its_inspectorate_whatever_the_rule(world, as_user, submit):
    city = rule_to_pupr(world)
    report = submit(kind=Kind.WHISTLEBLOWING, addressed_agency=world.pemkot, region=city)
    page = as_user(world.national_admin).get(f"/kantor/laporan/{report.tracking_id}/").content.decode()
    assert selected_agency(page) == str(world.inspektorat.pk)


def test_bulk_verification_left_empty_sends_each_report_where_its_own_page_suggests(world, as_user, submit):
    city = rule_to_pupr(world)
    ruled = submit(addressed_agency=world.pemkot, region=city)
    unruled = submit(addressed_agency=world.pemkot, category=None, title="Lampu taman mati", body="Gelap.")
    as_user(world.agency_admin).post("/kantor/massal/verifikasi/", {
        "reports": [ruled.tracking_id, unruled.tracking_id], "verify_agency": "", "confirm": "1",
        f"tujuan-{ruled.tracking_id}": world.pupr.pk, f"tujuan-{unruled.tracking_id}": world.pemkot.pk})
    assert Report.objects.get(pk=ruled.pk).assigned_agency == world.pupr
    assert Report.objects.get(pk=unruled.pk).assigned_agency == world.pemkot


def destinations(page: str) -> dict[str, str]:
    """The confirmation page's rows: tracking ID → what its "Diteruskan ke" cell says."""
    rows = re.findall(r'<td class="title">#(\d+).*?</td>.*?<td data-label="Diteruskan ke">(.*?)</td>', page, re.S)
    return {tracking_id: re.sub(r"<[^>]+>", "", cell).strip() for tracking_id, cell in rows}


def test_bulk_verification_shows_where_each_report_goes_and_sends_nothing_before_it_is_confirmed(
        world, as_user, submit):
    city = rule_to_pupr(world)
    ruled = submit(addressed_agency=world.pemkot, region=city)
    unruled = submit(addressed_agency=world.pemkot, category=None, title="Lampu taman mati", body="Gelap.")
    names = submit(title="Pak Hendra menimbun karung pasir", body="Pak Hendra (0812 3456 7890) tidak membagikannya.")
    admin = as_user(world.agency_admin)
    ticked = [ruled.tracking_id, unruled.tracking_id, names.tracking_id]
    response = admin.post("/kantor/massal/verifikasi/", {
        "reports": ticked, "verify_agency": "", "verify_note": "Dicek bersama", "next": "/kantor/?tab=semua"})
    page = response.content.decode()
    assert response.status_code == 200
    shown = destinations(page)
    assert shown[ruled.tracking_id] == "Dinas PUPR Banjarbaru (saran aturan rute)"
    assert shown[unruled.tracking_id] == "Pemerintah Kota Banjarbaru (instansi yang dituju pelapor)"
    assert shown[names.tracking_id].startswith("Tidak diverifikasi di sini: menyebut orang atau data pribadi")
    assert "Verifikasi dan teruskan 2 laporan" in page and 'href="/kantor/?tab=semua"' in page
    assert all(Report.objects.get(pk=r.pk).status == Status.SUBMITTED for r in (ruled, unruled, names))

    # The page's own form, as the browser would send it: only the reports it listed as going.
    form = re.search(r'<form method="post" novalidate action="/kantor/massal/verifikasi/">(.*?)</form>', page, re.S)
    fields = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form.group(1))
    data = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    assert sorted(data["reports"]) == sorted([ruled.tracking_id, unruled.tracking_id])
    assert data["verify_note"] == ["Dicek bersama"]
    response = admin.post("/kantor/massal/verifikasi/", data)
    assert response.status_code == 302 and response["Location"] == "/kantor/?tab=semua"
    assert Report.objects.get(pk=ruled.pk).assigned_agency == world.pupr
    assert Report.objects.get(pk=unruled.pk).assigned_agency == world.pemkot
    assert Report.objects.get(pk=ruled.pk).events.get(action="verify").text == "Dicek bersama"
    assert Report.objects.get(pk=names.pk).status == Status.SUBMITTED


def test_bulk_verification_to_one_chosen_agency_lists_it_for_every_report(world, as_user, submit):
    first, second = submit(), submit(title="Jalan amblas di Jl. Trikora")
    page = as_user(world.agency_admin).post("/kantor/massal/verifikasi/", {
        "reports": [first.tracking_id, second.tracking_id], "verify_agency": world.dinkes.pk}).content.decode()
    assert destinations(page) == {first.tracking_id: "Dinas Kesehatan Banjarbaru",
                                  second.tracking_id: "Dinas Kesehatan Banjarbaru"}
    assert f'name="verify_agency" value="{world.dinkes.pk}"' in page
    assert Report.objects.get(pk=first.pk).status == Status.SUBMITTED


def test_after_verifying_the_next_waiting_report_is_focused_on_the_page_it_lands_on(world, as_user, submit):
    first, second, third = (submit(title=f"Jalan berlubang di gang {n}") for n in (1, 2, 3))
    admin = as_user(world.agency_admin)
    inbox = admin.get("/kantor/").content.decode()
    order = re.findall(r'href="/kantor/laporan/(\d+)/"', inbox)  # the queue's order
    head, following = order[0], order[1]

    response = admin.post(f"/kantor/laporan/{head}/tindakan/verifikasi/", {
        "verify-title": "Jalan berlubang", "verify-agency": world.pupr.pk})
    assert response.status_code == 302
    page = admin.get(response["Location"]).content.decode()
    assert "Laporan diverifikasi dan didisposisikan" in page
    link = re.search(r'<a href="/kantor/laporan/(\d+)/" rel="next" id="laporan-berikutnya"( autofocus)?>', page)
    assert link is not None and link.group(1) == following and link.group(2) == " autofocus"
    assert Report.objects.get(tracking_id=head).status == Status.DISPATCHED
    assert {first.tracking_id, second.tracking_id, third.tracking_id} == set(order[:3])


def test_a_report_opened_from_the_inbox_offers_the_one_after_it_without_taking_the_focus(world, as_user, submit):
    for n in (1, 2, 3):
        submit(title=f"Jalan berlubang di gang {n}")
    admin = as_user(world.agency_admin)
    order = re.findall(r'href="/kantor/laporan/(\d+)/"', admin.get("/kantor/").content.decode())
    page = admin.get(f"/kantor/laporan/{order[1]}/").content.decode()
    link = re.search(r'<a href="/kantor/laporan/(\d+)/" rel="next" id="laporan-berikutnya"( autofocus)?>', page)
    assert link.group(1) == order[2] and link.group(2) is None
    # The last one goes round to the first.
    page = admin.get(f"/kantor/laporan/{order[2]}/").content.decode()
    assert re.search(r'<a href="/kantor/laporan/(\d+)/" rel="next"', page).group(1) == order[0]


def test_the_last_report_waiting_offers_no_next_one(world, as_user, submit):
    report = submit()
    admin = as_user(world.agency_admin)
    response = admin.post(f"/kantor/laporan/{report.tracking_id}/tindakan/arsipkan/", {"archive-reason": "spam"})
    page = admin.get(response["Location"]).content.decode()
    assert "Laporan diarsipkan." in page and 'rel="next"' not in page


def test_a_refused_verification_opens_with_the_cursor_in_the_wrong_field_and_what_was_typed(world, as_user, submit):
    report = submit()
    response = as_user(world.agency_admin).post(f"/kantor/laporan/{report.tracking_id}/tindakan/verifikasi/", {
        "verify-title": "Jalan berlubang dekat SDN 1", "verify-agency": world.pupr.pk, "verify-region": "99.99",
        "verify-note": "Sudah dicek lewat telepon"})
    page = response.content.decode()
    assert response.status_code == 400
    region = re.search(r'<input[^>]*name="verify-region"[^>]*>', page).group(0)
    assert "autofocus" in region
    assert page.count("autofocus") == 1
    assert "Jalan berlubang dekat SDN 1" in page and "Sudah dicek lewat telepon" in page


def test_an_empty_return_opens_with_the_cursor_in_what_is_missing(world, as_user, submit):
    report = submit()
    response = as_user(world.agency_admin).post(f"/kantor/laporan/{report.tracking_id}/tindakan/kembalikan/",
                                                {"return-missing": ""})
    page = response.content.decode()
    assert response.status_code == 400
    assert "autofocus" in re.search(r'<textarea[^>]*name="return-missing"[^>]*>', page).group(0)


def test_a_rule_naming_another_government_is_said_beside_the_choice(world, as_user, submit):
    banjar = RegionFactory(code="63.03", name="Kabupaten Banjar")
    RoutingRule.objects.create(category=world.category, region=banjar, agency=world.pupr_banjar)
    report = submit(addressed_agency=world.pemkot, region=banjar)
    page = as_user(world.agency_admin).get(f"/kantor/laporan/{report.tracking_id}/").content.decode()
    assert selected_agency(page) == str(world.pemkot.pk)
    assert "Aturan rute untuk kategori dan wilayah laporan ini menyarankan Dinas PUPR Banjar" in page


def opened_action(page: str) -> str:
    """The slug of the action the workspace opens (the first <details open>)."""
    return re.search(r'<details class="action card" id="aksi-([\w-]+)" open>', page).group(1)


def test_after_verifying_the_page_opens_the_disposition_not_the_duplicate_form(world, as_user, submit):
    report = submit()
    admin = as_user(world.agency_admin)
    response = admin.post(f"/kantor/laporan/{report.tracking_id}/tindakan/verifikasi/", {
        "verify-title": report.title, "verify-agency": world.pemkot.pk})
    page = admin.get(response["Location"]).content.decode()
    assert opened_action(page) == "disposisi"
    assert 'id="aksi-duplikat"' in page  # still offered, below
    assert page.index('id="aksi-disposisi"') < page.index('id="aksi-duplikat"')


def test_after_the_national_admin_verifies_the_page_opens_the_transfer_form(world, as_user, submit):
    report = submit()
    admin = as_user(world.national_admin)
    response = admin.post(f"/kantor/laporan/{report.tracking_id}/tindakan/verifikasi/", {
        "verify-title": report.title, "verify-agency": world.pupr.pk})
    assert opened_action(admin.get(response["Location"]).content.decode()) == "limpahkan"


def test_a_report_handed_back_as_not_the_agencys_opens_the_transfer_form(world, as_user, submit):
    from lapor.reports import services

    report = submit(verify_to=world.pupr)
    services.report_not_our_authority(report=report, by=world.unit_admin, reason="Jalan kabupaten.")
    page = as_user(world.agency_admin).get(f"/kantor/laporan/{report.tracking_id}/").content.decode()
    assert opened_action(page) == "limpahkan"


def test_perbarui_saran_redraws_the_suggestion_for_the_category_chosen_and_keeps_what_was_typed(
        world, as_user, submit):
    city = rule_to_pupr(world)
    health = CategoryFactory(name="Puskesmas")
    RoutingRule.objects.create(category=health, region=city, agency=world.dinkes)
    report = submit(addressed_agency=world.pemkot, region=city)
    admin = as_user(world.agency_admin)
    url = f"/kantor/laporan/{report.tracking_id}/tindakan/verifikasi/"
    response = admin.post(url, {
        "verify-title": "Antrean puskesmas panjang", "verify-category": health.pk, "verify-region": "",
        "verify-agency": world.pupr.pk, "verify-is_confidential": "on", "verify-note": "Ditelepon pukul 9",
        "verify-refresh": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert selected_agency(page) == str(world.dinkes.pk)
    assert "autofocus" in re.search(r'<select name="verify-agency"[^>]*>', page).group(0)
    assert "Saran instansi tujuan diperbarui" in page and "Laporan belum diverifikasi." in page
    # What was typed and chosen is still there, and nothing happened to the report.
    assert 'value="Antrean puskesmas panjang"' in page and "Ditelepon pukul 9</textarea>" in page
    assert re.search(rf'<option value="{health.pk}" selected>', page)
    assert re.search(r'<input type="checkbox" name="verify-is_confidential"[^>]*checked', page)
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED and report.category == world.category and not report.events.filter(
        action="verify").exists()


def test_perbarui_saran_with_a_wrong_region_says_so_beside_it_and_still_follows_the_category(
        world, as_user, submit):
    city = rule_to_pupr(world)
    health = CategoryFactory(name="Puskesmas")
    RoutingRule.objects.create(category=health, region=city, agency=world.dinkes)
    report = submit(region=city)
    response = as_user(world.agency_admin).post(f"/kantor/laporan/{report.tracking_id}/tindakan/verifikasi/", {
        "verify-title": report.title, "verify-category": health.pk, "verify-region": "99.99",
        "verify-agency": world.pupr.pk, "verify-refresh": "1"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "autofocus" in re.search(r'<input[^>]*name="verify-region"[^>]*>', page).group(0)
    assert selected_agency(page) == str(world.dinkes.pk)  # by the report's own region meanwhile
    assert Report.objects.get(pk=report.pk).status == Status.SUBMITTED


def inbox_order(client, **filters) -> list[str]:
    page = client.get("/kantor/", filters).content.decode()
    return re.findall(r'<td class="title"><a href="/kantor/laporan/(\d+)/"', page)


def next_link(page: str) -> str:
    return re.search(r'<a href="([^"]+)" rel="next" id="laporan-berikutnya"', page).group(1).replace("&amp;", "&")


def test_the_next_report_follows_the_filtered_inbox_the_verifier_came_from(world, as_user, submit):
    lights = CategoryFactory(name="Penerangan Jalan")
    roads = [submit(title=f"Jalan berlubang di gang {n}") for n in (1, 2, 3)]
    lamps = [submit(title=f"Lampu jalan mati di gang {n}", category=lights) for n in (1, 2, 3)]
    admin = as_user(world.agency_admin)
    order = inbox_order(admin, tab="saya", category=lights.pk)
    assert sorted(order) == sorted(r.tracking_id for r in lamps)
    # Opened from the filtered inbox: the next one is the filter's next, and carries it on.
    inbox = f"http://testserver/kantor/?tab=saya&category={lights.pk}&q=&halaman=1"
    page = admin.get(f"/kantor/laporan/{order[0]}/", HTTP_REFERER=inbox).content.decode()
    carried = f"kotak=tab%3Dsaya%26category%3D{lights.pk}"
    assert next_link(page) == f"/kantor/laporan/{order[1]}/?{carried}"
    assert f'href="/kantor/?tab=saya&amp;category={lights.pk}"' in page  # back to the same view
    page = admin.get(next_link(page)).content.decode()
    assert next_link(page) == f"/kantor/laporan/{order[2]}/?{carried}"

    # After an action, the page it lands on offers the filter's next report, focused.
    response = admin.post(f"/kantor/laporan/{order[1]}/tindakan/verifikasi/?{carried}", {
        "verify-title": "Lampu jalan mati", "verify-agency": world.pupr.pk})
    assert response["Location"] == f"/kantor/laporan/{order[1]}/?lanjut={order[2]}&{carried}"
    page = admin.get(response["Location"]).content.decode()
    assert next_link(page) == f"/kantor/laporan/{order[2]}/?{carried}"
    assert re.search(r'id="laporan-berikutnya" autofocus', page)
    # Opened from anywhere else, it is "Menunggu saya", as before: the road reports too.
    everything = inbox_order(admin, tab="saya")
    place = everything.index(order[2])
    page = admin.get(f"/kantor/laporan/{order[2]}/").content.decode()
    assert "kotak=" not in page
    assert next_link(page) == f"/kantor/laporan/{everything[(place + 1) % len(everything)]}/"
    assert {r.tracking_id for r in roads} <= set(everything)


def test_a_filter_carried_in_the_link_costs_no_query_per_report_in_the_queue(
        world, as_user, submit, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    lights = CategoryFactory(name="Penerangan Jalan")
    admin = as_user(world.agency_admin)
    first = submit(title="Lampu jalan mati di gang 1", category=lights)
    submit(title="Lampu jalan mati di gang 2", category=lights)
    url = f"/kantor/laporan/{first.tracking_id}/?kotak=tab%3Dsemua%26category%3D{lights.pk}"
    admin.get(url)
    with CaptureQueriesContext(connection) as few:
        admin.get(url)
    for n in range(3, 30):
        submit(title=f"Lampu jalan mati di gang {n}", category=lights)
    with django_assert_max_num_queries(len(few)):
        page = admin.get(url).content.decode()
    assert next_link(page).endswith(f"?kotak=tab%3Dsemua%26category%3D{lights.pk}")


def test_a_filter_value_the_inbox_cannot_read_is_dropped_not_a_500(world, as_user, submit):
    first, second = submit(), submit(title="Jalan amblas di Jl. Trikora")
    page = as_user(world.agency_admin).get(
        f"/kantor/laporan/{first.tracking_id}/?kotak=category%3Dabc%26date_from%3Dkemarin%26unit%3D999999")
    assert page.status_code == 200
    assert next_link(page.content.decode()).startswith(f"/kantor/laporan/{second.tracking_id}/?kotak=")


def test_approving_a_draft_lands_on_the_report_with_the_next_one_focused(world, as_user, submit):
    from lapor.reports import drafts

    report, waiting = submit(verify_to=world.pupr), submit(verify_to=world.pupr, title="Jalan amblas")
    draft = drafts.draft_answer(report=report, by=world.officer, body="Lubang sudah ditambal.")
    admin = as_user(world.unit_admin)
    response = admin.post(f"/kantor/laporan/{report.tracking_id}/draf/{draft.pk}/setujui/",
                          {"approve-body": "Lubang sudah ditambal."})
    assert response["Location"] == f"/kantor/laporan/{report.tracking_id}/?lanjut={waiting.tracking_id}"
    page = admin.get(response["Location"]).content.decode()
    assert "Draf disetujui" in page
    assert re.search(rf'<a href="/kantor/laporan/{waiting.tracking_id}/" rel="next" id="laporan-berikutnya" '
                     r'autofocus>', page)


def test_after_a_transfer_the_message_says_which_report_left_the_queue_and_where_it_went(world, as_user, submit):
    report, waiting = submit(verify_to=world.pemkot), submit(verify_to=world.pemkot, title="Jalan amblas")
    admin = as_user(world.agency_admin)
    response = admin.post(f"/kantor/laporan/{report.tracking_id}/tindakan/limpahkan/", {
        "transfer-agency": world.pupr_banjar.pk, "transfer-reason": "Jalan kabupaten."}, follow=True)
    page = response.content.decode()
    # The report left this agency's work: the message says which one went where, and the
    # next report waiting is offered.
    assert next_link(page) == f"/kantor/laporan/{waiting.tracking_id}/"
    assert (f"Laporan #{report.tracking_id} dilimpahkan ke Dinas PUPR Banjar dan keluar dari daftar kerja "
            "Pemerintah Kota Banjarbaru.") in page


def test_after_an_unverified_report_is_passed_on_the_message_says_whose_verification_queue_it_left(
        world, as_user, submit):
    report = submit()
    response = as_user(world.national_admin).post(f"/kantor/laporan/{report.tracking_id}/tindakan/limpahkan/", {
        "transfer-agency": world.pemkab.pk, "transfer-reason": "Wilayah kabupaten."}, follow=True)
    assert (f"Laporan #{report.tracking_id} diteruskan ke Pemerintah Kabupaten Banjar untuk diverifikasi di sana "
            "dan keluar dari antrean verifikasi Pemerintah Kota Banjarbaru.") in response.content.decode()
