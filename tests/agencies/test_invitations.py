"""A new staff account is never a secret kept from its owner: once the form or the import
that made it commits, the officer is e-mailed an invitation naming the agency, the role
and who gave it, with a link that sets their own password and proves their address. An
existing account given a new role gets a short notice. Nothing is sent for what was rolled
back, a dry run or an import that changed nothing (lapor/notifications/invitations.py)."""
import datetime
import io
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone

from lapor.accounts.models import PendingMail
from lapor.agencies.importing import import_agencies, read_file
from lapor.agencies.models import Membership, Role
from lapor.agencies.services import membership_grant, staff_account_create
from lapor.notifications.models import Language, Preference
from lapor.notifications.services import run_background_pass
from lapor.office.views import agency_import
from tests.factories import UserFactory
from tests.notifications.conftest import Mailbox, free_port, serving, smtp_server  # noqa: F401 (a fixture)

PASSWORD = "Sungai-Martapura-2026!"
NEW_OFFICER = {"role": Role.OFFICER, "username": "petugas.jalan", "full_name": "Rahmat Hidayat",
               "email": "rahmat@banjarbarukota.go.id"}
TWO_MINISTRIES = ("slug,name,kind,admin_email,admin_name\n"
                  "kementerian-x,Kementerian X,Kementerian,admin.x@kemenx.example,Dewi Lestari\n"
                  "kementerian-y,Kementerian Y,Kementerian,admin.y@kemeny.example,Agus Salim\n")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed(): …``: what runs after commit runs, as after a real request."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def link_in(message) -> str:
    found = re.search(r"https?://[^/\s]+(/akun/password/reset/key/\S+)", text_of(message))
    assert found, text_of(message)
    return found.group(1)


def create_officer(world, as_user, committed, **changes):
    with committed():
        return as_user(world.agency_admin).post("/kantor/kelola/staf/", {
            "agency": world.pupr.pk, **NEW_OFFICER, **changes}, follow=True)


def test_a_new_officer_is_e_mailed_an_invitation_whose_link_sets_a_password_and_proves_the_address(
        world, as_user, committed, smtp_server):
    response = create_officer(world, as_user, committed)
    assert "undangan dikirim ke rahmat@banjarbarukota.go.id" in response.content.decode()
    [message] = smtp_server.messages
    assert message[0] == ["rahmat@banjarbarukota.go.id"]
    message = message[1]
    body = text_of(message)
    assert message["Subject"] == "[Lapor] Undangan: akun petugas Anda di Dinas PUPR Banjarbaru"
    assert "Yth. Rahmat Hidayat" in body and "Pejabat Penghubung di Dinas PUPR Banjarbaru" in body
    assert "Admin Pemerintah Kota Banjarbaru membuatkan Anda akun petugas" in body
    assert "admin.banjarbaru" not in body  # the agency gives the role, not a named colleague
    assert "Nama pengguna Anda: petugas.jalan" in body and "verifikasi dua langkah" in body
    assert message.get_body(("html",)) is not None and "Buat kata sandi" in message.get_body(("html",)).get_content()

    officer = Client()
    form = officer.get(link_in(message))  # allauth moves the key out of the address bar
    assert form.status_code == 302
    response = officer.post(form["Location"], {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    user = get_user_model().objects.get(username="petugas.jalan")
    assert user.check_password(PASSWORD)
    assert EmailAddress.objects.get(user=user).verified
    for login in ("petugas.jalan", "rahmat@banjarbarukota.go.id"):
        client = Client()
        client.post("/akun/login/", {"login": login, "password": PASSWORD})
        assert client.session.get("_auth_user_id") == str(user.pk), login
    assert Client().get(link_in(message)).context["token_fail"]  # used once: the link is dead now


def test_a_staff_account_whose_creation_failed_is_e_mailed_nothing(world, as_user, committed, smtp_server):
    # The government's admins cannot staff its inspectorate: the role is refused, and the
    # account made a moment before goes with it.
    response = create_officer(world, as_user, committed, agency=world.inspektorat.pk)
    assert response.status_code == 400
    assert not get_user_model().objects.filter(username="petugas.jalan").exists()
    assert smtp_server.messages == []


def test_an_account_and_role_made_in_a_transaction_that_rolls_back_are_e_mailed_nobody(world, committed, smtp_server):
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        user = staff_account_create(by=world.agency_admin, username="petugas.jalan", email=NEW_OFFICER["email"],
                                    full_name="Rahmat Hidayat", agency=world.pupr)
        membership_grant(by=world.agency_admin, user=user, agency=world.pupr, role=Role.OFFICER)
        raise RuntimeError("the server went down before the commit")
    assert smtp_server.messages == [] and not get_user_model().objects.filter(username="petugas.jalan").exists()


def test_an_existing_account_given_a_new_role_gets_a_notice_without_a_link(world, as_user, committed, smtp_server):
    with committed():
        as_user(world.agency_admin).post("/kantor/kelola/staf/", {
            "agency": world.dinkes.pk, "role": Role.UNIT_ADMIN, "username": world.officer.username})
    [(to, message)] = smtp_server.messages
    assert to == [world.officer.email]
    assert message["Subject"] == "[Lapor] Peran baru: Admin Unit Kerja di Dinas Kesehatan Banjarbaru"
    assert "/akun/password/reset/key/" not in text_of(message) and "/kantor/" in text_of(message)
    with committed():  # a role already held: nothing changes, nobody is told
        as_user(world.agency_admin).post("/kantor/kelola/staf/", {
            "agency": world.dinkes.pk, "role": Role.UNIT_ADMIN, "username": world.officer.username})
    assert len(smtp_server.messages) == 1


def test_the_e_mail_is_in_english_for_an_account_that_chose_english(world, as_user, committed, smtp_server):
    never_used = UserFactory(username="new.colleague", email="colleague@example.org", full_name="Maya Putri")
    never_used.set_unusable_password()
    never_used.save()
    Preference.objects.create(user=never_used, language=Language.ENGLISH)
    Preference.objects.create(user=world.officer, language=Language.ENGLISH)
    admin = as_user(world.agency_admin)
    with committed():
        admin.post("/kantor/kelola/staf/", {"agency": world.pupr.pk, "role": Role.OFFICER,
                                            "username": "new.colleague"})
        admin.post("/kantor/kelola/staf/", {"agency": world.dinkes.pk, "role": Role.OFFICER,
                                            "username": world.officer.username})
    [invitation] = smtp_server.to("colleague@example.org")
    assert invitation["Subject"] == "[Lapor] Invitation: your staff account at Dinas PUPR Banjarbaru"
    assert "Dear Maya Putri" in text_of(invitation)
    assert "Liaison Officer at Dinas PUPR Banjarbaru" in text_of(invitation)
    assert "The administrators of Pemerintah Kota Banjarbaru" in text_of(invitation) and link_in(invitation)
    [notice] = smtp_server.to(world.officer.email)
    assert notice["Subject"] == "[Lapor] New role: Liaison Officer at Dinas Kesehatan Banjarbaru"
    assert notice["Content-Language"] == "en"


def run_import(world, committed, text, tmp_path, *, commit=True):
    path = tmp_path / "agencies.csv"
    path.write_text(text, encoding="utf-8")
    with committed():
        return import_agencies(read_file(path), by=world.national_admin, commit=commit)


def test_an_import_invites_each_new_first_admin_once_and_a_dry_run_or_the_same_file_again_nobody(
        world, committed, smtp_server, tmp_path):
    dry = run_import(world, committed, TWO_MINISTRIES, tmp_path, commit=False)
    assert smtp_server.messages == [] and dry.invited == ["admin.x@kemenx.example", "admin.y@kemeny.example"]
    assert "undangan akan dikirim ke admin.x@kemenx.example" in dry.agencies[0].notes
    result = run_import(world, committed, TWO_MINISTRIES, tmp_path)
    assert "undangan dikirim ke admin.x@kemenx.example" in result.agencies[0].notes
    [x] = smtp_server.to("admin.x@kemenx.example")
    [y] = smtp_server.to("admin.y@kemeny.example")
    assert len(smtp_server.messages) == 2
    assert "Admin Instansi di Kementerian X" in text_of(x) and "Admin Nasional Lapor" in text_of(x)
    assert "Nama pengguna Anda: admin.x" in text_of(x) and link_in(y)
    again = run_import(world, committed, TWO_MINISTRIES, tmp_path)
    assert again.writes == 0 and again.invited == [] and len(smtp_server.messages) == 2


def test_one_person_first_admin_of_two_agencies_gets_one_invitation_naming_both(world, committed, smtp_server, tmp_path):
    run_import(world, committed, TWO_MINISTRIES.replace("admin.y@kemeny.example", "admin.x@kemenx.example"), tmp_path)
    [message] = smtp_server.messages
    body = text_of(message[1])
    assert "Admin Instansi di Kementerian X" in body and "Admin Instansi di Kementerian Y" in body


def test_the_command_says_how_many_were_invited_and_sends_them_only_with_commit(world, committed, smtp_server, tmp_path):
    path = tmp_path / "agencies.csv"
    path.write_text(TWO_MINISTRIES, encoding="utf-8")
    out = io.StringIO()
    with committed():
        call_command("import_agencies", str(path), stdout=out)
    assert "2 new admin account(s) would be e-mailed" in out.getvalue() and smtp_server.messages == []
    out = io.StringIO()
    with committed():
        call_command("import_agencies", str(path), "--commit", "--by", "admin.nasional", stdout=out)
    assert "2 new admin account(s) e-mailed a link" in out.getvalue()
    assert "undangan dikirim ke admin.x@kemenx.example" in out.getvalue()
    assert sorted(to[0] for to, _message in smtp_server.messages) == ["admin.x@kemenx.example", "admin.y@kemeny.example"]


def test_the_import_page_says_the_new_admins_were_invited(world, as_user, committed, smtp_server):
    admin = as_user(world.national_admin)
    upload = SimpleUploadedFile("instansi.csv", TWO_MINISTRIES.encode())
    assert "2 admin baru menerima undangan" in admin.post("/kantor/kelola/impor-instansi/",
                                                          {"agencies": upload}).content.decode()
    assert smtp_server.messages == []
    token = admin.session[agency_import.SESSION_KEY]["token"]
    with committed():
        page = admin.post("/kantor/kelola/impor-instansi/impor/", {"token": token}).content.decode()
    assert "Undangan dikirim lewat e-mail ke 2 admin baru" in page and len(smtp_server.messages) == 2


def test_invitations_wait_out_a_mail_server_that_is_down_and_go_out_with_the_periodic_job(
        world, committed, settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 2
    result = run_import(world, committed, TWO_MINISTRIES, tmp_path)
    assert result.agency_counts["created"] == 2 and PendingMail.objects.count() == 2  # kept, sealed
    box = Mailbox()
    server = serving(settings, box)
    try:
        run_background_pass(now=timezone.now() + datetime.timedelta(minutes=2))
    finally:
        server.stop()
    assert len(box.to("admin.x@kemenx.example")) == 1 and len(box.to("admin.y@kemeny.example")) == 1
    assert not PendingMail.objects.exists()
    assert Membership.objects.filter(user__username="admin.x", role=Role.AGENCY_ADMIN).exists()
