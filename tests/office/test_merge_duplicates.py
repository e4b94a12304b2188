"""The workspace merges a verified repeat into its original (SPEC §8), with the form it has
for duplicates before verification; closing it as "Selesai" was the only way out."""
from lapor.reports import services
from lapor.reports.enums import ArchiveReason, Status
from lapor.reports.models import Report

from .test_workspace_actions import url


def fresh(report):
    return Report.objects.get(pk=report.pk)


def surge(submit, world):
    """The original and a repeat of it a few metres away, both verified to Dinas PUPR."""
    original = submit(verify_to=world.pupr, title="Banjir Jl. Karang Anyar dekat sekolah",
                      latitude=-3.44, longitude=114.83)
    repeat = submit(verify_to=world.pupr, title="Jl. Karang Anyar banjir dekat sekolah",
                    latitude=-3.4401, longitude=114.8301)
    return original, repeat


def test_the_agency_admin_is_offered_the_original_and_merges_the_verified_repeat(world, as_user, submit):
    original, repeat = surge(submit, world)
    admin = as_user(world.agency_admin)
    page = admin.get(url(repeat)).content.decode()
    assert "/tindakan/duplikat/" in page and f'value="{original.tracking_id}"' in page
    assert "Dukungannya dipindahkan ke laporan asli" in page  # what merging does, said before it is done

    response = admin.post(url(repeat, "duplikat"), {"duplicate-suggestion": original.tracking_id})

    assert response.status_code == 302
    repeat = fresh(repeat)
    assert (repeat.status, repeat.archive_reason, repeat.duplicate_of) == (
        Status.ARCHIVED, ArchiveReason.DUPLICATE, original)
    # Its history names the original, with a link to it.
    page = admin.get(url(repeat)).content.decode()
    assert f'Duplikat dari <a href="{url(original)}">#{original.tracking_id}</a>' in page


def test_the_unit_admin_is_not_offered_it_and_is_refused(world, as_user, submit):
    original, repeat = surge(submit, world)
    unit_admin = as_user(world.unit_admin)
    assert "/tindakan/duplikat/" not in unit_admin.get(url(repeat)).content.decode()
    response = unit_admin.post(url(repeat, "duplikat"), {"duplicate-original": original.tracking_id})
    assert response.status_code == 403
    assert fresh(repeat).status == Status.DISPATCHED


def test_an_answered_repeat_is_not_offered_it_and_is_refused(world, as_user, submit):
    original, repeat = surge(submit, world)
    services.report_answer(report=repeat, by=world.unit_admin, body="Pompa dikirim.")
    services.report_reply(report=fresh(repeat), by=world.citizen, text="Masih banjir.")
    admin = as_user(world.agency_admin)
    assert "/tindakan/duplikat/" not in admin.get(url(repeat)).content.decode()
    response = admin.post(url(repeat, "duplikat"), {"duplicate-original": original.tracking_id})
    assert response.status_code == 403  # its answer is on record: closing is the way
    assert "/tindakan/tutup/" in response.content.decode()
    assert fresh(repeat).status == Status.DISPATCHED


def test_an_unverified_report_is_not_offered_as_the_original_of_a_verified_one(world, as_user, submit):
    unverified = submit(title="Banjir Jl. Karang Anyar dekat sekolah", latitude=-3.44, longitude=114.83)
    repeat = submit(verify_to=world.pupr, title="Jl. Karang Anyar banjir dekat sekolah",
                    latitude=-3.4401, longitude=114.8301)
    admin = as_user(world.agency_admin)
    assert f'value="{unverified.tracking_id}"' not in admin.get(url(repeat)).content.decode()
    response = admin.post(url(repeat, "duplikat"), {"duplicate-original": unverified.tracking_id})
    assert response.status_code == 400
    assert "juga sudah diverifikasi" in response.content.decode()
    assert fresh(repeat).status == Status.DISPATCHED
