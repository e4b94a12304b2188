"""SPEC §5: what a session holds is encrypted at rest, in the sessions table and in the cache
(lapor/core/sessions.py). allauth keeps the address someone signed in with in their session
for as long as they stay signed in."""
import json
import zlib

import pytest
from cryptography.fernet import Fernet
from django.contrib.sessions.models import Session
from django.core import signing
from django.core.cache import cache
from django.test import override_settings

from .test_accounts import SIGNUP, confirm_email

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def readable(session_data: str) -> str:
    """What someone who holds the table but not the keys reads of a session: Django signs
    it and may compress it, nothing more."""
    payload = session_data.rsplit(":", 2)[0]
    raw = signing.b64_decode(payload.lstrip(".").encode())
    return (zlib.decompress(raw) if payload.startswith(".") else raw).decode("latin-1")


def session_holds(client, text: str) -> bool:
    return text in json.dumps(dict(client.session.items()))


def signed_in_by_email(client):
    """Rina signs up, confirms her address, and signs in with it."""
    client.post("/akun/signup/", SIGNUP)
    confirm_email(client)
    client.cookies.clear()
    client.post("/akun/login/", {"login": "rina@example.id", "password": SIGNUP["password1"]})
    assert client.get("/profil/").status_code == 200
    assert session_holds(client, "rina@example.id")  # allauth's record of how she signed in


def test_the_address_a_citizen_signed_in_with_is_unreadable_in_the_sessions_table(client, kalsel):
    signed_in_by_email(client)
    stored = Session.objects.get(session_key=client.session.session_key).session_data
    assert "rina" not in readable(stored) and "{" not in readable(stored)


def test_with_sessions_kept_in_the_cache_the_cached_copy_is_the_encrypted_one(client, kalsel, settings):
    settings.SESSION_ENGINE = "lapor.core.sessions"
    signed_in_by_email(client)
    key = client.session.session_key
    cached = cache.get("django.contrib.sessions.cached_db" + key)
    assert isinstance(cached, str) and "rina" not in readable(cached)
    # Read from the cache alone, then from the database alone, it is the same session.
    Session.objects.filter(session_key=key).delete()
    assert session_holds(client, "rina@example.id")
    cache.delete("django.contrib.sessions.cached_db" + key)
    assert not session_holds(client, "rina@example.id")


def test_a_signed_in_citizen_stays_signed_in_across_pages_with_either_engine(client, world, settings):
    for engine in ("django.contrib.sessions.backends.db", "lapor.core.sessions"):
        settings.SESSION_ENGINE = engine
        client.force_login(world.citizen)
        assert client.get("/profil/").status_code == 200
        assert client.get("/laporan-saya/").status_code == 200
        client.logout()


def test_after_a_key_rotation_sessions_written_under_the_old_key_still_read(client, world, settings):
    client.force_login(world.citizen)
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), old_key]
    assert client.get("/profil/").status_code == 200


def test_a_session_that_cannot_be_decrypted_signs_its_owner_out_without_an_error(client, world):
    with override_settings(SESSION_SERIALIZER="django.core.signing.JSONSerializer"):
        client.force_login(world.citizen)  # as written before sessions were encrypted
    response = client.get("/profil/")
    assert response.status_code == 302 and response["Location"].startswith("/akun/login/")
