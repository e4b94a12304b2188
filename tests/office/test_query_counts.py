"""The inbox, the workspace and the supervision page cost the same number of queries
however many reports, events, follow-ups and files there are."""
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from lapor.reports import attachments, services

from .files import png_upload


def queries(client, url, **params):
    client.get(url, params)  # warm the per-process caches (working-day overrides)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured)


def many(world, submit, n):
    for i in range(n):
        submit(verify_to=world.pupr if i % 2 else None, title=f"Laporan {i}")


def test_the_inbox_makes_as_many_queries_for_50_reports_as_for_5(world, as_user, submit, django_assert_max_num_queries):
    admin = as_user(world.agency_admin)
    many(world, submit, 5)
    few = queries(admin, "/kantor/", tab="semua")
    many(world, submit, 45)
    with django_assert_max_num_queries(few):
        assert admin.get("/kantor/", {"tab": "semua"}).status_code == 200


def test_the_supervision_page_makes_as_many_queries_for_50_reports_as_for_5(world, as_user, submit,
                                                                             django_assert_max_num_queries):
    inspector = as_user(world.inspector)
    many(world, submit, 5)
    few = queries(inspector, "/kantor/pengawasan/")
    many(world, submit, 45)
    with django_assert_max_num_queries(few):
        assert inspector.get("/kantor/pengawasan/").status_code == 200


def grow(world, report, n):
    for i in range(n):
        services.report_add_note(report=report, by=world.officer, text=f"Catatan {i}")
        followup = services.report_answer(report=report, by=world.unit_admin, body=f"Jawaban {i}")
        attachments.attachment_store(report=report, clean=attachments.clean_upload(png_upload()), by=world.officer,
                                     followup=followup)
        attachments.attachment_store(report=report, clean=attachments.clean_upload(png_upload()), by=world.citizen)


def test_the_workspace_makes_as_many_queries_for_a_long_history_as_for_a_short_one(world, as_user, submit,
                                                                                     django_assert_max_num_queries):
    short = submit(verify_to=world.pupr, latitude=-3.44, longitude=114.83)
    long = submit(verify_to=world.pupr, latitude=-3.44, longitude=114.83)
    grow(world, short, 1)
    grow(world, long, 12)
    many(world, submit, 10)  # candidates for the duplicate suggestions
    for person in (world.agency_admin, world.officer, world.inspector):
        client = as_user(person)
        few = queries(client, f"/kantor/laporan/{short.tracking_id}/")
        with django_assert_max_num_queries(few):
            assert client.get(f"/kantor/laporan/{long.tracking_id}/").status_code == 200


def test_the_inbox_filter_offers_the_units_in_scope_read_without_a_server_side_cursor(world, as_user, submit):
    """PgBouncer in transaction mode (docs/operations.md) keeps no cursor between
    statements: the filter's choices are read with one ordinary query."""
    import re

    admin = as_user(world.agency_admin)
    submit(title="Laporan")
    with CaptureQueriesContext(connection) as captured:
        page = admin.get("/kantor/", {"tab": "semua"}).content.decode()
    assert not [q["sql"] for q in captured.captured_queries if "DECLARE" in q["sql"].upper()]
    unit_select = re.search(r'<select name="unit".*?</select>', page, re.S).group()
    for agency in (world.pemkot, world.pupr, world.dinkes):
        assert agency.name in unit_select
    assert world.pemkab.name not in unit_select


def test_the_inbox_filter_is_rendered_once_per_scope_and_never_shown_to_another_scope(world, as_user, submit):
    import re

    submit(title="Laporan")

    def unit_select(client, **params):
        response = client.get("/kantor/", {"tab": "semua", **params})
        html = response.content.decode()
        return response, re.search(r'<select name="unit".*?</select>', html, re.S).group()

    admin = as_user(world.agency_admin)
    first, units = unit_select(admin)
    again, same = unit_select(admin)
    assert "office/_form.html" in [t.name for t in first.templates]
    assert "office/_form.html" not in [t.name for t in again.templates] and same == units
    chosen = unit_select(admin, unit=world.pupr.pk)[1]
    assert f'<option value="{world.pupr.pk}" selected>' in chosen
    other = unit_select(as_user(world.other_agency_admin))[1]
    assert world.pemkab.name in other and world.pemkot.name not in other and world.pupr.name not in other


def test_the_supervisors_compliance_page_costs_the_same_for_many_governments_as_for_two(
        world, as_user, submit, django_assert_max_num_queries):
    """A national admin oversees every top agency: the page is one computation for them
    all, not one per government."""
    import datetime

    from django.utils import timezone

    from tests.factories import AgencyFactory

    national = as_user(world.national_admin)
    many(world, submit, 4)
    few = queries(national, "/kinerja/pengawasan/")
    long_ago = timezone.now() - datetime.timedelta(days=30)
    for i in range(4):
        government = AgencyFactory(name=f"Pemerintah {i}")
        unit = AgencyFactory(name=f"Dinas {i}", parent=government)
        report = services.report_submit(reporter=world.citizen, title=f"Laporan {i}", body="Jalan rusak sekali.",
                                        addressed_agency=government, category=world.category, now=long_ago)
        services.report_verify(report=report, by=world.national_admin, agency=unit, now=long_ago)
    response = national.get("/kinerja/pengawasan/")
    blocks = {b["agency"].name: b for b in response.context["blocks"]}
    assert all(len(blocks[f"Pemerintah {i}"]["overdue"]) == 1 for i in range(4))  # each late report, in its own block
    assert all([r.agency.name for r in blocks[f"Pemerintah {i}"]["rows"]] == [f"Dinas {i}"] for i in range(4))
    with django_assert_max_num_queries(few):
        assert national.get("/kinerja/pengawasan/").status_code == 200


def test_the_inbox_bulk_forms_are_rendered_once_per_scope_and_never_shown_to_another_scope(world, as_user, submit):
    """Their fields (the agencies to verify to, the units to dispose to, the reasons to
    archive for) are the same on every page of one person's scope: rendered once a
    minute, not on every page; another scope gets its own."""
    submit(title="Belum diverifikasi")  # verify and archive offered to the city's admin
    submit(verify_to=world.pupr, title="Terdisposisi")  # dispose offered
    services.report_submit(reporter=world.citizen, title="Banjar", body="Jalan rusak.", addressed_agency=world.pemkab)

    def bulk(client):
        response = client.get("/kantor/", {"tab": "semua"})
        html = response.content.decode()
        verify_to = re.search(r'<select name="verify_agency".*?</select>', html, re.S).group()
        return response, html, verify_to

    admin = as_user(world.agency_admin)
    first, html, verify_to = bulk(admin)
    assert "office/_field.html" in [t.name for t in first.templates]
    assert 'name="unit"' in html.split('id="bulk"', 1)[1] and 'name="archive_reason"' in html
    again, same_html, same = bulk(admin)
    assert "office/_field.html" not in [t.name for t in again.templates]  # the filter's and the bulk forms' fields
    assert same == verify_to and 'name="archive_reason"' in same_html and 'name="verify_note"' in same_html
    assert world.pupr.name in verify_to and world.pemkab.name not in verify_to
    other = bulk(as_user(world.other_agency_admin))[2]
    assert world.pemkab.name in other and world.pupr.name not in other


def test_the_inbox_filters_open_only_when_a_filter_is_in_use(world, as_user, submit):
    """A tab or a page number alone leaves them closed (the list on the first screen of a
    phone), as does the filter form sent empty; any value set opens them, kept or not."""
    submit(title="Laporan")
    admin = as_user(world.agency_admin)

    def opened(**params):
        html = admin.get("/kantor/", params).content.decode()
        return re.search(r'<details class="filters"( open)?>', html).group(1) is not None

    assert not opened() and not opened(tab="semua") and not opened(tab="semua", halaman=2)
    assert not opened(tab="semua", q="", status="", region="")
    assert opened(tab="semua", status="submitted") and opened(tab="semua", q="Laporan")
    assert not opened(tab="semua")  # the same fragment of the form, closed again
