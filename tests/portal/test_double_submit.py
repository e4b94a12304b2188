"""The report form sent twice (a double click, a browser sending it again after a slow
answer) files one report; the same form with changed words after going back is a new one."""
import re

import pytest

from lapor.reports.models import Report

from .test_report_form import FORM


def the_form(client) -> dict:
    page = client.get("/lapor/").content.decode()
    key = re.search(r'name="form_key" value="([0-9a-f]+)"', page) or re.search(
        r'value="([0-9a-f]{32})"[^>]*name="form_key"', page)
    return {**FORM, "form_key": key.group(1)}


def test_the_same_form_sent_twice_files_one_report_and_both_land_on_its_receipt(citizen_client, world):
    form = {**the_form(citizen_client), "addressed_agency": str(world.pupr.pk), "category": str(world.category.pk)}
    first = citizen_client.post("/lapor/", form)
    again = citizen_client.post("/lapor/", form)
    report = Report.objects.get()
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"] == f"/laporan/{report.tracking_id}/terkirim/"


def test_a_new_form_or_changed_words_make_a_new_report(citizen_client, world):
    base = {"addressed_agency": str(world.pupr.pk), "category": str(world.category.pk)}
    form = {**the_form(citizen_client), **base}
    citizen_client.post("/lapor/", form)
    edited = {**form, "body": form["body"] + " Tiang lampunya juga miring."}
    citizen_client.post("/lapor/", edited)
    citizen_client.post("/lapor/", edited)  # the edited form double-clicked: still one for it
    citizen_client.post("/lapor/", {**the_form(citizen_client), **base})
    assert Report.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_the_same_form_sent_at_the_same_moment_files_one_report(world):
    import copy

    from django.test import Client

    from tests.api.concurrency import concurrently
    from tests.office.staff import sign_in

    client = Client()
    sign_in(client, world.citizen)
    form = {**the_form(client), "addressed_agency": str(world.pupr.pk), "category": str(world.category.pk)}

    def send():  # each its own browser tab: the same session cookie
        tab = Client()
        tab.cookies = copy.deepcopy(client.cookies)
        return tab.post("/lapor/", form).status_code

    assert set(concurrently(send)) == {302}
    assert Report.objects.count() == 1
