"""Supervisors drill down into the units they oversee, confidential reports included."""
from django.utils import timezone

from tests.office.staff import sign_in

from . import expected


def test_the_inspectorate_sees_its_city_units_with_confidential_reports_counted(stories, world, client):
    sign_in(client, world.inspector)
    response = client.get("/kinerja/pengawasan/")
    assert response.status_code == 200
    blocks = response.context["blocks"]
    assert [b["agency"] for b in blocks] == [world.pemkot]
    mine = [s for s in stories if s.root == world.pemkot and s.fate != "archived"]
    want = expected.compliance(mine, now=timezone.now(), key=lambda s: s.unit.pk)
    got = {r.agency.pk: r for r in blocks[0]["rows"]}
    assert {pk: (r.received, r.on_time, r.due) for pk, r in got.items()} == {
        pk: (w["received"], w["on_time"], w["due"]) for pk, w in want.items()}
    late = {s.report.tracking_id for s in mine if s.final_status == "dispatched"}
    assert {r.tracking_id for r in blocks[0]["overdue"]} == late


def test_a_confidential_late_report_is_named_to_its_supervisor_only(stories, world, client):
    secret = next((s for s in stories if s.confidential and s.final_status == "dispatched"), None)
    if secret is None:  # the seed decides; make one
        from lapor.reports import services

        r = services.report_submit(reporter=world.citizen, title="Rahasia", body="x", is_confidential=True,
                                   addressed_agency=world.pupr, now=stories[0].submitted)
        services.report_verify(report=r, by=world.national_admin, now=stories[0].submitted)
        tracking_id, root = r.tracking_id, world.pemkot
    else:
        tracking_id, root = secret.report.tracking_id, secret.root
    inspector = world.inspector if root == world.pemkot else world.other_inspector
    sign_in(client, inspector)
    assert tracking_id in client.get("/kinerja/pengawasan/").content.decode()
    client.force_login(world.citizen)
    assert client.get("/kinerja/pengawasan/").status_code == 403
    sign_in(client, inspector, second_factor=False)  # a password alone: sent to the second factor
    assert client.get("/kinerja/pengawasan/")["Location"].startswith("/akun/2fa/")
    client.logout()
    assert tracking_id not in client.get("/kinerja/").content.decode()


def test_another_regencys_inspectorate_does_not_see_the_city(stories, world, client):
    sign_in(client, world.other_inspector)
    blocks = client.get("/kinerja/pengawasan/").context["blocks"]
    assert [b["agency"] for b in blocks] == [world.pemkab]


def test_the_ombudsman_oversees_both_governments(stories, world, client):
    sign_in(client, world.ombudsman_officer)
    blocks = client.get("/kinerja/pengawasan/").context["blocks"]
    assert {b["agency"] for b in blocks} == {world.pemkot, world.pemkab}
