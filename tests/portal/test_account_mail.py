"""Account e-mail survives a mail server that is down: signing up or asking for a new
password is never a 500, and the confirmation or reset link goes out once the server is
back (lapor/accounts/mail.py)."""
import datetime
import re

import pytest
from django.db import connection
from django.utils import timezone

from lapor.accounts.models import PendingMail, User
from lapor.notifications.services import run_background_pass
from tests.notifications.conftest import Mailbox, free_port, serving

from .test_accounts import SIGNUP


@pytest.fixture
def mail_server_down(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 2


def back_up(settings) -> tuple[Mailbox, object]:
    mailbox = Mailbox()
    return mailbox, serving(settings, mailbox)


def test_signing_up_while_the_mail_server_is_down_keeps_the_confirmation_and_sends_it_later(
        client, kalsel, mail_server_down, settings):
    response = client.post("/akun/signup/", SIGNUP)
    assert response.status_code == 302  # to "we sent you an e-mail", not a server error
    assert User.objects.filter(username="rina").exists()
    kept = PendingMail.objects.get()
    with connection.cursor() as cursor:  # sealed at rest: the address and the link are not readable there
        cursor.execute("SELECT message FROM accounts_pendingmail")
        assert "rina@example.id" not in cursor.fetchone()[0]

    mailbox, server = back_up(settings)
    try:
        run_background_pass(now=timezone.now() + datetime.timedelta(minutes=2))
    finally:
        server.stop()
    [message] = mailbox.to("rina@example.id")
    link = re.search(r"https?://[^/\s]+(/akun/confirm-email/\S+)", message.get_body(("plain",)).get_content())
    assert link and not PendingMail.objects.filter(pk=kept.pk).exists()
    client.post(link.group(1))
    client.post("/akun/login/", {"login": "rina", "password": SIGNUP["password1"]})
    assert client.session["_auth_user_id"] == str(User.objects.get(username="rina").pk)


def test_asking_for_a_new_password_while_the_mail_server_is_down_is_no_server_error(
        client, world, mail_server_down, settings):
    response = client.post("/akun/password/reset/", {"email": world.citizen.email})
    assert response.status_code == 302
    assert PendingMail.objects.count() == 1
    # Still down at the next pass: kept, tried again later, never lost.
    run_background_pass(now=timezone.now() + datetime.timedelta(minutes=2))
    pending = PendingMail.objects.get()
    assert pending.attempts == 2 and "ConnectionRefusedError" in pending.last_error
    # Past the links' life it is dropped: the person asks again.
    run_background_pass(now=timezone.now() + datetime.timedelta(days=4))
    assert not PendingMail.objects.exists()


def test_a_mailbox_refused_for_good_is_not_kept_and_no_address_is_written_down(client, world, settings, caplog):
    from tests.notifications.conftest import Refusing

    server = serving(settings, Refusing())
    try:
        response = client.post("/akun/password/reset/", {"email": world.citizen.email})
    finally:
        server.stop()
    assert response.status_code == 302
    assert not PendingMail.objects.exists()  # a 550 will not change by trying again
    ours = " ".join(r.getMessage() for r in caplog.records if r.name == "lapor.accounts.mail")
    assert world.citizen.email not in ours and "SMTPRecipientsRefused: 550" in ours


def test_a_silent_mail_server_holds_the_periodic_job_for_one_timeout_not_one_per_message(
        client, world, other_citizen_email, mail_server_down, settings):
    import socket

    client.post("/akun/password/reset/", {"email": world.citizen.email})
    client.post("/akun/password/reset/", {"email": other_citizen_email})
    assert PendingMail.objects.count() == 2
    with socket.socket() as silent:  # accepts connections, never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = silent.getsockname()[1], 1
        counts = run_background_pass(now=timezone.now() + datetime.timedelta(minutes=2))
    assert counts["account_mail_failed"] == 1  # the first waited; the second was left for the next pass
    assert sorted(PendingMail.objects.values_list("attempts", flat=True)) == [1, 2]


@pytest.fixture
def other_citizen_email(world):
    return world.other_citizen.email
