"""The public list of published reports: search, filters, pagination, cost, weight."""
import datetime
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lapor.categories.models import Category
from lapor.core import pagination
from lapor.core.kept import forget
from lapor.regions.models import Region

from .conftest import published


def listed(client, **params) -> set[str]:
    page = client.get("/laporan/", params).content.decode()
    return set(re.findall(r'href="/laporan/(\d+)/"', page))


def test_search_finds_reports_by_words_in_title_or_body(client, world):
    lamp = published(world, title="Lampu jalan mati", body="Gelap gulita di malam hari.")
    road = published(world, title="Jalan berlubang", body="Lubang besar di tikungan.")
    assert listed(client, q="gulita") == {lamp.tracking_id}
    assert listed(client, q="lubang") == {road.tracking_id} or listed(client, q="berlubang") == {road.tracking_id}


def test_filters_by_kind_category_region_agency_status_and_date(client, world, kalsel):
    other_category = Category.objects.create(name="Kesehatan", slug="kesehatan")
    a = published(world, region=Region.objects.get(code="63.72.02"), kind="aspiration")
    b = published(world, category=other_category, addressed_agency=world.pupr_banjar, region=Region.objects.get(code="63.03.01"))
    assert listed(client, kind="aspiration") == {a.tracking_id}
    assert listed(client, category=other_category.pk) == {b.tracking_id}
    assert listed(client, province="63", regency="63.72") == {a.tracking_id}
    assert listed(client, agency=world.pemkab.pk) == {b.tracking_id}
    assert listed(client, status="dispatched") == {a.tracking_id, b.tracking_id}
    assert listed(client, status="closed") == set()
    today = datetime.date.today()
    assert listed(client, date_from=(today + datetime.timedelta(days=2)).isoformat()) == set()
    assert listed(client, date_to=(today + datetime.timedelta(days=2)).isoformat()) == {a.tracking_id, b.tracking_id}


def test_a_shared_link_with_only_a_regency_or_district_filters_by_it_and_so_does_its_feed(client, world, kalsel):
    """A duty officer's link ``/laporan/?regency=63.03`` (no province): the code implies
    the steps above it, on the page and on the Atom feed it links to."""
    city = published(world, region=Region.objects.get(code="63.72.02"))
    regency = published(world, addressed_agency=world.pupr_banjar, region=Region.objects.get(code="63.03.01"))
    assert listed(client, regency="63.03") == {regency.tracking_id}
    assert listed(client, district="63.72.02") == {city.tracking_id}
    feed = client.get("/laporan/atom.xml", {"regency": "63.03"}).content.decode()
    assert regency.tracking_id in feed and city.tracking_id not in feed


def test_the_status_filters_offer_what_a_published_report_can_be(client, world):
    """Never returned, postponed or unverified (a published report was verified); "waiting
    for a transfer" for one handed back as "bukan wewenang"."""
    from lapor.reports import services

    report = published(world)
    services.report_not_our_authority(report=report, by=world.unit_admin, reason="Jalan kabupaten")
    for path in ("/laporan/", "/statistik/", "/peta/"):
        options = re.findall(r'<option value="(\w*)"[^>]*>([^<]*)</option>',
                             client.get(path).content.decode().split('name="status"', 1)[1].split("</select>")[0])
        assert options == [("", options[0][1]), ("submitted", "Menunggu pelimpahan"), ("dispatched", "Terdisposisi"),
                           ("in_progress", "Ditindaklanjuti"), ("closed", "Selesai")], path
    assert report.tracking_id in client.get("/laporan/", {"status": "submitted"}).content.decode()


def test_a_topic_filter_includes_its_sub_topics(client, world):
    topic = Category.objects.create(name="Pekerjaan Umum", slug="pu")
    sub = Category.objects.create(name="Drainase", slug="pu-drainase", parent=topic)
    report = published(world, category=sub)
    assert listed(client, category=topic.pk) == {report.tracking_id}


def test_the_list_is_paginated_keeping_the_filters(client, world):
    for i in range(23):
        published(world, title=f"Laporan nomor {i}", kind="aspiration")
    page = client.get("/laporan/", {"kind": "aspiration"}).content.decode()
    assert "Halaman 1 dari 2" in page and "kind=aspiration&amp;halaman=2" in page
    assert len(listed(client, kind="aspiration", halaman=2)) == 3


def test_a_bad_page_number_is_the_first_page_not_an_error(client, world):
    report = published(world)
    response = client.get("/laporan/", {"halaman": "zzz"})
    assert response.status_code == 200 and f'href="/laporan/{report.tracking_id}/"' in response.content.decode()


@pytest.mark.parametrize("params, named", [
    ({"status": "zzz"}, "Status “zzz”"),
    ({"date_from": "kemarin", "kind": "aspiration"}, "Dari tanggal “kemarin”"),
    ({"category": "x"}, "Kategori “x”"),
    ({"province": "99"}, "Provinsi “99”"),
])
def test_a_filter_the_list_cannot_read_is_refused_by_name_not_answered_with_every_report(
        client, world, kalsel, params, named):
    """Like the map's data, the downloads and the feeds: a journalist who mistyped a filter
    is told which one, and is not shown every report as if it were the filtered list."""
    report = published(world)
    response = client.get("/laporan/", params)
    page = response.content.decode()
    assert response.status_code == 400
    assert f"Saringan ini tidak dikenal: {named}" in page
    assert report.tracking_id not in page and "Tidak ada laporan yang ditampilkan" in page
    # Nor offered a feed of every report as this list's (a feed reader would subscribe to it).
    assert "application/atom+xml" not in page
    # The form is still there, keeping the filters that were right.
    assert 'role="search"' in page
    if "kind" in params:
        assert '<option value="aspiration" selected>' in page


def test_a_region_that_does_not_exist_is_refused_by_the_lists_feed_too_but_a_stale_step_is_dropped(
        client, world, kalsel):
    report = published(world, region=Region.objects.get(code="63.72.02"))
    feed = client.get("/laporan/atom.xml", {"regency": "63.99"})
    assert feed.status_code == 400 and "63.99" in feed.content.decode()
    # A district left from another regency (the page without JavaScript, the regency changed
    # above it) is the cascade's: dropped, the list filtered by the regency chosen.
    response = client.get("/laporan/", {"province": "63", "regency": "63.72", "district": "63.03.01"})
    assert response.status_code == 200 and report.tracking_id in response.content.decode()


def test_the_refusal_is_in_the_readers_language(client, world):
    response = client.get("/laporan/", {"status": "zzz"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "These filters are unknown: Status “zzz”" in response.content.decode()


def cold():
    """Nothing cached: neither in the shared cache nor the reference data kept in the process."""
    cache.clear()
    forget()


@pytest.mark.parametrize("url", ["/laporan/", "/"])
def test_the_number_of_queries_stays_the_same_as_reports_grow(client, world, url):
    published(world)
    cold()  # nothing cached yet
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(15):
        published(world, title=f"Laporan {i}", reporter=world.other_citizen if i % 2 else world.citizen,
                  show_reporter_name=bool(i % 3))
    cold()
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_a_list_many_people_open_is_served_from_the_cache_yet_never_shows_a_withdrawn_report(client, world):
    kept = published(world, title="Jalan rusak di Guntung Manggis")
    withdrawn = published(world, title="Drainase tersumbat")
    assert listed(client) == {kept.tracking_id, withdrawn.tracking_id}
    withdrawn.is_confidential = True  # e.g. the reporter's identity turned out to be in it
    withdrawn.save(update_fields=["is_confidential"])
    with CaptureQueriesContext(connection) as cached:
        assert listed(client) == {kept.tracking_id}
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        client.get("/laporan/")
    assert len(cached) < len(cold)


def test_a_kept_list_page_reads_only_the_reports_it_shows_not_its_agencys_or_topics_ids_again(client, world):
    """The count and the ids of a filtered page are kept: a visitor who finds them costs
    one query (the reports shown, checked against the public), not the filter's agency
    tree and sub-topics read again to build a query that is not run."""
    topic = Category.objects.create(name="Pekerjaan Umum", slug="pu")
    sub = Category.objects.create(name="Drainase", slug="pu-drainase", parent=topic)
    report = published(world, category=sub)
    filters = {"agency": world.pemkot.pk, "category": topic.pk}
    assert listed(client, **filters) == {report.tracking_id}  # counted and kept
    with CaptureQueriesContext(connection) as kept:
        assert listed(client, **filters) == {report.tracking_id}
    tables = [q["sql"] for q in kept.captured_queries]
    assert not [sql for sql in tables if "agencies_agency" in sql or "categories_category" in sql], tables
    assert len([sql for sql in tables if "reports_report" in sql]) == 1
    with CaptureQueriesContext(connection) as second:
        assert listed(client, halaman=2, **filters) == {report.tracking_id}  # one page: the first, kept too
    assert len([q for q in second.captured_queries if "reports_report" in q["sql"]]) == 1


def rows_of(response) -> str:
    return re.search(r'<ul class="reports">.*?</ul>', response.content.decode(), re.S).group()


def test_list_rows_are_rendered_once_and_shown_again_to_the_next_visitor(client, world):
    published(world, title="Lampu jalan mati")
    published(world, title="Sampah menumpuk")
    first = client.get("/laporan/")
    assert "portal/_report_item.html" in [t.name for t in first.templates]
    again = client.get("/laporan/")
    assert "portal/_report_item.html" not in [t.name for t in again.templates]
    assert rows_of(again) == rows_of(first)


def test_a_kept_row_shows_a_new_title_status_or_supporter_at_once(client, world):
    from lapor.reports import services

    report = published(world, title="Lampu jalan mati")
    client.get("/laporan/")
    report.title = "Lampu jalan mati di Jl. A. Yani"  # an admin's correction
    report.save(update_fields=["title"])
    services.report_answer(report=report, by=world.unit_admin, body="Sudah diganti.")
    row = rows_of(client.get("/laporan/"))
    assert "Lampu jalan mati di Jl. A. Yani" in row and "Ditindaklanjuti" in row and "Terdisposisi" not in row


def test_a_kept_row_is_shown_in_the_visitors_language(client, world):
    published(world, title="Lampu jalan mati")
    client.get("/laporan/")  # kept in Indonesian
    english = rows_of(client.get("/laporan/", HTTP_ACCEPT_LANGUAGE="en"))
    indonesian = rows_of(client.get("/laporan/"))
    assert "Complaint" in english and "Pengaduan" in indonesian and "Complaint" not in indonesian


def test_the_filter_form_is_rendered_once_per_query_and_language(client, world):
    published(world, title="Lampu jalan mati")
    first = client.get("/laporan/", {"status": "dispatched"})
    assert "portal/_field.html" in [t.name for t in first.templates]
    again = client.get("/laporan/", {"status": "dispatched"})
    assert "portal/_field.html" not in [t.name for t in again.templates]
    assert '<option value="dispatched" selected>' in again.content.decode()
    other = client.get("/laporan/", {"status": "closed"}).content.decode()
    assert '<option value="closed" selected>' in other and '<option value="dispatched" selected>' not in other
    assert "Semua status" in again.content.decode() and "Dari tanggal" in again.content.decode()
    english = client.get("/laporan/", {"status": "dispatched"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "All statuses" in english and "Semua status" not in english and "Dari tanggal" not in english


def test_a_newly_published_report_appears_once_the_list_cache_expires(client, world, settings):
    first = published(world, title="Lampu jalan mati")
    assert listed(client) == {first.tracking_id}
    second = published(world, title="Sampah menumpuk")
    cache.clear()  # what LAPOR_PUBLIC_LIST_CACHE_SECONDS later looks like
    assert listed(client) == {first.tracking_id, second.tracking_id}
    settings.LAPOR_PUBLIC_LIST_CACHE_SECONDS = 0
    third = published(world, title="Pungutan liar di pasar")
    assert listed(client) == {first.tracking_id, second.tracking_id, third.tracking_id}


def test_beyond_the_count_cap_the_list_says_there_are_more_and_pages_stop_at_the_cap(client, world, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 4)
    for i in range(6):
        published(world, title=f"Laporan nomor {i}", kind="aspiration")
    page = client.get("/laporan/", {"kind": "aspiration"}).content.decode()
    assert "Lebih dari 4 laporan" in page
    assert len(listed(client, kind="aspiration")) == 4


def test_a_report_page_weighs_under_100_kb_before_images(client, world):
    report = published(world, body="Jalan rusak parah. " * 200)
    page = client.get(f"/laporan/{report.tracking_id}/")
    html = page.content.decode()
    total = len(page.content)
    assets = re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html)
    assert assets, "the page links its stylesheets"
    for asset in assets:
        # What whitenoise would serve: the file the static finders resolve.
        path = finders.find(asset.removeprefix("/static/"))
        assert path, asset
        total += Path(path).stat().st_size
    assert "fonts.googleapis" not in html and "cdn" not in html.lower()
    assert total < 100 * 1024, f"{total} bytes"


def test_the_filter_offers_its_choices_in_the_readers_language_and_new_ones_within_a_minute(
        client, world, kalsel, django_capture_on_commit_callbacks):
    """The category, agency and region choices are built once and shared by every page of
    the process: each language still gets its own labels, and a category added shows
    once the kept rows are read again (a minute)."""
    topic = world.category.parent or world.category
    english = client.get("/laporan/", {"province": "63", "regency": "63.72"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    indonesian = client.get("/laporan/", {"province": "63", "regency": "63.72"}).content.decode()
    assert "All categories" in english and f"{topic.name} (general)" in english and "All agencies" in english
    assert "Semua kategori" in indonesian and f"{topic.name} (umum)" in indonesian and "Semua instansi" in indonesian
    assert "(general)" not in indonesian and "All agencies" not in indonesian
    for page in (english, indonesian):  # Banjarbaru's districts, as the regency is chosen
        assert 'value="63.72.02"' in page
    assert "— Choose —" in english and "— Choose —" not in indonesian

    # Added here (another process's kept rows are read again within a minute: test_references.py).
    with django_capture_on_commit_callbacks(execute=True):
        added = Category.objects.create(name="Air bersih", slug="air-bersih", parent=topic)
    cache.clear()  # the form's fragment, a minute later
    page = client.get("/laporan/").content.decode()
    assert f'<option value="{added.pk}">Air bersih</option>' in page
    assert f'value="{added.pk}" selected' in client.get("/laporan/", {"category": added.pk}).content.decode()


def test_a_pins_coordinates_are_separated_so_that_the_decimal_comma_reads_clearly(client, world):
    # "-3,44000, 114,83000" reads as four numbers in Indonesian; a semicolon keeps two.
    report = published(world, latitude=-3.44, longitude=114.83)
    page = client.get(f"/laporan/{report.tracking_id}/").content.decode()
    assert "-3,44000; 114,83000" in page
    english = client.get(f"/laporan/{report.tracking_id}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "-3.44000; 114.83000" in english
