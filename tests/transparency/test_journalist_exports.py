"""A data journalist downloads the open-data file and puts it beside the map (SPEC §9): the
page says what every column holds, how the file is written and where the same data is for
programs; a row's pin is the number the map gives for the same report."""
import csv
import io
import re

import pytest

from lapor.reports import services
from lapor.transparency.exports import REPORT_COLUMNS

pytestmark = pytest.mark.django_db


def test_the_statistics_page_explains_every_column_of_the_export_and_links_the_api(client):
    page = client.get("/statistik/").content.decode()
    assert 'href="#tentang-data"' in page
    notes = page[page.index('id="tentang-data"'):]
    documented = re.findall(r'<th scope="row"><code translate="no">([a-z_]+)</code></th>', notes)
    assert documented == REPORT_COLUMNS
    assert "UTF-8" in notes and "WIB" in notes and "titik desimal" in notes
    assert 'href="/api/docs/"' in notes and 'href="/open311/v2/discovery.json"' in notes
    english = client.get("/statistik/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert re.findall(r'<th scope="row"><code translate="no">([a-z_]+)</code></th>', english) == REPORT_COLUMNS


def test_an_exported_pin_is_the_one_the_map_shows(world, client):
    report = services.report_submit(reporter=world.citizen, title="Lubang di depan sekolah", body="Dalam.",
                                    addressed_agency=world.pemkot, category=world.category,
                                    latitude=-3.44123456789, longitude=114.82987654321)
    services.report_verify(report=report, by=world.national_admin, agency=world.pupr)
    cell, = client.get("/peta/data.json?bbox=114.7,-3.6,115.0,-3.3&zoom=18").json()["cells"]
    export = client.get("/statistik/laporan.csv")
    row, = csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig")))
    assert (row["lintang"], row["bujur"]) == (str(cell["lat"]), str(cell["lon"])) == ("-3.441235", "114.829877")
