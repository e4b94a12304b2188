"""SPEC §10: the demo agency tree, its routing rules and one person for every role."""
import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lapor.accounts.models import ReporterProfile, Sex, User
from lapor.agencies.models import Agency, Membership, Role, RoutingRule
from lapor.categories.models import Category
from lapor.demo.seed import DEFAULT_PASSWORD, DemoSeedError, seed_demo
from lapor.regions.models import Region

pytestmark = pytest.mark.usefixtures("fast_passwords")

MODELS = [Agency, Membership, RoutingRule, User, ReporterProfile, Category]


@pytest.fixture
def demo(kalsel_regions):
    return seed_demo(password=DEFAULT_PASSWORD)


def agency(slug):
    return Agency.objects.get(slug=slug)


def member(username):
    return Membership.objects.select_related("agency").get(user__username=username)


def rule(subtopic, region):
    return RoutingRule.objects.select_related("agency").get(category__name=subtopic, region_id=region)


def test_seeding_twice_creates_nothing_new(demo):
    before = {model: model.objects.count() for model in MODELS}

    again = seed_demo(password=DEFAULT_PASSWORD)

    assert {model: model.objects.count() for model in MODELS} == before
    assert again == demo
    assert Agency.objects.get(slug="banjarbaru-inspektorat").supervises.count() == 1


def test_seeding_gives_back_the_documented_password_to_a_demo_account(demo):
    officer = User.objects.get(username="petugas.pupr")
    officer.set_password("diganti-saat-pelatihan")
    officer.save()

    seed_demo(password=DEFAULT_PASSWORD)

    officer.refresh_from_db()
    assert officer.check_password(DEFAULT_PASSWORD)


def test_seeding_again_leaves_a_deactivated_account_and_a_removed_role_as_the_office_left_them(demo):
    """script/start seeds on every start: a restart must not bring back a login or a right
    the office took away."""
    leaver = User.objects.get(username="petugas.dinkes")
    leaver.is_active = False
    leaver.save()
    Membership.objects.filter(user__username="petugas.pupr").delete()
    admin = User.objects.get(username="admin.nasional")
    admin.is_superuser = False
    admin.save()

    again = seed_demo(password=DEFAULT_PASSWORD)

    leaver.refresh_from_db()
    assert not leaver.is_active
    assert not Membership.objects.filter(user__username="petugas.pupr").exists()
    assert not User.objects.get(username="admin.nasional").is_superuser
    listed = {login.username for login in again}
    assert "petugas.dinkes" not in listed and "petugas.pupr" not in listed  # not printed as what they no longer are
    assert "admin.banjarbaru" in listed


def test_a_printed_demo_citizen_signs_in_through_the_login_page_and_reaches_their_reports(demo, client):
    response = client.post("/akun/login/", {"login": "warga.banjarbaru", "password": DEFAULT_PASSWORD})
    assert response.status_code == 302 and "confirm-email" not in response["Location"]  # no "check your e-mail" dead end
    assert client.get("/laporan-saya/").status_code == 200


def test_a_printed_demo_officer_signs_in_and_is_asked_for_a_second_factor_not_an_e_mail(demo, client):
    response = client.post("/akun/login/", {"login": "admin.banjarbaru", "password": DEFAULT_PASSWORD})
    assert response.status_code == 302 and "confirm-email" not in response["Location"]
    office = client.get("/kantor/")
    assert office.status_code == 302 and "/akun/2fa/" in office["Location"]


def test_the_banjarbaru_agency_admin_works_at_diskominfo_but_holds_the_whole_city(demo):
    admin = member("admin.banjarbaru")
    pemkot = agency("pemkot-banjarbaru")

    assert (admin.role, admin.agency) == (Role.AGENCY_ADMIN, pemkot)
    assert agency("banjarbaru-dinas-pupr").is_within(pemkot)
    assert agency("banjarbaru-pupr-bina-marga").is_within(pemkot)
    assert agency("banjarbaru-diskominfo").is_within(pemkot)
    assert not agency("banjar-dinas-pupr").is_within(pemkot)


def test_the_ombudsman_supervises_the_three_governments(demo):
    supervised = set(agency("ombudsman-kalsel").supervises.values_list("slug", flat=True))

    assert supervised == {"pemprov-kalsel", "pemkot-banjarbaru", "pemkab-banjar"}


def test_each_inspectorate_supervises_its_own_government_and_takes_its_whistle_blowing(demo):
    for government, inspectorate in [
        ("pemprov-kalsel", "kalsel-inspektorat"),
        ("pemkot-banjarbaru", "banjarbaru-inspektorat"),
        ("pemkab-banjar", "banjar-inspektorat"),
    ]:
        assert list(agency(inspectorate).supervises.values_list("slug", flat=True)) == [government]
        assert agency(government).inspectorate() == agency(inspectorate)
    assert agency("banjarbaru-pupr-bina-marga").inspectorate() == agency("banjarbaru-inspektorat")


def test_the_citys_whistle_blowing_has_an_admin_at_its_inspectorate_not_at_the_city(demo):
    from lapor.accounts.models import User
    from lapor.reports import policy, services

    whistle = services.report_submit(reporter=User.objects.get(username="warga.banjarbaru"), kind="whistleblowing",
                                     title="Pungli", body="Di loket.", addressed_agency=agency("pemkot-banjarbaru"))
    inspectorate_admin = User.objects.get(username="admin.inspektorat")
    assert policy.allowed_actions(inspectorate_admin, whistle)[0] == "verify"
    assert not policy.can_view(User.objects.get(username="admin.banjarbaru"), whistle)


def test_the_governments_are_in_wita_with_their_sms_keywords(demo):
    for slug, region, keyword in [
        ("pemprov-kalsel", "63", "KALSEL"),
        ("pemkot-banjarbaru", "63.72", "BANJARBARU"),
        ("pemkab-banjar", "63.03", "BANJAR"),
    ]:
        government = agency(slug)
        assert (government.region_id, government.sms_keyword, government.time_zone) == (
            region, keyword, "Asia/Makassar",
        )
    assert agency("kemenpanrb").time_zone == "Asia/Jakarta"


def test_every_role_has_a_demo_member(demo):
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)


def test_staff_may_enter_the_admin_and_citizens_may_not(demo):
    staff = User.objects.filter(memberships__isnull=False).distinct()
    # Eleven in the demo tree, plus SILAPAT's Kesbangpol operator and head (issue #8).
    assert staff.count() == 13
    assert all(user.is_staff for user in staff)
    assert set(User.objects.filter(is_superuser=True).values_list("username", flat=True)) == {"admin.nasional"}
    assert not User.objects.filter(profile__isnull=False, is_staff=True).exists()


def test_a_report_about_a_road_goes_to_the_most_local_public_works_office(demo):
    assert rule("Jalan Rusak", "63.72").agency.slug == "banjarbaru-dinas-pupr"
    assert rule("Jalan Rusak", "63.03").agency.slug == "banjar-dinas-pupr"
    assert rule("Jalan Rusak", "63").agency.slug == "kalsel-dinas-pupr"
    assert rule("BPJS Kesehatan", "63.72").agency.slug == "banjarbaru-dinas-kesehatan"
    assert rule("Kerukunan Umat Beragama", "63.72").agency.slug == "banjarbaru-kesbangpol"
    assert rule("Keterlibatan ASN dalam Kampanye", None).agency.slug == "kemenpanrb"


def test_the_proxy_is_an_rt_head_in_a_banjarbaru_village(demo):
    profile = ReporterProfile.objects.select_related("proxy_region").get(user__username="rt05.guntungmanggis")

    assert profile.is_proxy
    assert profile.proxy_region.level == Region.Level.VILLAGE
    assert profile.proxy_region.code.startswith("63.72.")
    assert not ReporterProfile.objects.filter(is_proxy=True).exclude(pk=profile.pk).exists()


def test_the_demo_citizens_niks_agree_with_their_district_birth_date_and_sex(demo):
    profiles = ReporterProfile.objects.all()
    assert profiles.count() == 3
    for profile in profiles:
        nik = profile.nik
        assert len(nik) == 16 and nik.isdigit()
        # Digits 1–6: a real district of Kota Banjarbaru.
        district = f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}"
        assert Region.objects.filter(code=district, level=Region.Level.DISTRICT, parent_id="63.72").exists()
        # Digits 7–12: DDMMYY, with 40 added to the day for women.
        day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
        if profile.sex == Sex.FEMALE:
            assert day > 40
            day -= 40
        else:
            assert profile.sex == Sex.MALE and day <= 31
        assert datetime.date(1900 + year, month, day) == profile.birth_date
        # Digits 13–16: a serial that is never 0000.
        assert nik[12:] != "0000"
        assert profile.phone.startswith("+628") and profile.email.endswith("@example.id")
    assert {p.sex for p in profiles} == {Sex.MALE, Sex.FEMALE}


def test_seeding_without_regions_says_what_to_run(db):
    with pytest.raises(DemoSeedError, match="load_regions"):
        seed_demo(password=DEFAULT_PASSWORD)


def test_the_command_prints_a_table_of_demo_logins(kalsel_regions, monkeypatch):
    monkeypatch.setenv("LAPOR_DEMO_PASSWORD", "sandi-pelatihan-1")
    out = io.StringIO()

    call_command("seed", "--skip-regions", stdout=out)

    lines = out.getvalue().splitlines()
    row = next(line for line in lines if line.startswith("admin.banjarbaru "))
    assert "Admin Instansi" in row and "Pemerintah Kota Banjarbaru" in row and "sandi-pelatihan-1" in row
    assert User.objects.get(username="warga.banjarbaru").check_password("sandi-pelatihan-1")


def test_the_command_without_regions_fails_with_a_hint(db):
    with pytest.raises(CommandError, match="load_regions"):
        call_command("seed", "--skip-regions", stdout=io.StringIO())


@pytest.mark.django_db
def test_production_seeding_loads_reference_data_and_no_demo_account():
    """``LAPOR_DEMO=0 bash script/start`` runs ``seed --no-demo``: no login with the README's
    password exists afterwards."""
    from io import StringIO

    from django.core.management import call_command

    from lapor.categories.models import Category

    out = StringIO()
    call_command("seed", no_demo=True, skip_regions=True, stdout=out)
    assert Category.objects.exists()
    assert not User.objects.exists() and not Agency.objects.exists()
    assert "createsuperuser" in out.getvalue()
