"""Importing the registry from CSV: each bad row is reported with its line and reason,
the good rows are kept, and importing again changes nothing."""
from django.core.management import call_command
from django.db import connection

from lapor.harmony.importing import HOUSES, ORGANIZATIONS, POPULATION, registry_import
from lapor.harmony.models import HouseOfWorship, Population, ReligiousOrganization

HOUSES_CSV = """kode_wilayah,jenis,agama,nama,alamat,lintang,bujur
63.72.02.1005,Masjid,Islam,Masjid Al-Ikhlas,Jl. Guntung Manggis,-3.466,114.788
6372041003,gereja,Kristen Protestan,Gereja Kalimantan Evangelis Komet,Jl. Panglima Batur,,
63.72.99.9999,Masjid,Islam,Masjid Tanpa Wilayah,,,
63.72.02,Masjid,Islam,Masjid di Kecamatan,,,
63.72.04.1001,Masjid,Hindu,Masjid Salah Agama,,,
63.72.04.1001,Pura,Hindu,Pura Tanpa Bujur,,-3.44,
63.72.04.1001,Candi,Buddha,Candi Kecil,,,
63.72.04.1001,Vihara,Buddha,,,,
"""


def test_import_with_bad_rows_reports_each_error_and_keeps_the_good_rows(harmony):
    result = registry_import(kind=HOUSES, text=HOUSES_CSV)

    assert result.created == 2
    assert [(e.row, e.message) for e in result.errors] == [
        (4, "Kode wilayah 63.72.99.9999 tidak dikenal."),
        (5, "Kode wilayah 63.72.02 bukan kelurahan/desa; data ini dicatat per kelurahan/desa."),
        (6, "Masjid bukan rumah ibadah umat Hindu."),
        (7, "Isi lintang dan bujur bersama-sama, atau kosongkan keduanya."),
        (8, "Jenis rumah ibadah \u201cCandi\u201d tidak dikenal (pilihan: Masjid, Musala/Langgar, Gereja, Kapel, "
            "Pura, Vihara, Kelenteng, Sasana/Balai Kepercayaan, Lainnya)."),
        (9, "Kolom nama wajib diisi."),
    ]
    assert sorted(HouseOfWorship.objects.values_list("name", "village_id", "religion")) == [
        ("Gereja Kalimantan Evangelis Komet", "63.72.04.1003", "kristen"),
        ("Masjid Al-Ikhlas", "63.72.02.1005", "islam"),
    ]


def test_importing_the_same_file_twice_changes_nothing(harmony):
    registry_import(kind=HOUSES, text=HOUSES_CSV)

    again = registry_import(kind=HOUSES, text=HOUSES_CSV)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert HouseOfWorship.objects.count() == 2


def test_a_changed_row_updates_the_house_found_by_village_type_and_name(harmony):
    registry_import(kind=HOUSES, text=HOUSES_CSV)

    result = registry_import(kind=HOUSES, text="kode_wilayah;jenis;agama;nama;alamat\n"
                                               "63.72.02.1005;Masjid;Islam;Masjid Al-Ikhlas;Jl. Baru No. 1\n")

    assert (result.created, result.updated) == (0, 1)
    assert HouseOfWorship.objects.get(name="Masjid Al-Ikhlas").address == "Jl. Baru No. 1"


def test_a_file_without_the_coordinate_columns_changes_the_address_and_keeps_the_position(harmony):
    registry_import(kind=HOUSES, text=HOUSES_CSV)

    registry_import(kind=HOUSES, text="kode_wilayah,jenis,agama,nama,alamat\n"
                                      "63.72.02.1005,Masjid,Islam,Masjid Al-Ikhlas,Jl. Baru No. 1\n")

    house = HouseOfWorship.objects.get(name="Masjid Al-Ikhlas")
    assert (house.address, house.latitude, house.longitude) == ("Jl. Baru No. 1", -3.466, 114.788)


def test_empty_optional_cells_keep_what_is_stored(harmony):
    registry_import(kind=HOUSES, text=HOUSES_CSV)
    registry_import(kind=ORGANIZATIONS, text=(
        "kode_wilayah,nama,jenis,agama,tingkat,narahubung,telepon,email\n"
        "63.72,Majelis Ulama Indonesia Kota Banjarbaru,lembaga,Islam,Kota,Hasan Basri,0812-5123-4567,h@example.id\n"))

    houses = registry_import(kind=HOUSES, text="kode_wilayah;jenis;agama;nama;alamat;lintang;bujur\n"
                                                "63.72.02.1005;Masjid;Islam;Masjid Al-Ikhlas;;;\n")
    organizations = registry_import(kind=ORGANIZATIONS, text=(
        "kode_wilayah,nama,jenis,agama,tingkat,narahubung,telepon,email\n"
        "63.72,Majelis Ulama Indonesia Kota Banjarbaru,,Islam,Kota,,,\n"))

    assert (houses.unchanged, organizations.unchanged) == (1, 1)
    house = HouseOfWorship.objects.get(name="Masjid Al-Ikhlas")
    assert (house.address, house.latitude, house.longitude) == ("Jl. Guntung Manggis", -3.466, 114.788)
    organization = ReligiousOrganization.objects.get()
    assert (organization.kind, organization.contact_name, organization.contact_phone, organization.contact_email) == (
        "lembaga", "Hasan Basri", "+6281251234567", "h@example.id")


def test_a_file_without_the_required_columns_is_refused_at_line_one(harmony):
    result = registry_import(kind=POPULATION, text="wilayah,agama,jumlah\n63.72.02.1005,Islam,100\n")

    assert [e.row for e in result.errors] == [1]
    assert "kode_wilayah, tahun" in result.errors[0].message
    assert Population.objects.count() == 0


def test_an_operator_import_refuses_rows_outside_the_office_area(harmony):
    text = ("kode_wilayah,tahun,agama,jumlah\n"
            "63.72.02.1005,2025,Islam,1.234\n"
            "63.03.01.2001,2025,Islam,800\n")

    result = registry_import(kind=POPULATION, text=text, office=harmony.office)

    assert result.created == 1
    assert [(e.row, e.message) for e in result.errors] == [
        (3, "Wilayah Aluh-Aluh Besar (63.03.01.2001) di luar wilayah kerja Kota Banjarbaru."),
    ]
    assert Population.objects.get().count == 1234


def test_organisation_contacts_are_stored_encrypted(harmony):
    text = ("kode_wilayah,nama,jenis,agama,tingkat,narahubung,telepon,email\n"
            "63.72,Majelis Ulama Indonesia Kota Banjarbaru,lembaga,Islam,Kabupaten/Kota,Bapak Hasan Basri,"
            "0812-5123-4567,hasan.basri@example.id\n"
            "63.72.04,Forum Pemuda Lintas Iman,organisasi,Islam,Kecamatan,,0812,\n")

    result = registry_import(kind=ORGANIZATIONS, text=text)

    assert [(e.row, e.message) for e in result.errors] == [(3, "Nomor telepon \u201c0812\u201d tidak valid.")]
    organization = ReligiousOrganization.objects.get()
    assert organization.contact_phone == "+6281251234567"
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_phone, contact_email FROM harmony_religiousorganization")
        stored = cursor.fetchone()
    assert "6281251234567" not in stored[0] and "hasan" not in stored[1]


def test_the_import_command_only_checks_until_told_to_commit(harmony, tmp_path, capsys):
    path = tmp_path / "rumah-ibadah.csv"
    path.write_text(HOUSES_CSV, encoding="utf-8")

    call_command("silapat_import", HOUSES, str(path))
    assert HouseOfWorship.objects.count() == 0

    call_command("silapat_import", HOUSES, str(path), "--commit")
    out = capsys.readouterr()
    assert HouseOfWorship.objects.count() == 2
    assert "Baris 4: Kode wilayah 63.72.99.9999 tidak dikenal." in out.err
    assert "2 baru" in out.out


def test_the_operator_upload_page_lists_each_bad_row_and_keeps_the_good_ones(harmony, as_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = as_user(harmony.operator)
    upload = SimpleUploadedFile("rumah-ibadah.csv", HOUSES_CSV.encode("utf-8"), content_type="text/csv")

    response = client.post("/kantor/silapat/impor/", {"kind": HOUSES, "file": upload})

    assert response.status_code == 200
    html = response.content.decode()
    assert "<td>6</td><td>Masjid bukan rumah ibadah umat Hindu.</td>" in html
    assert HouseOfWorship.objects.count() == 2


def test_only_operators_may_upload(harmony, as_user):
    for person in (harmony.leadership, harmony.world.agency_admin, harmony.world.citizen):
        assert as_user(person).get("/kantor/silapat/impor/").status_code == 403, person


def test_an_organisation_whose_level_is_not_its_regions_is_refused_on_its_row(harmony):
    text = ("kode_wilayah,nama,jenis,agama,tingkat\n"
            "63.72.02.1005,Majelis Taklim Guntung Manggis,organisasi,Islam,Desa\n"
            "63.72.02.1005,Forum Kerukunan Landasan Ulin,organisasi,Islam,Kecamatan\n"
            "63.72.04,Pengurus Masjid Raya Banjarbaru,organisasi,Islam,Nasional\n")

    result = registry_import(kind=ORGANIZATIONS, text=text)

    assert result.created == 2  # the village's own, and a national one registered where it sits
    assert [(e.row, e.message) for e in result.errors] == [
        (3, "Tingkat Kecamatan tidak cocok dengan wilayah Guntung Manggis (Kelurahan/Desa): pilih wilayah tingkat "
            "kecamatan, atau ubah tingkatnya."),
    ]
