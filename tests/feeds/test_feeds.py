"""Atom feeds of the public lists (SPEC §9): the report list with its search and filters,
the map's filter and viewport, one report's public history. Valid Atom, and only what the
public may see (SPEC §5)."""
import datetime
import xml.etree.ElementTree as ET

import pytest

from lapor.reports import services
from lapor.reports.enums import ArchiveReason
from tests.factories import CategoryFactory
from tests.portal.conftest import kalsel  # noqa: F401  (Kalimantan Selatan's regions)

ATOM = "{http://www.w3.org/2005/Atom}"
NAMES = ["Siti Rahmawati", "warga@example.id", "6372024107900001"]


def parse(response):
    """The feed as (feed element, entries); fails unless it is well-formed Atom whose
    feed and entries each carry an id, a title and an updated time."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    for element in [root, *root.findall(f"{ATOM}entry")]:
        for child in ("id", "title", "updated"):
            assert (element.findtext(f"{ATOM}{child}") or "").strip(), f"{element.tag} lacks {child}"
        datetime.datetime.fromisoformat(element.findtext(f"{ATOM}updated"))
    assert root.find(f"{ATOM}author/{ATOM}name") is not None  # Atom wants an author
    entries = root.findall(f"{ATOM}entry")
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids)
    return root, entries


def titles(entries):
    return [e.findtext(f"{ATOM}title") for e in entries]


@pytest.fixture
def reports(world, kalsel):
    """Published, anonymous, confidential, unverified and archived reports in Banjarbaru,
    and one published report in Kabupaten Banjar about another topic."""
    from lapor.regions.models import Region

    banjarbaru, banjar = Region.objects.get(code="63.72.02"), Region.objects.get(code="63.03")
    flood = CategoryFactory(name="Drainase dan Banjir", slug="drainase-dan-banjir")
    made = {}

    def report(key, *, verify=True, region=banjarbaru, category=world.category, lat=-3.44, lon=114.83, **fields):
        r = services.report_submit(reporter=world.citizen, title=f"Laporan {key}", body=f"Isi laporan {key}.",
                                   region=region, category=category, latitude=lat, longitude=lon,
                                   addressed_agency=world.pemkot, **fields)
        if verify:
            r = services.report_verify(report=r, by=world.agency_admin, agency=world.pupr)
        made[key] = r
        return r

    report("terbuka")
    report("anonim", is_anonymous=True)
    report("rahasia", is_confidential=True)
    report("belum", verify=False)
    archived = report("arsip", verify=False)
    services.report_archive(report=archived, by=world.agency_admin, reason=ArchiveReason.SPAM)
    report("banjar", region=banjar, category=flood, lat=-3.32, lon=114.99)
    return made


def test_the_public_list_feed_holds_exactly_the_published_reports_newest_first(client, reports):
    _root, entries = parse(client.get("/laporan/atom.xml"))
    assert titles(entries) == [f"#{reports[k].tracking_id} Laporan {k}" for k in ("banjar", "anonim", "terbuka")]
    text = client.get("/laporan/atom.xml").content.decode()
    for secret in NAMES + ["Laporan rahasia", "Laporan belum", "Laporan arsip"]:
        assert secret not in text
    link = entries[0].find(f"{ATOM}link").get("href")
    assert link.endswith(f"/laporan/{reports['banjar'].tracking_id}/")


def test_the_public_list_feed_takes_the_pages_search_and_filters(client, world, reports):
    _root, by_region = parse(client.get("/laporan/atom.xml", {"province": "63", "regency": "63.03"}))
    assert titles(by_region) == [f"#{reports['banjar'].tracking_id} Laporan banjar"]
    _root, by_category = parse(client.get("/laporan/atom.xml", {"category": str(world.category.pk)}))
    assert len(by_category) == 2
    _root, by_words = parse(client.get("/laporan/atom.xml", {"q": "anonim"}))
    assert titles(by_words) == [f"#{reports['anonim'].tracking_id} Laporan anonim"]


def test_a_bad_filter_value_is_refused_naming_it_not_fed_as_if_filtered(client, world, reports):
    # As the map's data and the exports: a reader subscribed to "status=selesai" would
    # otherwise get every report and believe them filtered.
    query = {"category": str(world.category.pk), "date_from": "kemarin"}
    response = client.get("/laporan/atom.xml", query)
    english = client.get("/laporan/atom.xml", {"status": "selesai"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400 and "date_from “kemarin”" in response.content.decode()
    assert english.status_code == 400 and "These filters are unknown: status “selesai”" in english.content.decode()
    _root, entries = parse(client.get("/laporan/atom.xml", {"category": str(world.category.pk)}))
    assert len(entries) == 2


def test_each_feed_id_names_its_own_query(client, world, reports):
    plain, _ = parse(client.get("/laporan/atom.xml"))
    narrowed, _ = parse(client.get("/laporan/atom.xml", {"q": "anonim"}))
    assert plain.findtext(f"{ATOM}id") != narrowed.findtext(f"{ATOM}id")


def test_the_map_feed_follows_the_map_filters_and_its_viewport(client, world, reports):
    _root, everything = parse(client.get("/peta/atom.xml"))
    assert len(everything) == 3
    _root, banjarbaru = parse(client.get("/peta/atom.xml", {"wilayah": "63.72", "kategori": world.category.slug}))
    assert len(banjarbaru) == 2
    _root, viewport = parse(client.get("/peta/atom.xml", {"bbox": "114.9,-3.4,115.1,-3.2"}))
    assert titles(viewport) == [f"#{reports['banjar'].tracking_id} Laporan banjar"]
    _root, broken = parse(client.get("/peta/atom.xml", {"bbox": "utara"}))
    assert len(broken) == 3  # a malformed viewport is ignored: the whole map
    stale = client.get("/peta/atom.xml", {"wilayah": "tidak-ada"})
    assert stale.status_code == 400 and "wilayah “tidak-ada”" in stale.content.decode()  # as the map's data


def test_a_reports_feed_is_its_public_history_without_internal_notes_or_the_reporters_name(client, world, reports):
    report = reports["anonim"]
    services.report_add_note(report=report, by=world.officer, text="Catatan internal: hubungi Bu Siti")
    services.report_answer(report=report, by=world.unit_admin, body="Lampu sudah diganti.")
    services.report_reply(report=report, by=world.citizen, text="Belum menyala di ujung jalan.")

    response = client.get(f"/laporan/{report.tracking_id}/atom.xml")
    _root, entries = parse(response)
    text = response.content.decode()
    assert "Lampu sudah diganti." in text and "Belum menyala di ujung jalan." in text
    assert "Catatan internal" not in text
    for secret in NAMES:
        assert secret not in text
    assert titles(entries)[0] == "Tanggapan pelapor — Pelapor"
    assert titles(entries)[1] == "Ditindaklanjuti — Dinas PUPR Banjarbaru"


@pytest.mark.parametrize("key", ["rahasia", "belum", "arsip"])
def test_a_report_the_public_cannot_see_has_no_feed(client, reports, key):
    assert client.get(f"/laporan/{reports[key].tracking_id}/atom.xml").status_code == 404


def test_feeds_hold_only_the_latest_entries(client, monkeypatch, reports):
    from lapor.following import feeds

    monkeypatch.setattr(feeds, "FEED_SIZE", 2)
    _root, entries = parse(client.get("/laporan/atom.xml"))
    assert titles(entries) == [f"#{reports[k].tracking_id} Laporan {k}" for k in ("banjar", "anonim")]


def test_a_feed_costs_the_same_few_queries_however_many_reports_it_holds(client, world, reports,
                                                                         django_assert_max_num_queries):
    for i in range(10):
        r = services.report_submit(reporter=world.citizen, title=f"Tambahan {i}", body="…",
                                   addressed_agency=world.pemkot, category=world.category)
        services.report_verify(report=r, by=world.agency_admin, agency=world.pupr)
    with django_assert_max_num_queries(8):
        client.get("/laporan/atom.xml")
    with django_assert_max_num_queries(8):
        client.get("/peta/atom.xml", {"wilayah": "63"})


def test_the_list_map_and_report_pages_announce_their_feeds(client, world, reports):
    report = reports["terbuka"]
    pages = {
        "/laporan/?q=lampu": '/laporan/atom.xml?q=lampu',
        "/peta/?wilayah=63.72": '/peta/atom.xml?wilayah=63.72',
        report.get_absolute_url(): f'/laporan/{report.tracking_id}/atom.xml',
    }
    for page, feed in pages.items():
        html = client.get(page).content.decode()
        assert f'<link rel="alternate" type="application/atom+xml"' in html
        assert html.count(f'href="{feed}"') >= 2, page  # in <head>, and as a visible link


def test_the_polls_list_has_its_own_feed_newest_first_with_the_lists_agency_filter(world, client):
    from tests.factories import aware
    from lapor.transparency import services as transparency

    def publish(agency, by, question, days_ago):
        created = aware(2026, 3, 2, 9, 0) - datetime.timedelta(days=days_ago)
        return transparency.poll_publish(agency=agency, by=by, question=question, options=["Setuju", "Tidak"],
                                         closes_at=created + datetime.timedelta(days=14), now=created)

    city = publish(world.pemkot, world.agency_admin, "Perlukah jalur sepeda di Jalan A. Yani?", 2)
    older = publish(world.pemkot, world.agency_admin, "Perlukah pasar malam di Lapangan Murjani?", 9)
    regency = publish(world.pemkab, world.other_agency_admin, "Perlukah terminal baru di Martapura?", 1)
    page = client.get("/opini/").content.decode()
    assert 'href="/opini/atom.xml"' in page and 'type="application/atom+xml"' in page

    root, entries = parse(client.get("/opini/atom.xml"))
    assert [e.findtext(f"{ATOM}title") for e in entries] == [regency.question, city.question, older.question]
    assert entries[1].find(f"{ATOM}link").get("href").endswith(f"/opini/{city.pk}/")

    _root, filtered = parse(client.get("/opini/atom.xml", {"instansi": world.pemkot.slug}))
    assert [e.findtext(f"{ATOM}title") for e in filtered] == [city.question, older.question]
