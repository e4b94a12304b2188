"""The verifier's queue (SPEC §8): a national or agency admin routes hundreds of new
reports a day. What the verify form offers is the routing rule's OPD when the citizen
named only the government (or the wrong OPD of it); the next report waiting is one key
away after each action; a refused form opens with the cursor in its wrong field."""
import re

from lapor.agencies.models import RoutingRule
from lapor.reports.enums import Kind, Status
from lapor.reports.models import Report
from tests.factories import RegionFactory


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
        "reports": [ruled.tracking_id, unruled.tracking_id], "verify_agency": ""})
    assert Report.objects.get(pk=ruled.pk).assigned_agency == world.pupr
    assert Report.objects.get(pk=unruled.pk).assigned_agency == world.pemkot


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
