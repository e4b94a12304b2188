"""Account lockout (django-axes, issue #10): after LAPOR_LOCKOUT_FAILURES wrong passwords
for one login from one address, every password sign-in — the portal's and the staff's
(/akun/login/), the admin's and the API's token — is refused until the cool-off has
passed, with a page that says until when; then the right password works again."""
import datetime

import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

from lapor.core.security import client_ip
from tests.api.conftest import api  # noqa: F401  (fixture)
from tests.factories import UserFactory
from tests.sms.conftest import sms  # noqa: F401  (fixture)

PASSWORD = "rahasia-uji-123"  # tests/factories.py UserFactory
HOME = "203.0.113.7"
ELSEWHERE = "198.51.100.20"


@pytest.fixture(autouse=True)
def lockout_settings(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=30)
    return settings


def verified(user):
    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    return user


def portal_sign_in(client, login, password, address=HOME):
    return client.post("/akun/login/", {"login": login, "password": password}, REMOTE_ADDR=address)


def lock_out(client, login, address=HOME, times=3):
    return [portal_sign_in(client, login, "salah-sekali", address) for _ in range(times)][-1]


def pass_the_cool_off():
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=31))


def test_a_citizen_who_mistypes_three_times_sees_when_to_try_again(world):
    verified(world.citizen)
    client = Client()
    assert portal_sign_in(client, "warga", "salah").status_code == 200  # the form, with an error
    assert portal_sign_in(client, "warga", "salah").status_code == 200
    response = portal_sign_in(client, "warga", "salah")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Terlalu banyak percobaan masuk" in page
    until = timezone.localtime(AccessAttempt.objects.get().attempt_time + datetime.timedelta(minutes=30))
    assert f"Silakan coba lagi setelah pukul {until:%H:%M}" in page
    assert response["Retry-After"] and 1700 <= int(response["Retry-After"]) <= 1800


def test_the_lockout_page_speaks_english_to_an_english_reader(world):
    client = Client()
    client.cookies["django_language"] = "en"
    response = lock_out(client, "warga")
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.content.decode()
    assert "Please try again after" in response.content.decode()


def test_even_the_right_password_is_refused_during_the_lockout(world):
    verified(world.citizen)
    client = Client()
    lock_out(client, "warga")
    response = portal_sign_in(client, "warga", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_try_during_the_lockout_does_not_move_its_end(world):
    client = Client()
    lock_out(client, "warga")
    first_end = AccessAttempt.objects.get().attempt_time
    portal_sign_in(client, "warga", "salah-lagi")
    assert AccessAttempt.objects.get().attempt_time == first_end


def test_after_the_cool_off_the_right_password_signs_in(world):
    verified(world.citizen)
    client = Client()
    lock_out(client, "warga")
    pass_the_cool_off()
    response = portal_sign_in(client, "warga", PASSWORD)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == world.citizen.pk


def test_a_right_password_before_the_limit_starts_the_count_again(world):
    verified(world.citizen)
    client = Client()
    portal_sign_in(client, "warga", "salah")
    portal_sign_in(client, "warga", "salah")
    assert portal_sign_in(client, "warga", PASSWORD).status_code == 302
    client.logout()
    assert portal_sign_in(client, "warga", "salah").status_code == 200
    assert portal_sign_in(client, "warga", "salah").status_code == 200


def test_a_guesser_elsewhere_cannot_lock_the_citizen_out_of_their_own_phone(world):
    verified(world.citizen)
    lock_out(Client(), "warga", address=ELSEWHERE)
    assert portal_sign_in(Client(), "warga", PASSWORD, address=HOME).status_code == 302


def test_signing_in_by_e_mail_is_locked_out_too_and_the_address_is_not_stored_in_clear(world):
    client = Client()
    response = lock_out(client, world.citizen.email)
    assert response.status_code == 429
    attempt = AccessAttempt.objects.get()
    assert world.citizen.email not in attempt.username
    assert world.citizen.email not in attempt.post_data
    assert "salah-sekali" not in attempt.post_data


def test_an_officer_is_locked_out_of_the_staff_sign_in_before_the_second_factor(world):
    verified(world.officer)
    client = Client()
    response = lock_out(client, world.officer.username)
    assert response.status_code == 429
    response = portal_sign_in(client, world.officer.username, PASSWORD)
    assert response.status_code == 429
    assert client.get("/kantor/").status_code == 302  # not signed in


def test_the_admin_sign_in_is_locked_out_with_the_same_page(world):
    UserFactory(username="superadmin", is_staff=True, is_superuser=True)
    client = Client()
    for _ in range(3):
        response = client.post("/admin/login/?next=/admin/", {"username": "superadmin", "password": "salah"},
                               REMOTE_ADDR=HOME)
    assert response.status_code == 429
    assert "Terlalu banyak percobaan masuk" in response.content.decode()
    response = client.post("/admin/login/?next=/admin/", {"username": "superadmin", "password": PASSWORD},
                           REMOTE_ADDR=HOME)
    assert response.status_code == 429
    pass_the_cool_off()
    response = client.post("/admin/login/?next=/admin/", {"username": "superadmin", "password": PASSWORD},
                           REMOTE_ADDR=HOME)
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_the_api_token_says_when_to_try_again_and_works_after_the_cool_off(world, api, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"sign_in": "100/minute", "submit": "30/hour"}}
    client = api()
    codes = [client.post("/api/v1/auth/token/", {"username": "warga", "password": "salah"}).status_code
             for _ in range(3)]
    assert codes == [400, 400, 429]
    locked = client.post("/api/v1/auth/token/", {"username": "warga", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Coba lagi setelah" in locked.json()["detail"] and int(locked["Retry-After"]) > 0
    pass_the_cool_off()
    response = client.post("/api/v1/auth/token/", {"username": "warga", "password": PASSWORD})
    assert response.status_code == 200 and response.json()["token"]


def test_an_sms_from_a_locked_out_citizens_number_is_still_filed(world, sms):
    lock_out(Client(), "warga")
    assert "Laporan diterima" in sms(world.citizen.profile.phone, "BANJARBARU Jalan berlubang")


def test_an_api_token_keeps_working_while_its_owner_is_locked_out_of_password_sign_in(world, api):
    token_client = api(world.citizen)
    lock_out(Client(), "warga")
    assert token_client.get("/api/v1/me/reports/").status_code == 200


# --- the client's address behind proxies ------------------------------------------------


def request_from(remote, forwarded=None):
    from django.test import RequestFactory

    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_a_proxy_a_forwarded_for_header_is_ignored(settings):
    settings.LAPOR_PROXY_COUNT = 0
    assert client_ip(request_from(HOME, forwarded="10.9.9.9")) == HOME


def test_behind_nginx_the_address_nginx_saw_counts_not_what_the_client_wrote(settings):
    settings.LAPOR_PROXY_COUNT = 1
    # nginx appends the address it saw to whatever the client sent.
    assert client_ip(request_from("10.0.0.2", forwarded=f"1.2.3.4, {HOME}")) == HOME
    assert client_ip(request_from("10.0.0.2", forwarded=HOME)) == HOME
    assert client_ip(request_from("10.0.0.2")) == "10.0.0.2"


def test_a_guesser_behind_nginx_cannot_escape_the_lockout_by_writing_x_forwarded_for(world, settings):
    settings.LAPOR_PROXY_COUNT = 1
    client = Client()
    for n in range(3):
        client.post("/akun/login/", {"login": "warga", "password": "salah"}, REMOTE_ADDR="10.0.0.2",
                    HTTP_X_FORWARDED_FOR=f"10.66.0.{n}, {HOME}")
    response = client.post("/akun/login/", {"login": "warga", "password": PASSWORD}, REMOTE_ADDR="10.0.0.2",
                           HTTP_X_FORWARDED_FOR=f"10.66.0.99, {HOME}")
    assert response.status_code == 429
