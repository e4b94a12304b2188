"""The open data says under which licence it may be reused (settings.LAPOR_OPEN_DATA_LICENCE):
on /statistik/ where the downloads are described, with every download and the map's data
(`Link: <url>; rel="license"`), in the XLSX file's own details and in every Atom feed's <rights>."""
import io
import re

import pytest
from openpyxl import load_workbook

CC_BY = "https://creativecommons.org/licenses/by/4.0/"
LINK = f'<{CC_BY}>; rel="license"'


def test_the_statistics_page_names_the_licence_where_the_downloads_are_described(client, world):
    page = client.get("/statistik/").content.decode()
    about = page[page.index('id="tentang-data"'):]
    assert re.search(rf'id="lisensi".*<a href="{re.escape(CC_BY)}" rel="license">CC BY 4.0</a>', about, re.S)


def test_the_operator_chooses_another_licence(client, world, settings):
    settings.LAPOR_OPEN_DATA_LICENCE = "Open Data Commons ODbL 1.0"
    settings.LAPOR_OPEN_DATA_LICENCE_URL = "https://opendatacommons.org/licenses/odbl/1-0/"
    odbl = "https://opendatacommons.org/licenses/odbl/1-0/"
    page = client.get("/statistik/").content.decode()
    assert f'<a href="{odbl}" rel="license">Open Data Commons ODbL 1.0</a>' in page
    assert client.get("/statistik/laporan.csv")["Link"] == f'<{odbl}>; rel="license"'
    assert "<rights>Open Data Commons ODbL 1.0 (https://opendatacommons.org/licenses/odbl/1-0/)</rights>" in \
        client.get("/laporan/atom.xml").content.decode()


@pytest.mark.parametrize("url", ["/statistik/laporan.csv", "/statistik/laporan.xlsx", "/kinerja/peringkat.csv",
                                 "/kinerja/peringkat.xlsx", "/peta/data.json?bbox=110,-8,120,0&zoom=10"])
def test_every_download_and_the_maps_data_carry_the_licence(client, world, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Link"] == LINK


def test_the_spreadsheet_names_its_licence_in_its_own_details(client, world):
    book = load_workbook(io.BytesIO(client.get("/statistik/laporan.xlsx").content))
    assert book.properties.description == f"CC BY 4.0 ({CC_BY})"
    assert {p.name: p.value for p in book.custom_doc_props}["license"] == CC_BY


@pytest.mark.parametrize("url", ["/laporan/atom.xml", "/peta/atom.xml", "/opini/atom.xml"])
def test_every_atom_feed_states_the_licence(client, world, url):
    response = client.get(url)
    assert f"<rights>CC BY 4.0 ({CC_BY})</rights>" in response.content.decode()
    assert response["Link"] == LINK


def test_the_supervisors_staff_file_is_not_labelled_open_data(world, client):
    from ..office.staff import sign_in

    sign_in(client, world.inspector)
    response = client.get("/kantor/pengawasan/terlambat.csv")
    assert response.status_code == 200 and "Link" not in response
