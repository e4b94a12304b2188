"""Verifying many reports at once (SPEC §8, bulk actions): a surge after a flood brings
dozens of clear reports; the router verifies them in one go, each through its own rules,
while a report that names people is left for its own page, where it is offered as
confidential (SPEC §12: the safe choice is the default)."""
from lapor.reports.enums import Action, Status
from lapor.reports.models import Report


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
        "confirm": "1", "reports": ticked, "verify_agency": world.pupr.pk, "verify_note": "Banjir Martapura"},
        follow=True)
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
                                                                    "verify_agency": ""})
    report.refresh_from_db()
    assert report.status == Status.DISPATCHED and report.assigned_agency == world.pemkot


def test_a_report_already_marked_confidential_is_verified_in_bulk_without_being_published(world, as_user, submit):
    report = submit(title="Oknum Pak Hendra meminta uang", body="Di kantor kelurahan.", is_confidential=True)
    as_user(world.agency_admin).post("/kantor/massal/verifikasi/", {"confirm": "1", "reports": [report.tracking_id],
                                                                    "verify_agency": world.pupr.pk})
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
                                              "verify_agency": world.pupr_banjar.pk})
    assert Report.objects.get(pk=mine.pk).status == Status.SUBMITTED  # not an agency of theirs: the choice refused


def test_officers_and_supervisors_get_no_bulk_verification(world, as_user, submit):
    report = submit()
    for person in (world.officer, world.unit_admin, world.inspector, world.custodian):
        page = as_user(person).get("/kantor/", {"tab": "semua"}).content.decode()
        assert "massal/verifikasi" not in page
        as_user(person).post("/kantor/massal/verifikasi/", {"confirm": "1", "reports": [report.tracking_id],
                                                            "verify_agency": ""})
        assert Report.objects.get(pk=report.pk).status == Status.SUBMITTED
