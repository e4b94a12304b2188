"""/kantor/kelola/impor-instansi/: the national admin uploads a file, sees the dry run, and
imports the same file with one more click; nobody else reaches the page."""
import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from lapor.agencies.models import Agency
from lapor.office.views import agency_import

from .conftest import HEADER

URL = "/kantor/kelola/impor-instansi/"
CONFIRM = "/kantor/kelola/impor-instansi/impor/"
GOOD = HEADER + ("mataram-dinas-pupr,Dinas PUPR Kota Mataram,,unit,pemkot-mataram,,,,,,\n"
                 "pemkot-mataram,Pemerintah Kota Mataram,,regency,,52.71,,MATARAM,,,\n"
                 "mataram-x,Kantor X,,unit,pemkot-tidak-ada,,,,,,\n")


def _file(content: bytes | str, name: str = "instansi.csv"):
    return SimpleUploadedFile(name, content.encode() if isinstance(content, str) else content)


def _staged():
    try:
        return default_storage.listdir("staging")[1]
    except FileNotFoundError:
        return []


@pytest.fixture
def admin(as_user, world, regions):
    return as_user(world.national_admin)


def test_the_national_admin_previews_a_file_then_imports_it_without_sending_it_again(admin):
    response = admin.post(URL, {"agencies": _file(GOOD)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "belum ada yang disimpan" in page and "3 baris terbaca (UTF-8, dipisah koma)" in page
    assert "Baris 4" in page and "pemkot-tidak-ada" in page  # the error, by line
    assert "Baris 3 pemkot-mataram" in page and "Impor 2 perubahan" in page
    assert not Agency.objects.filter(slug="pemkot-mataram").exists() and len(_staged()) == 1
    token = admin.session[agency_import.SESSION_KEY]["token"]
    response = admin.post(CONFIRM, {"token": token})
    assert response.status_code == 200 and "Hasil impor" in response.content.decode()
    assert Agency.objects.get(slug="mataram-dinas-pupr").parent.slug == "pemkot-mataram"
    assert _staged() == [] and agency_import.SESSION_KEY not in admin.session
    again = admin.post(CONFIRM, {"token": token}, follow=True)  # the button pressed twice
    assert "sudah diimpor" in again.content.decode()


def test_a_confirmation_with_another_token_imports_nothing(admin):
    admin.post(URL, {"agencies": _file(GOOD)})
    response = admin.post(CONFIRM, {"token": "tebakan"}, follow=True)
    assert "Unggah berkasnya lagi" in response.content.decode()
    assert not Agency.objects.filter(slug="pemkot-mataram").exists()


def test_an_xlsx_file_and_a_routing_file_are_read_too(admin, world):
    book = Workbook()
    sheet = book.active
    for row in (["slug", "name", "kind", "region"], ["pemkot-mataram", "Pemerintah Kota Mataram", "regency", "52.71"]):
        sheet.append(row)
    content = io.BytesIO()
    book.save(content)
    response = admin.post(URL, {"agencies": _file(content.getvalue(), "instansi.xlsx"),
                                "routing": _file("category,region,agency\njalan-rusak,52.71,pemkot-mataram\n",
                                                 "rute.csv")})
    page = response.content.decode()
    assert response.status_code == 200 and "1 baris terbaca (XLSX)" in page and "rute.csv" in page
    admin.post(CONFIRM, {"token": admin.session[agency_import.SESSION_KEY]["token"]})
    assert world.category.routingrule_set.get().agency.slug == "pemkot-mataram"


@pytest.mark.parametrize("content, name, said", [
    (b"", "instansi.csv", "kosong"),
    (b"PK\x03\x04\x00\x00garbage\xff\xfe", "instansi.xlsx", "XLSX tidak dapat dibaca"),
    (bytes(range(256)) * 8, "instansi.csv", "Kolom"),
    ("slug,nama\npemkot,Pemkot\n", "instansi.csv", "Kolom tidak dikenal: nama"),
    ("slug,name\n", "instansi.csv", "tidak berisi baris"),
    ("slug,name\n", "instansi.pdf", ".csv atau .xlsx"),
    ("slug,name\n" + "a,\"b\n", "instansi.csv", "CSV rusak"),
])
def test_a_bad_file_is_refused_with_a_reason_never_a_server_error(admin, content, name, said):
    response = admin.post(URL, {"agencies": _file(content, name)})
    assert response.status_code == 400
    assert said in response.content.decode()
    assert _staged() == []


def test_a_huge_file_is_sent_to_the_command(admin, monkeypatch):
    monkeypatch.setattr(agency_import, "MAX_BYTES", 1024)
    response = admin.post(URL, {"agencies": _file(HEADER + "x" * 2000)})
    assert response.status_code == 400 and "import_agencies" in response.content.decode()
    monkeypatch.setattr(agency_import, "MAX_ROWS", 2)
    response = admin.post(URL, {"agencies": _file(GOOD)})
    assert response.status_code == 400 and "paling banyak 2" in response.content.decode()


def test_an_agency_admin_and_a_citizen_cannot_reach_the_page(as_user, world, regions):
    for person in (world.agency_admin, world.citizen, world.inspector):
        client = as_user(person)
        assert client.get(URL).status_code == 403
        assert client.post(URL, {"agencies": _file(GOOD)}).status_code == 403
        assert client.post(CONFIRM, {"token": "x"}).status_code == 403
    assert as_user(None).get(URL).status_code == 302  # to sign in
    assert not Agency.objects.filter(slug="pemkot-mataram").exists()


def test_the_management_overview_links_the_page_for_the_national_admin_only(as_user, world):
    assert URL in as_user(world.national_admin).get("/kantor/kelola/").content.decode()
    assert URL not in as_user(world.agency_admin).get("/kantor/kelola/").content.decode()


def test_a_post_without_a_file_or_with_nul_characters_is_no_server_error(admin):
    assert admin.post(URL, {"agencies": "bukan berkas"}).status_code == 400
    response = admin.post(URL, {"agencies": _file("slug,name,parent\npemkot-\x00mataram,Pemkot\x00 Mataram,\x00\n")})
    assert response.status_code == 200 and "Baris 2 pemkot-mataram" in response.content.decode()
