"""The staff API merges a verified repeat into its original, as the workspace does (SPEC §8)."""
from lapor.following.models import Follow
from lapor.reports import services
from lapor.reports.enums import Status

from .test_staff_actions import act, dispatched, fresh, history, read


def test_an_agency_admin_merges_a_dispatched_repeat_into_its_original(world, api):
    original = dispatched(world)
    repeat = dispatched(world)
    answer = act(api(world.agency_admin), repeat, "duplicate", {"original": f"#{original.tracking_id}"})
    assert answer.status_code == 200, answer.json()
    assert (answer.json()["status"], answer.json()["archive_reason"]) == (Status.ARCHIVED, "duplicate")
    assert history(answer)[-1][0] == "mark_duplicate"
    assert fresh(repeat).duplicate_of == original
    # Gone from the public; its reporter's app says where the problem is handled now.
    assert read(api(), repeat).status_code == 404
    assert read(api(world.citizen), repeat).json()["duplicate_of"] == original.tracking_id
    assert Follow.objects.filter(report=original, user=world.citizen).exists()


def test_the_unit_admin_may_not_and_an_answered_repeat_cannot_be_merged(world, api):
    original = dispatched(world)
    repeat = dispatched(world)
    refused = act(api(world.unit_admin), repeat, "duplicate", {"original": original.tracking_id})
    assert refused.status_code == 403
    services.report_answer(report=repeat, by=world.unit_admin, body="Lampu diganti besok.")
    services.report_reply(report=fresh(repeat), by=world.citizen, text="Belum diganti.")
    answered = act(api(world.agency_admin), repeat, "duplicate", {"original": original.tracking_id})
    assert answered.status_code == 400 and answered.json()["code"] == "illegal_transition"
    assert "tutup laporan" in answered.json()["detail"]
    assert fresh(repeat).status == Status.DISPATCHED
