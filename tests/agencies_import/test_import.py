"""A Kominfo office imports its agency tree from a file (SPEC §10, §13): in any row order,
under the model's own rules, with errors per line and the valid rows kept."""
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from lapor.agencies.importing import import_agencies, read_file
from lapor.agencies.models import Agency, Membership, Role, RoutingRule
from lapor.audit.models import AuditEntry
from lapor.reports.importing import Unreadable
from tests.factories import CategoryFactory, UserFactory

from .conftest import HEADER, by_line

WORLD = ["kemenpanrb", "pemkot", "pupr", "bina-marga", "dinkes", "inspektorat", "pemkab", "pupr-banjar",
         "inspektorat-banjar", "ombudsman"]  # tests/personas.py
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "agencies.csv"

TREE = HEADER + (
    # children first, the government last: the order of rows does not matter
    "mataram-pupr-bina-marga,Bidang Bina Marga,,unit,mataram-dinas-pupr,,,,,,\n"
    "mataram-dinas-pupr,Dinas PUPR Kota Mataram,Dinas PUPR,Perangkat Daerah / Unit Kerja,pemkot-mataram,,,,,,\n"
    "mataram-inspektorat,Inspektorat Kota Mataram,,unit,pemkot-mataram,,,,ya,pemkot-mataram,\n"
    "pemkot-mataram,Pemerintah Kota Mataram,Pemkot Mataram,pemerintah kabupaten/kota,,52.71,,mataram,tidak,,ya\n"
)


def test_a_tree_is_imported_whatever_the_order_of_its_rows(run):
    result = run(TREE)
    assert result.agency_counts == {"created": 4, "changed": 0, "unchanged": 0, "error": 0}
    city = Agency.objects.get(slug="pemkot-mataram")
    bina_marga = Agency.objects.get(slug="mataram-pupr-bina-marga")
    assert bina_marga.parent.slug == "mataram-dinas-pupr" and bina_marga.is_within(city)
    assert (city.kind, city.sms_keyword, city.region_id) == ("regency", "MATARAM", "52.71")
    assert bina_marga.region_id == "52.71"  # a unit without a region works in its parent's
    inspektorat = Agency.objects.get(slug="mataram-inspektorat")
    assert inspektorat.is_inspectorate and list(inspektorat.supervises.all()) == [city]
    assert city.inspectorate() == inspektorat


def test_a_unit_outside_its_parents_region_is_refused_and_the_other_rows_are_kept(run):
    result = run(TREE + "mataram-kecamatan-x,Kantor di Banjar,,unit,pemkot-mataram,63.03,,,,,\n")
    row = by_line(result.agencies)[6]
    assert row.status == "error" and "di luar wilayah induknya" in " ".join(row.errors["region"])
    assert not Agency.objects.filter(slug="mataram-kecamatan-x").exists()
    assert Agency.objects.filter(slug__startswith="mataram").count() == 3


def test_sms_keywords_follow_the_models_rules(run):
    result = run(HEADER + "pemkot-mataram,Pemerintah Kota Mataram,,regency,,52.71,,BAN JAR!,,,\n"
                          "pemkab-lobar,Pemerintah Kabupaten Lombok Barat,,regency,,52.01,,CEK,,,\n"
                          "pemprov-ntb,Pemerintah Provinsi NTB,,province,,52,,ntb,,,\n")
    rows = by_line(result.agencies)
    assert "huruf dan angka" in rows[2].errors["sms_keyword"][0]
    assert "CEK" in rows[3].errors["sms_keyword"][0] and "perintah SMS" in rows[3].errors["sms_keyword"][0]
    assert Agency.objects.get(slug="pemprov-ntb").sms_keyword == "NTB"
    assert not Agency.objects.filter(slug__in=["pemkot-mataram", "pemkab-lobar"]).exists()


def test_a_keyword_another_agency_holds_is_refused(run, world):
    result = run(HEADER + "pemkot-mataram,Pemerintah Kota Mataram,,regency,,52.71,,BANJAR,,,\n")
    assert result.agencies[0].status == "error" and "sms_keyword" in result.agencies[0].errors


def test_errors_name_the_line_and_the_field_and_the_valid_rows_are_kept(run):
    result = run(HEADER + "pemkot-mataram,Pemerintah Kota Mataram,,regency,,52.71,,,,,\n"
                          "mataram-dinas-x,,,dinas,pemkot-mataram,99.99,UTC,,mungkin,,\n"
                          "mataram-dinas-kesehatan,Dinas Kesehatan,,unit,pemkot-mataram,,,,,,\n")
    bad = by_line(result.agencies)[3]
    assert set(bad.errors) == {"name", "kind", "region", "time_zone", "is_inspectorate"}
    assert "99.99" in bad.errors["region"][0] and "UTC" in bad.errors["time_zone"][0]
    assert "mungkin" in bad.errors["is_inspectorate"][0]
    assert result.agency_counts == {"created": 2, "changed": 0, "unchanged": 0, "error": 1}


def test_a_row_whose_parent_row_failed_fails_naming_the_parents_line(run):
    result = run(HEADER + "mataram-dinas-pupr,Dinas PUPR,,unit,pemkot-mataram,,,,,,\n"
                          "pemkot-mataram,Pemerintah Kota Mataram,,regency,,52.71,,CEK,,,\n")
    child = by_line(result.agencies)[2]
    assert child.status == "error"
    assert "pemkot-mataram (baris 3)" in child.errors["parent"][0]
    assert not Agency.objects.filter(slug__startswith="mataram").exists()


def test_an_unknown_parent_is_an_error_on_its_line(run):
    result = run(HEADER + "mataram-dinas-pupr,Dinas PUPR,,unit,pemkot-tidak-ada,,,,,,\n")
    assert "pemkot-tidak-ada" in result.agencies[0].errors["parent"][0]


def test_a_cycle_among_rows_is_an_error_on_each_of_them_and_on_nothing_else(run):
    result = run(HEADER + "a-satu,Satu,,unit,a-dua,52,,,,,\n"
                          "a-dua,Dua,,unit,a-tiga,52,,,,,\n"
                          "a-tiga,Tiga,,unit,a-satu,52,,,,,\n"
                          "a-empat,Empat,,unit,a-satu,52,,,,,\n"
                          "a-lima,Lima,,unit,,52,,,,,\n")
    rows = by_line(result.agencies)
    for line in (2, 3, 4):
        assert "berputar" in rows[line].errors["parent"][0]
    assert "a-satu (baris 2)" in rows[5].errors["parent"][0]  # below the cycle: its parent failed
    assert rows[6].status == "created"


def test_the_same_slug_twice_is_an_error_on_its_second_line(run):
    result = run(HEADER + "pemkot-mataram,Pemerintah Kota Mataram,,regency,,52.71,,,,,\n"
                          "pemkot-mataram,Kota Mataram (lagi),,regency,,52.71,,,,,\n")
    rows = by_line(result.agencies)
    assert rows[2].status == "created"
    assert "baris 2" in rows[3].errors["slug"][0]
    assert Agency.objects.get(slug="pemkot-mataram").name == "Pemerintah Kota Mataram"


def test_importing_the_same_file_again_changes_nothing_and_says_so(run):
    run(TREE)
    entries = AuditEntry.objects.count()
    result = run(TREE)
    assert result.agency_counts == {"created": 0, "changed": 0, "unchanged": 4, "error": 0}
    assert result.writes == 0 and AuditEntry.objects.count() == entries


def test_a_changed_row_is_updated_and_audited_as_the_importer(run, world):
    run(TREE)
    result = run(TREE.replace("Pemerintah Kota Mataram,Pemkot Mataram", "Pemerintah Kota Mataram,Pemkot MTR"))
    row = by_line(result.agencies)[5]
    assert row.status == "changed" and row.changed == ["short_name"]
    entry = AuditEntry.objects.filter(object_id=str(Agency.objects.get(slug="pemkot-mataram").pk)).latest("at")
    assert (entry.action, entry.actor, entry.changes) == ("changed", world.national_admin,
                                                          {"short_name": ["Pemkot Mataram", "Pemkot MTR"]})


def test_changing_a_rows_parent_moves_the_agency_with_its_units(run):
    run(TREE + "mataram-dinas-kesehatan,Dinas Kesehatan Kota Mataram,,unit,pemkot-mataram,,,,,,\n")
    moved = TREE.replace("Dinas PUPR,Perangkat Daerah / Unit Kerja,pemkot-mataram",
                         "Dinas PUPR,Perangkat Daerah / Unit Kerja,mataram-dinas-kesehatan")
    result = run(moved)
    assert by_line(result.agencies)[3].changed == ["parent"]
    dinkes, pupr = Agency.objects.get(slug="mataram-dinas-kesehatan"), Agency.objects.get(slug="mataram-dinas-pupr")
    bina_marga = Agency.objects.get(slug="mataram-pupr-bina-marga")
    assert pupr.parent == dinkes and pupr.is_within(dinkes) and bina_marga.is_within(dinkes)


def test_the_time_zone_comes_from_the_row_its_region_or_its_parent(run):
    run(HEADER + "pemprov-papua,Pemerintah Provinsi Papua,,province,,91,,,,,\n"
                 "papua-dinas-pupr,Dinas PUPR Papua,,unit,pemprov-papua,,,,,,\n"
                 "pemkot-mataram,Pemerintah Kota Mataram,,regency,,52.71,,,,,\n"
                 "pemprov-dki,Pemerintah Provinsi DKI Jakarta,,province,,31,,,,,\n"
                 "kementerian-x,Kementerian X,,Kementerian,,,,,,,\n"
                 "kanwil-x-papua,Kanwil Kementerian X Papua,,unit,kementerian-x,91.03,,,,,\n"
                 "kantor-x-lain,Kantor X,,unit,kementerian-x,,wit,,,,\n")
    zones = dict(Agency.objects.exclude(slug__in=WORLD).values_list("slug", "time_zone"))
    assert zones == {"pemprov-papua": "Asia/Jayapura", "papua-dinas-pupr": "Asia/Jayapura",
                     "pemkot-mataram": "Asia/Makassar", "pemprov-dki": "Asia/Jakarta", "kementerian-x": "Asia/Jakarta",
                     "kanwil-x-papua": "Asia/Jayapura", "kantor-x-lain": "Asia/Jayapura"}


def test_an_admin_email_makes_an_agency_admin_who_can_also_set_a_password_with_lupa_kata_sandi(run, client, mailoutbox):
    result = run("slug,name,kind,region,admin_email,admin_name\n"
                 "pemkot-mataram,Pemerintah Kota Mataram,regency,52.71,admin.mataram@mataramkota.example,Lalu Fauzi\n")
    assert "akun baru admin.mataram" in result.agencies[0].notes
    user = get_user_model().objects.get(username="admin.mataram")
    assert user.full_name == "Lalu Fauzi" and not user.has_usable_password()
    assert Membership.objects.filter(user=user, agency__slug="pemkot-mataram", role=Role.AGENCY_ADMIN).exists()
    response = client.post("/akun/password/reset/", {"email": "admin.mataram@mataramkota.example"})
    assert response.status_code == 302
    [message] = mailoutbox
    assert message.to == ["admin.mataram@mataramkota.example"] and "/akun/password/reset/key/" in message.body


def test_an_admin_email_of_an_existing_account_gives_it_the_role(run):
    person = UserFactory(username="bu.nur", email="Nur@ntbprov.example")
    users = get_user_model().objects.count()
    result = run("slug,name,kind,region,admin_email\npemprov-ntb,Pemerintah Provinsi NTB,province,52,nur@ntbprov.example\n")
    assert get_user_model().objects.count() == users
    assert Membership.objects.filter(user=person, agency__slug="pemprov-ntb", role=Role.AGENCY_ADMIN).exists()
    assert result.agencies[0].notes == ["bu.nur menjadi Admin Instansi"]


def test_routing_rules_are_imported_with_the_tree(run, world):
    roads = world.category  # jalan-rusak
    CategoryFactory(name="Kesehatan", slug="kesehatan")
    routing = ("category,region,agency\n"
               "jalan-rusak,52.71,mataram-dinas-pupr\n"
               "kesehatan,,pemkot-mataram\n"
               "jalan-tidak-ada,52.71,mataram-dinas-pupr\n"
               "jalan-rusak,5271,pemkot-mataram\n")
    result = run(TREE, routing=routing)
    rows = by_line(result.routing)
    assert [rows[n].status for n in (2, 3)] == ["created", "created"]
    assert "jalan-tidak-ada" in rows[4].errors["category"][0]
    assert "baris 2" in rows[5].errors["region"][0]  # 5271 is 52.71: the same pair twice
    rule = RoutingRule.objects.get(category=roads)
    assert (rule.region_id, rule.agency.slug) == ("52.71", "mataram-dinas-pupr")
    again = run(TREE, routing="category,region,agency\njalan-rusak,52.71,mataram-dinas-pupr\n"
                              "kesehatan,,mataram-dinas-pupr\n")
    assert [r.status for r in again.routing] == ["unchanged", "changed"]
    assert RoutingRule.objects.get(category__slug="kesehatan").agency.slug == "mataram-dinas-pupr"


def test_a_routing_rule_to_an_agency_whose_row_failed_fails_too(run):
    result = run(HEADER + "pemkot-mataram,Pemerintah Kota Mataram,,regency,,52.71,,CEK,,,\n",
                 routing="category,region,agency\njalan-rusak,52.71,pemkot-mataram\n")
    assert "baris 2" in result.routing[0].errors["agency"][0]
    assert not RoutingRule.objects.exists()


def test_a_dry_run_writes_nothing_but_says_what_would_happen(run):
    counts = (Agency.objects.count(), AuditEntry.objects.count(), get_user_model().objects.count())
    result = run(TREE, commit=False,
                 routing="category,region,agency\njalan-rusak,52.71,mataram-dinas-pupr\n")
    assert result.agency_counts["created"] == 4 and result.routing_counts["created"] == 1
    assert (Agency.objects.count(), AuditEntry.objects.count(), get_user_model().objects.count()) == counts
    assert not RoutingRule.objects.exists()


def test_taking_a_unit_and_its_own_units_out_of_service_in_one_file(run):
    """The model refuses to close a unit while one below it is active: the rows that close
    units are done from the bottom up, whatever their order in the file."""
    run(TREE)
    result = run("slug,name,parent,is_active\n"
                 "mataram-dinas-pupr,Dinas PUPR Kota Mataram,pemkot-mataram,tidak\n"
                 "mataram-pupr-bina-marga,Bidang Bina Marga,mataram-dinas-pupr,tidak\n")
    assert [(r.status, r.changed) for r in result.agencies] == [("changed", ["is_active"])] * 2
    assert not Agency.objects.filter(slug__in=["mataram-dinas-pupr", "mataram-pupr-bina-marga"], is_active=True).exists()


def test_a_column_the_file_does_not_have_is_left_as_it_was(run):
    run(TREE)
    result = run("slug,name\npemkot-mataram,Pemerintah Kota Mataram (baru)\n")
    city = Agency.objects.get(slug="pemkot-mataram")
    assert result.agencies[0].changed == ["name"]
    assert (city.sms_keyword, city.region_id, city.kind) == ("MATARAM", "52.71", "regency")


def test_unknown_columns_stop_the_file_naming_them_and_the_known_ones(write, regions):
    with pytest.raises(Unreadable) as error:
        read_file(write("slug,name,parrent\npemkot-mataram,Pemerintah Kota Mataram,\n"))
    assert "parrent" in str(error.value) and "parent" in str(error.value).split("parrent")[1]


def test_a_file_without_rows_or_a_name_column_is_refused(write):
    with pytest.raises(Unreadable):
        read_file(write("slug,name\n"))
    with pytest.raises(Unreadable) as error:
        read_file(write("slug,short_name\npemkot,Pemkot\n"))
    assert "Kolom wajib tidak ada: name." in str(error.value)


def test_the_example_file_in_the_docs_imports_a_whole_province(regions, world):
    result = import_agencies(read_file(EXAMPLE), by=world.national_admin, commit=True)
    assert result.agency_counts == {"created": 10, "changed": 0, "unchanged": 0, "error": 0}
    ombudsman = Agency.objects.get(slug="ombudsman-ntb")
    assert ombudsman.kind == "supervisor"
    assert sorted(a.slug for a in ombudsman.supervises.all()) == ["pemkab-lombok-barat", "pemkot-mataram",
                                                                 "pemprov-ntb"]
    assert set(Agency.objects.filter(slug__in=[r.key for r in result.agencies]).values_list("time_zone", flat=True)) \
        == {"Asia/Makassar"}
    assert Agency.objects.get(slug="lobar-inspektorat").is_within(Agency.objects.get(slug="pemkab-lombok-barat"))
    assert Membership.objects.filter(agency__slug="pemkot-mataram", role=Role.AGENCY_ADMIN).count() == 1


def test_a_row_that_supervises_a_row_that_failed_fails_with_its_units_and_leaves_nothing(run):
    result = run(HEADER + "ombudsman-ntb,Ombudsman NTB,,supervisor,,52,,,,pemkot-mataram,\n"
                          "pemkot-mataram,Pemerintah Kota Mataram,,regency,,52.71,,CEK,,,\n"
                          "ombudsman-ntb-sekretariat,Sekretariat,,unit,ombudsman-ntb,,,,,,\n"
                          "pemprov-ntb,Pemerintah Provinsi NTB,,province,,52,,,,,\n")
    rows = by_line(result.agencies)
    assert "pemkot-mataram (baris 3)" in rows[2].errors["supervises"][0]
    assert "ombudsman-ntb (baris 2)" in rows[4].errors["parent"][0]
    assert rows[5].status == "created"
    assert list(Agency.objects.filter(slug__contains="ntb").values_list("slug", flat=True)) == ["pemprov-ntb"]
    assert AuditEntry.objects.filter(object_label__icontains="ombudsman ntb").count() == 0
