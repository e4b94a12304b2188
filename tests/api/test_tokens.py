"""API keys are kept as keyed hashes (lapor/api/tokens.py): a copy of the database opens no
one's account; each device signs in with its own key, revoked on its own."""
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from lapor.api.models import ApiToken
from lapor.api.tokens import KEPT_PER_USER, token_issue

pytestmark = pytest.mark.django_db

PASSWORD = "kata-sandi-warga-2026"


@pytest.fixture
def citizen(world):
    world.citizen.set_password(PASSWORD)
    world.citizen.save()
    return world.citizen


def sign_in(client=None) -> str:
    response = (client or APIClient()).post("/api/v1/auth/token/", {"username": "warga", "password": PASSWORD})
    assert response.status_code == 200, response.content
    return response.json()["token"]


def my_reports(key: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get("/api/v1/me/reports/").status_code


def every_stored_token_column() -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT digest, label FROM {ApiToken._meta.db_table}")
        ours = " ".join(" ".join(row) for row in cursor.fetchall())
        cursor.execute(f"SELECT key FROM {Token._meta.db_table}")
        theirs = " ".join(row[0] for row in cursor.fetchall())
    return f"{ours} {theirs}"


def test_a_key_opens_the_account_but_the_database_holds_only_its_digest(citizen):
    key = sign_in()
    assert my_reports(key) == 200
    assert key not in every_stored_token_column()
    assert my_reports(key[:-1] + ("0" if key[-1] != "0" else "1")) == 401


def test_two_devices_each_get_their_own_key_and_revoking_one_leaves_the_other(citizen):
    phone, tablet = sign_in(), sign_in()
    assert phone != tablet and my_reports(phone) == 200 and my_reports(tablet) == 200
    ApiToken.objects.filter(user=citizen).order_by("created_at", "pk").first().delete()  # the phone is lost
    assert my_reports(phone) == 401 and my_reports(tablet) == 200


def test_an_account_keeps_only_its_newest_keys(citizen):
    # (Issued directly: signing in through the API is limited to 10 a minute.)
    keys = [token_issue(user=citizen) for _ in range(KEPT_PER_USER + 1)] + [sign_in()]
    assert ApiToken.objects.filter(user=citizen).count() == KEPT_PER_USER
    assert [my_reports(k) for k in keys[:2]] == [401, 401]
    assert my_reports(keys[-1]) == 200


def test_a_deactivated_account_is_refused_with_its_key(citizen):
    key = sign_in()
    citizen.is_active = False
    citizen.save()
    assert my_reports(key) == 401


def test_keys_kept_in_clear_by_drf_before_keep_working_and_are_no_longer_kept(citizen):
    migration = importlib.import_module("lapor.api.migrations.0002_api_tokens_hashed")
    old = Token.objects.create(user=citizen).key  # what an app installed last month holds
    migration.move_drf_tokens(apps, SimpleNamespace(connection=connection))
    assert not Token.objects.exists()
    assert my_reports(old) == 200
    assert old not in every_stored_token_column()


def test_an_administrator_issues_a_key_for_a_connected_system_and_sees_it_once(admin_client, world):
    response = admin_client.post("/admin/api/apitoken/add/", {"user": world.other_citizen.pk, "label": "aplikasi kota"},
                                 follow=True)
    [message] = [str(m) for m in response.context["messages"] if "Token API untuk" in str(m)]
    key = message.split(": ", 1)[1].split(" ", 1)[0]
    assert len(key) == 40 and my_reports(key) == 200
    assert key not in every_stored_token_column()
    listing = admin_client.get("/admin/api/apitoken/").content.decode()
    assert "aplikasi kota" in listing and key not in listing
    assert token_issue(user=world.other_citizen) != key


def test_drf_create_token_refuses_and_says_how_tokens_are_issued(world):
    """DRF's command would store a token in clear in a table Lapor no longer reads, and the
    token it printed would answer 401."""
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="Token API"):
        call_command("drf_create_token", world.citizen.username)
    assert not Token.objects.filter(user=world.citizen).exists()


def test_a_citizen_made_staff_must_get_a_staff_key_from_an_administrator(citizen, world):
    # A password alone gave this key; staff rights take a second factor, which it never had.
    from lapor.agencies.models import Role
    from lapor.agencies.services import membership_grant

    key = sign_in()
    assert my_reports(key) == 200
    membership_grant(by=world.agency_admin, user=citizen, agency=world.pupr, role=Role.OFFICER)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    answer = client.get("/api/v1/inbox/")
    assert answer.status_code == 401 and "administrator" in answer.json()["detail"]
    assert my_reports(key) == 401
    staff_key = token_issue(user=citizen)  # as the admin's page issues it
    client.credentials(HTTP_AUTHORIZATION=f"Token {staff_key}")
    assert client.get("/api/v1/inbox/").status_code == 200


def test_a_citizens_key_from_drfs_table_never_carries_staff_rights_either(citizen, world):
    # Moved by 0002 with the label "authtoken", whoever had issued it: a citizen's is marked as a sign-in's.
    from lapor.agencies.models import Role
    from lapor.agencies.services import membership_grant

    moved = importlib.import_module("lapor.api.migrations.0002_api_tokens_hashed")
    marked = importlib.import_module("lapor.api.migrations.0003_tokens_by_password")
    old = Token.objects.create(user=citizen).key
    staff_key = Token.objects.create(user=world.officer).key
    moved.move_drf_tokens(apps, SimpleNamespace(connection=connection))
    marked.mark_sign_in_keys(apps, SimpleNamespace(connection=connection))
    assert my_reports(old) == 200
    membership_grant(by=world.agency_admin, user=citizen, agency=world.pupr, role=Role.OFFICER)
    assert my_reports(old) == 401
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {staff_key}")
    assert client.get("/api/v1/inbox/").status_code == 200  # an officer's key, issued by an administrator
