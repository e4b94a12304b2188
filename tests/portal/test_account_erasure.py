"""Deleting one's account from the profile (/profil/hapus-akun/), and the operating agency
doing it in the Django admin for someone who cannot (UU 27/2022, the right to erasure).
The reports stay, still shown and handled, without the person's name
(lapor/accounts/erasure.py; the service's own tests: tests/accounts/test_erasure.py)."""

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth.models import Permission
from django.test import Client

from lapor.accounts.models import ReporterProfile, User
from lapor.audit.models import AuditEntry

from ..accounts.people import EMAIL, NAME, NIK, PASSWORD, PHONE, siti  # noqa: F401 (siti: a fixture)
from ..office.staff import sign_in
from .conftest import answered

pytestmark = pytest.mark.django_db

ERASE = "/profil/hapus-akun/"


@pytest.fixture
def siti_client(client, siti):
    client.force_login(siti)
    return client


def erased(user) -> bool:
    return User.objects.get(pk=user.pk).is_erased


def test_the_profile_links_to_deleting_the_account(siti_client):
    assert f'href="{ERASE}"' in siti_client.get("/profil/").content.decode()


def test_the_page_says_what_goes_what_stays_and_to_download_first(siti_client):
    page = siti_client.get(ERASE).content.decode()
    for said in ("Penghapusan tidak dapat dibatalkan", 'href="/profil/data-pribadi/"', "NIK, nomor telepon",
                 "Laporan Anda tetap tampil dan tetap ditangani", "tanpa nama dan kontak Anda",
                 "Anda tidak menerima kabar apa pun lagi", 'name="password"'):
        assert said in page, said


def test_a_wrong_password_erases_nothing_and_says_so(siti_client, siti):
    for sent in ({"password": "salah-sekali"}, {"password": ""}, {}):
        response = siti_client.post(ERASE, sent)
        assert response.status_code == 400
        assert "Kata sandi salah. Tidak ada yang dihapus." in response.content.decode()
    assert not erased(siti) and ReporterProfile.objects.get(user=siti).nik == NIK
    assert siti_client.get("/profil/").status_code == 200  # still signed in


def test_the_right_password_erases_signs_out_and_says_it_is_done(siti_client, siti):
    response = siti_client.post(ERASE, {"password": PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0] == "/profil/hapus-akun/selesai/"
    assert "Akun Anda telah dihapus" in response.content.decode()
    assert erased(siti) and not ReporterProfile.objects.filter(user=siti).exists()
    assert siti_client.get("/profil/").status_code == 302  # signed out
    again = Client()
    again.post("/akun/login/", {"login": "nurhaliza.r", "password": PASSWORD})
    assert "_auth_user_id" not in again.session


def test_an_account_without_a_password_confirms_by_typing_the_phrase(client, siti):
    User.objects.filter(pk=siti.pk).update(password="!unusable")
    SocialAccount.objects.create(user=siti, provider="google", uid="104233017788")
    client.force_login(User.objects.get(pk=siti.pk))
    page = client.get(ERASE).content.decode()
    assert "HAPUS AKUN SAYA" in page and 'name="password"' not in page

    wrong = client.post(ERASE, {"phrase": "hapus"})
    assert wrong.status_code == 400 and "Ketik persis: HAPUS AKUN SAYA" in wrong.content.decode()
    assert not erased(siti)

    assert client.post(ERASE, {"phrase": " hapus  akun saya "}).status_code == 302
    assert erased(siti) and not SocialAccount.objects.exists()


def test_a_staff_account_is_told_to_ask_an_admin_and_erases_nothing(client, world):
    sign_in(client, world.officer)
    page = client.get(ERASE).content.decode()
    assert "Akun staf tidak dapat dihapus di sini" in page and 'name="password"' not in page
    response = client.post(ERASE, {"password": PASSWORD})
    assert response.status_code == 400 and "Minta admin instansi mencabut semua peran" in response.content.decode()
    assert not erased(world.officer)


def test_their_report_still_shows_to_the_public_without_their_name(client, world, siti, kalsel):
    report = answered(world, reporter=siti, title="Jalan berlubang di depan SDN 3", show_reporter_name=True)
    assert NAME in client.get(report.get_absolute_url()).content.decode()

    signed_in = Client()
    signed_in.force_login(siti)
    signed_in.post(ERASE, {"password": PASSWORD})

    page = client.get(report.get_absolute_url()).content.decode()
    listing = client.get("/laporan/").content.decode()
    assert "Jalan berlubang di depan SDN 3" in page and "Sudah kami tambal" in page
    assert "Warga (akun dihapus)" in page and NAME not in page
    assert "Jalan berlubang di depan SDN 3" in listing and NAME not in listing


def test_the_staff_workspace_of_their_report_shows_no_identity(client, world, siti):
    report = answered(world, reporter=siti, title="Jalan berlubang di depan SDN 3")
    signed_in = Client()
    signed_in.force_login(siti)
    signed_in.post(ERASE, {"password": PASSWORD})

    sign_in(client, world.unit_admin)
    response = client.get(f"/kantor/laporan/{report.tracking_id}/")
    page = response.content.decode()
    assert response.status_code == 200 and "Warga (akun dihapus)" in page
    for secret in (NAME, NIK, PHONE, EMAIL, "nurhaliza.r"):
        assert secret not in page, secret


def test_the_privacy_notice_says_how_to_delete_an_account(client, db):
    page = client.get("/privasi/").content.decode()
    assert f'<a href="{ERASE}">Hapus akun</a>' in page
    assert "lewat SMS 1708 atau oleh RT/RW tidak memiliki kata sandi" in page


# --- The operating agency, in the Django admin ----------------------------------------------

def admin_action(client, users, follow=False, **extra):
    return client.post("/admin/accounts/user/", {"action": "erase_personal_data",
                                                 "_selected_action": [u.pk for u in users], **extra}, follow=follow)


def test_the_admin_erases_on_request_with_a_reason(admin_client, siti):
    confirm = admin_action(admin_client, [siti])
    assert confirm.status_code == 200 and "nurhaliza.r" in confirm.content.decode()
    assert not erased(siti)  # asked first

    response = admin_action(admin_client, [siti], confirm="1", reason="Permintaan lewat surat no. 12/PPID/2026")

    assert response.status_code == 302 and erased(siti)
    entry = AuditEntry.objects.get(action="deleted", object_id=str(siti.pk))
    assert entry.via_admin and "surat no. 12/PPID/2026" in entry.note


def test_the_admin_action_refuses_without_a_reason(admin_client, siti):
    response = admin_action(admin_client, [siti], confirm="1", reason="   ")
    assert response.status_code == 400 and "Alasan wajib diisi." in response.content.decode()
    assert not erased(siti)


def test_the_admin_action_refuses_a_staff_account_by_name(admin_client, world, siti):
    confirm = admin_action(admin_client, [world.officer]).content.decode()
    assert "tidak dapat dihapus:" in confirm and "Akun staf" in confirm

    response = admin_action(admin_client, [world.officer, siti], confirm="1", reason="Permintaan no. 3", follow=True)

    page = response.content.decode().lower()  # the admin capitalises its messages
    assert "petugas.pupr: akun staf tidak dapat dihapus di sini" in page
    assert not erased(world.officer) and erased(siti)


def test_only_superusers_and_national_admins_are_offered_the_action(world):
    change_users = Permission.objects.filter(codename__in=["view_user", "change_user"])
    offered = {}
    for who in ("national_admin", "agency_admin"):
        person = getattr(world, who)
        person.user_permissions.add(*change_users)
        page = sign_in(Client(), person).get("/admin/accounts/user/").content.decode()
        offered[who] = 'value="erase_personal_data"' in page
    assert offered == {"national_admin": True, "agency_admin": False}
