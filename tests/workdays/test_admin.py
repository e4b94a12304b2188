"""Administrators keep the overrides in the Django admin."""

import datetime

import pytest

from lapor.workdays.calendar import is_working_day
from lapor.workdays.models import WorkdayOverride

pytestmark = pytest.mark.django_db


def test_an_administrator_can_filter_the_overrides_by_year(admin_client):
    WorkdayOverride.objects.create(date=datetime.date(2026, 3, 25), is_working_day=False, note="Libur daerah 2026")
    WorkdayOverride.objects.create(date=datetime.date(2027, 3, 25), is_working_day=False, note="Libur daerah 2027")

    response = admin_client.get("/admin/workdays/workdayoverride/", {"year": "2027"})

    assert response.status_code == 200
    assert "Libur daerah 2027" in response.text
    assert "Libur daerah 2026" not in response.text


def test_deleting_overrides_from_the_admin_list_reaches_the_calendar(admin_client):
    override = WorkdayOverride.objects.create(date=datetime.date(2026, 3, 25), is_working_day=False, note="x")
    assert not is_working_day(datetime.date(2026, 3, 25))

    response = admin_client.post(
        "/admin/workdays/workdayoverride/",
        {"action": "delete_selected", "_selected_action": [override.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert is_working_day(datetime.date(2026, 3, 25))


@pytest.mark.parametrize("year", ["abc", "0", "123456"])
def test_an_edited_year_in_the_address_is_refused_by_the_list_not_a_server_error(admin_client, year):
    WorkdayOverride.objects.create(date=datetime.date(2026, 3, 25), is_working_day=False, note="Libur daerah 2026")

    response = admin_client.get("/admin/workdays/workdayoverride/", {"year": year})

    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")
