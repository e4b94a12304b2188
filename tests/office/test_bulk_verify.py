"""Verifying many reports at once (SPEC §8, bulk actions): a surge after a flood brings
dozens of clear reports; the router verifies them in one go, each through its own rules,
while a report that names people is left for its own page, where it is offered as
confidential (SPEC §12: the safe choice is the default)."""
import re

from lapor.agencies.models import RoutingRule
from lapor.reports.enums import Action, Status
from lapor.reports.models import Report
from tests.factories import RegionFactory

URL = "/kantor/massal/verifikasi/"


def confirmed_to(agency, *reports) -> dict:
    """The confirmation page's hidden fields: each of ``reports`` confirmed to go to ``agency``."""
    return {f"tujuan-{report.tracking_id}": agency.pk for report in reports}


def test_an_agency_admin_verifies_ticked_reports_to_one_unit_and_is_told_how_each_went(world, as_user, submit):
    flooded = [submit(title=f"Banjir setinggi lutut di Jl. A. Yani km {km}", body="Air masuk rumah warga.")
               for km in (31, 32)]
    names = submit(title="Pak Hendra, Ketua RT 05, menimbun karung pasir",
                   body="Pak Hendra (0812 3456 7890) tidak membagikannya.")
    already = submit(verify_to=world.pupr)
    admin = as_user(world.agency_admin)
    page = admin.get("/kantor/").content.decode()
    assert "Verifikasi yang dipilih" in page and all(f'value="{r.tracking_id}"' in page for r in flooded)

    ticked = [r.tracking_id for r in (*flooded, names, already)]
    response = admin.post("/kantor/massal/verifikasi/", {
        "confirm": "1", "reports": ticked, "verify_agency": world.pupr.pk, "verify_note": "Banjir Martapura",
        **confirmed_to(world.pupr, *flooded, names, already)}, follow=True)
    page = response.content.decode()

    for report in flooded:
        report.refresh_from_db()
        assert (report.status, report.assigned_agency) == (Status.DISPATCHED, world.pupr)
        assert report.is_published and report.due_at is not None
        assert report.events.get(action=Action.VERIFY).text == "Banjir Martapura"
        assert f"#{report.tracking_id} diverifikasi dan diteruskan ke Dinas PUPR Banjarbaru" in page
    assert Report.objects.get(pk=names.pk).status == Status.SUBMITTED and not Report.objects.get(pk=names.pk).is_published
    assert f"#{names.tracking_id}: menyebut orang atau data pribadi" in page
    assert f"#{already.tracking_id}: " in page  # refused (verified already), not read as done


def test_left_empty_each_report_goes_to_the_agency_it_was_sent_to(world, as_user, submit):
    report = submit(addressed_agency=world.pemkot)
    as_user(world.agency_admin).post("/kantor/massal/verifikasi/", {"confirm": "1", "reports": [report.tracking_id],
                                                                    "verify_agency": "",
                                                                    **confirmed_to(world.pemkot, report)})
    report.refresh_from_db()
    assert report.status == Status.DISPATCHED and report.assigned_agency == world.pemkot


def test_a_report_already_marked_confidential_is_verified_in_bulk_without_being_published(world, as_user, submit):
    report = submit(title="Oknum Pak Hendra meminta uang", body="Di kantor kelurahan.", is_confidential=True)
    as_user(world.agency_admin).post("/kantor/massal/verifikasi/", {"confirm": "1", "reports": [report.tracking_id],
                                                                    "verify_agency": world.pupr.pk,
                                                                    **confirmed_to(world.pupr, report)})
    report.refresh_from_db()
    assert report.status == Status.DISPATCHED and not report.is_published


def test_bulk_verification_reaches_no_report_or_agency_outside_the_admins_scope(world, as_user, submit):
    elsewhere = submit(addressed_agency=world.pemkab)
    mine = submit()
    admin = as_user(world.agency_admin)
    response = admin.post("/kantor/massal/verifikasi/", {"confirm": "1", "reports": [elsewhere.tracking_id],
                                                          "verify_agency": ""}, follow=True)
    assert f"#{elsewhere.tracking_id}: laporan tidak ditemukan" in response.content.decode()
    assert Report.objects.get(pk=elsewhere.pk).status == Status.SUBMITTED
    admin.post("/kantor/massal/verifikasi/", {"confirm": "1", "reports": [mine.tracking_id],
                                              "verify_agency": world.pupr_banjar.pk,
                                              **confirmed_to(world.pupr_banjar, mine)})
    assert Report.objects.get(pk=mine.pk).status == Status.SUBMITTED  # not an agency of theirs: the choice refused


def test_officers_and_supervisors_get_no_bulk_verification(world, as_user, submit):
    report = submit()
    for person in (world.officer, world.unit_admin, world.inspector, world.custodian):
        page = as_user(person).get("/kantor/", {"tab": "semua"}).content.decode()
        assert "massal/verifikasi" not in page
        as_user(person).post("/kantor/massal/verifikasi/", {"confirm": "1", "reports": [report.tracking_id],
                                                            "verify_agency": "", **confirmed_to(world.pemkot, report)})
        assert Report.objects.get(pk=report.pk).status == Status.SUBMITTED


def confirmation_form(page: str) -> dict:
    """What the confirmation page's button sends, as the browser would send it."""
    form = re.search(r'<form method="post" novalidate action="/kantor/massal/verifikasi/">(.*?)</form>', page, re.S)
    data = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form.group(1)):
        data.setdefault(name, []).append(value)
    return data


def test_a_report_whose_routing_changed_after_it_was_confirmed_is_not_verified_and_says_why(world, as_user, submit):
    city = RegionFactory(code="63.72", name="Kota Banjarbaru")
    rule = RoutingRule.objects.create(category=world.category, region=city, agency=world.pupr)
    ruled = submit(region=city)
    plain = submit(category=None, title="Lampu taman mati", body="Gelap.")
    admin = as_user(world.agency_admin)
    page = admin.post(URL, {"reports": [ruled.tracking_id, plain.tracking_id], "verify_agency": ""}).content.decode()
    assert "Dinas PUPR Banjarbaru" in page  # what the router confirms
    # Meanwhile another admin routes the topic to the health office.
    rule.agency = world.dinkes
    rule.save()

    sent = admin.post(URL, confirmation_form(page), follow=True).content.decode()

    assert Report.objects.get(pk=ruled.pk).status == Status.SUBMITTED
    assert (f"#{ruled.tracking_id}: tujuan berubah sejak konfirmasi: kini Dinas Kesehatan Banjarbaru, bukan "
            "Dinas PUPR Banjarbaru.") in sent
    assert Report.objects.get(pk=plain.pk).assigned_agency == world.pemkot  # the others go as confirmed
    assert f"#{plain.tracking_id} diverifikasi dan diteruskan ke Pemerintah Kota Banjarbaru" in sent


def test_a_destination_tampered_with_is_refused_and_the_others_go(world, as_user, submit):
    reports = [submit(title=f"Jalan berlubang di gang {n}") for n in range(4)]
    admin = as_user(world.agency_admin)
    page = admin.post(URL, {"reports": [r.tracking_id for r in reports], "verify_agency": ""}).content.decode()
    data = confirmation_form(page)
    data[f"tujuan-{reports[0].tracking_id}"] = [str(world.pupr_banjar.pk)]  # another government's agency
    data[f"tujuan-{reports[1].tracking_id}"] = ["abc"]
    data[f"tujuan-{reports[2].tracking_id}"] = ["9" * 30]

    response = admin.post(URL, data, follow=True)

    assert response.status_code == 200
    sent = response.content.decode()
    for report in reports[:3]:
        assert f"#{report.tracking_id}: instansi tujuan yang dikirim bukan instansi yang dapat Anda tuju" in sent
        assert Report.objects.get(pk=report.pk).status == Status.SUBMITTED
    assert Report.objects.get(pk=reports[3].pk).assigned_agency == world.pemkot


def test_a_report_sent_without_the_destination_it_was_confirmed_with_is_not_verified(world, as_user, submit):
    report = submit()
    sent = as_user(world.agency_admin).post(URL, {"confirm": "1", "reports": [report.tracking_id],
                                                  "verify_agency": ""}, follow=True).content.decode()
    assert f"#{report.tracking_id}: tujuannya belum diperiksa di halaman konfirmasi" in sent
    assert Report.objects.get(pk=report.pk).status == Status.SUBMITTED


def test_the_sending_refuses_a_report_with_no_destination_in_the_words_of_the_confirmation_page(
        world, as_user, submit):
    report = submit(addressed_agency=None, category=None, title="Lampu taman mati", body="Gelap.")
    admin = as_user(world.national_admin)
    said = "belum ada instansi tujuan; pilih satu di kotak masuk atau verifikasi dari halaman laporannya."
    page = admin.post(URL, {"reports": [report.tracking_id], "verify_agency": ""}).content.decode()
    assert said in page and "Verifikasi dan teruskan" not in page

    sent = admin.post(URL, {"confirm": "1", "reports": [report.tracking_id], "verify_agency": "",
                            **confirmed_to(world.pemkot, report)}, follow=True).content.decode()

    assert f"#{report.tracking_id}: {said}" in sent
    assert Report.objects.get(pk=report.pk).status == Status.SUBMITTED


def test_the_report_page_and_bulk_verification_read_one_rule_of_who_would_be_published_named(
        world, as_user, submit):
    from lapor.reports.sensitivity import published_naming_people

    text = "Pak Hendra (0812 3456 7890) menimbun karung pasir."
    named = {submit(body=text): True, submit(body=text, is_anonymous=True): False,
             submit(body=text, is_confidential=True): False, submit(): False}
    assert {r.tracking_id: published_naming_people(r) for r in named} == {r.tracking_id: v for r, v in named.items()}
    admin = as_user(world.agency_admin)
    page = admin.post(URL, {"reports": [r.tracking_id for r in named], "verify_agency": ""}).content.decode()
    rows = dict(re.findall(r'<td class="title">#(\d+).*?</td>.*?<td data-label="Diteruskan ke">(.*?)</td>', page, re.S))
    for report, expected in named.items():
        assert ("menyebut orang atau data pribadi" in rows[report.tracking_id]) is expected
        verify_form = admin.get(f"/kantor/laporan/{report.tracking_id}/").content.decode()
        [box] = [b for b in re.findall(r'<input[^>]*name="verify-is_confidential"[^>]*>', verify_form)
                 if 'type="checkbox"' in b]
        # Offered as confidential when it would be published naming people (or is confidential already).
        assert (" checked" in box) is (expected or report.is_confidential)
