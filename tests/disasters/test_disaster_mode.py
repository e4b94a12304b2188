"""Disaster mode (SPEC §9): a banner on the home page while an emergency is live, its
category first on the report form, and a live incident map of its public reports."""
import datetime

import pytest
from django.utils import timezone

from lapor.disasters.services import disaster_end
from lapor.reports import services
from lapor.reports.enums import ArchiveReason
from tests.disasters.conftest import HOUR


def banner(client) -> str:
    html = client.get("/").content.decode()
    return html if "Tanggap darurat:" in html else ""


def test_the_home_page_shows_a_banner_only_while_a_disaster_is_live(client, flood):
    assert banner(client) == ""
    disaster = flood()
    html = banner(client)
    assert "Tanggap darurat: Banjir Banjarbaru" in html
    assert "Laporkan genangan dan warga yang perlu dievakuasi." in html
    assert f'href="/darurat/{disaster.pk}/"' in html
    assert f'href="/lapor/?kategori={disaster.category_id}"' in html


@pytest.mark.parametrize("starts, ends, active", [
    (+1, None, True),   # declared ahead: not yet
    (-3, -1, True),     # over
    (-1, None, False),  # switched off
])
def test_no_banner_before_the_start_after_the_end_or_when_switched_off(client, flood, starts, ends, active):
    now = timezone.now()
    flood(starts_at=now + starts * HOUR, ends_at=now + ends * HOUR if ends else None, is_active=active)
    assert banner(client) == ""


def test_ending_a_disaster_takes_the_banner_down_at_once(client, flood, world):
    disaster = flood()
    assert banner(client)  # the banner is cached now
    disaster_end(disaster=disaster, by=world.national_admin)
    assert banner(client) == ""


def test_the_report_form_lists_the_disaster_category_first_and_preselects_it_from_the_banner(
        client, world, flood, setting):
    client.force_login(world.citizen)
    plain = client.get("/lapor/").content.decode()
    assert plain.index("Jalan Rusak") < plain.index("Drainase dan Banjir")  # position 0 before 9

    flood(category=setting.blocked_drain)
    page = client.get("/lapor/").content.decode()
    first_group = page.index("<optgroup", page.index('name="category"'))
    assert page.index('label="Drainase dan Banjir"', first_group) == page.index('label="', first_group)
    assert page.index("Saluran tersumbat") < page.index("Drainase dan Banjir (umum)")

    chosen = client.get(f"/lapor/?kategori={setting.blocked_drain.pk}").content.decode()
    assert f'<option value="{setting.blocked_drain.pk}" selected>Saluran tersumbat</option>' in chosen


@pytest.fixture
def incident_reports(world, setting):
    """Reports around the flood: public ones of its category in its region, and every kind
    that must stay off its map."""
    def report(title, *, verify=True, region=setting.landasan_ulin, category=setting.blocked_drain, **fields):
        r = services.report_submit(reporter=world.citizen, title=title, body="Air setinggi lutut.", region=region,
                                   category=category, latitude=-3.44, longitude=114.83,
                                   addressed_agency=world.pemkot, **fields)
        return services.report_verify(report=r, by=world.agency_admin, agency=world.pupr) if verify else r

    archived = report("Diarsipkan", verify=False)
    services.report_archive(report=archived, by=world.agency_admin, reason=ArchiveReason.SPAM)
    return {
        "public": report("Genangan di Landasan Ulin"),
        "anonymous": report("Warga terjebak banjir", is_anonymous=True),
        "confidential": report("Rahasia: bantuan diselewengkan", is_confidential=True),
        "unverified": report("Belum diverifikasi", verify=False),
        "other_category": report("Jalan berlubang", category=world.category),
        "other_region": report("Banjir di Martapura", region=setting.banjar),
    }


def test_the_incident_map_lists_only_public_reports_of_its_category_and_region(client, flood, incident_reports):
    disaster = flood()
    html = client.get(f"/darurat/{disaster.pk}/").content.decode()
    assert "Genangan di Landasan Ulin" in html and "Warga terjebak banjir" in html
    for kept_out in ("Rahasia", "Belum diverifikasi", "Diarsipkan", "Jalan berlubang", "Banjir di Martapura",
                     "Siti Rahmawati"):
        assert kept_out not in html
    assert "2 laporan" in html


def test_the_incident_map_refreshes_itself_through_the_public_map_endpoint(client, flood, incident_reports, setting):
    disaster = flood()
    html = client.get(f"/darurat/{disaster.pk}/").content.decode()
    assert 'data-endpoint="/peta/data.json"' in html and 'data-refresh="60"' in html
    assert "<script>" not in html and "style=" not in html  # behaviour lives in map.js
    assert 'data-bounds="114.83000,-3.44000,114.83000,-3.44000"' in html

    query = html.split('data-query="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    data = client.get(f"/peta/data.json?bbox=114,-4,116,-3&zoom=12&{query}").json()
    assert data["total"] == 2  # the endpoint applies the same filters: public, category, region


def test_an_ended_incident_stays_readable_but_stops_refreshing(client, flood, world):
    disaster = flood()
    disaster_end(disaster=disaster, by=world.national_admin)
    html = client.get(f"/darurat/{disaster.pk}/").content.decode()
    assert "telah berakhir" in html and 'data-refresh="0"' in html


def test_an_incident_is_not_public_before_it_starts(client, flood):
    disaster = flood(starts_at=timezone.now() + datetime.timedelta(days=1))
    assert client.get(f"/darurat/{disaster.pk}/").status_code == 404
    assert client.get(f"/darurat/{disaster.pk}/atom.xml").status_code == 404


def test_the_incident_has_an_atom_feed_of_the_same_reports(client, flood, incident_reports):
    import xml.etree.ElementTree as ET

    disaster = flood()
    html = client.get(f"/darurat/{disaster.pk}/").content.decode()
    url = f"/darurat/{disaster.pk}/atom.xml"
    assert f'<link rel="alternate" type="application/atom+xml" title="Banjir Banjarbaru" href="{url}">' in html
    feed = ET.fromstring(client.get(url).content)
    titles = sorted(e.findtext("{http://www.w3.org/2005/Atom}title").split(" ", 1)[1]
                    for e in feed.findall("{http://www.w3.org/2005/Atom}entry"))
    assert titles == ["Genangan di Landasan Ulin", "Warga terjebak banjir"]
