import os
import shutil
import tempfile

import pytest

from .personas import world  # noqa: F401  (the personas fixture, for every test module)


def pytest_configure(config):
    from django.conf import settings

    # In CI a test that needs PostgreSQL must fail, never quietly run on SQLite.
    if os.environ.get("LAPOR_REQUIRE_POSTGRES") == "1":
        engine = settings.DATABASES["default"]["ENGINE"]
        if "postgresql" not in engine:
            raise pytest.UsageError(f"LAPOR_REQUIRE_POSTGRES=1 but DATABASE_URL points at {engine}")
    # The embedded default's cache is a directory (var/cache) shared by every process of
    # the checkout: a test run takes one of its own, so that it and a running demo (or
    # another run) never clear or fill each other's.
    cache = settings.CACHES["default"]
    if cache["BACKEND"] == "lapor.core.cache.DiskCache":
        from django.core.cache import caches

        cache["LOCATION"] = config._lapor_cache_dir = tempfile.mkdtemp(prefix="lapor-test-cache-")
        try:
            del caches["default"]  # opened before this, on the old directory
        except AttributeError:
            pass


def pytest_unconfigure(config):
    directory = getattr(config, "_lapor_cache_dir", None)
    if directory:
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def admin_client(db, admin_user):
    """pytest-django's (a client of its own, beside ``client``), with the second factor
    passed in its session: /admin/ asks it of every superuser (lapor/office/middleware.py)."""
    from django.test import Client

    from .office.staff import sign_in

    return sign_in(Client(), admin_user)


@pytest.fixture(autouse=True)
def fresh_override_cache():
    # Rolling back a test's transaction does not go through WorkdayOverride.delete(), so
    # overrides one test created would otherwise stay in the in-process cache for the next.
    from lapor.workdays import calendar

    calendar.overrides_changed()
    yield
    calendar.overrides_changed()


@pytest.fixture(autouse=True)
def site_language(settings):
    # A request in English leaves English active in the thread (LocaleMiddleware sets the
    # language for each request, nothing resets it afterwards): a test that calls a service
    # directly starts in the site's language, whatever test ran before it.
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    # The manifest storage of production needs collectstatic first; tests render pages
    # without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # PBKDF2's deliberate slowness protects real passwords; test personas need none of it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_in_a_temporary_directory(settings, tmp_path_factory):
    # Uploads made by tests must not land in the checkout's var/media.
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def empty_cache():
    # Rate limits (allauth's, the API's throttles) and cached figures live in the cache:
    # one test's sign-ins or submits must not throttle the next test.
    from django.core.cache import cache

    cache.clear()
    # Reference data kept in the process for filter forms (lapor/core/kept.py).
    from lapor.core.kept import forget

    forget()
    yield


@pytest.fixture(autouse=True)
def tasks_run_in_the_test_process():
    # With REDIS_URL set (as in CI) tasks would wait in Redis for a worker that tests do
    # not run; tests that need a real worker start one and send to it themselves
    # (tests/sweep/test_processes.py).
    from lapor.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


@pytest.fixture
def as_user(db):
    """``as_user(person)`` → a test client signed in as that person (staff with TOTP passed);
    ``as_user(None)`` → nobody signed in."""
    from django.test import Client

    from tests.office.staff import sign_in

    def make(user):
        client = Client()
        if user is not None:
            sign_in(client, user)
        return client

    return make
