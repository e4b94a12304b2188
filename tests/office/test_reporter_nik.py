"""The reporter's NIK in the workspace (SPEC §5; UU 27/2022, only the personal data a task
needs): those who route and handle the report read it in full; supervisors, who watch the
handling and may call the reporter, read it masked; nobody else reads it at all."""
import pytest

NIK = "6372024107900001"
MASKED = "637202••••••0001"


@pytest.fixture
def report(world, submit):
    return submit(verify_to=world.pupr)


@pytest.mark.parametrize("persona", ["agency_admin", "unit_admin", "officer", "national_admin", "custodian"])
def test_those_who_route_or_handle_the_report_read_the_nik_in_full(world, as_user, report, persona):
    page = as_user(getattr(world, persona)).get(f"/kantor/laporan/{report.tracking_id}/").content.decode()
    assert f"NIK: {NIK}" in page


@pytest.mark.parametrize("persona", ["inspector", "ombudsman_officer"])
def test_supervisors_read_the_name_and_contacts_but_the_nik_masked(world, as_user, report, persona):
    response = as_user(getattr(world, persona)).get(f"/kantor/laporan/{report.tracking_id}/")
    page = response.content.decode()
    assert response.status_code == 200 and "Siti Rahmawati" in page
    assert f"NIK: {MASKED}" in page and NIK not in page


@pytest.mark.parametrize("persona", ["other_unit_officer", "other_agency_officer", "other_inspector"])
def test_staff_outside_the_report_read_no_nik(world, as_user, report, persona):
    page = as_user(getattr(world, persona)).get(f"/kantor/laporan/{report.tracking_id}/").content.decode()
    assert NIK not in page and MASKED not in page
