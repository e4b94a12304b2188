import os

import pytest


def pytest_configure(config):
    # In CI a test that needs PostgreSQL must fail, never quietly run on SQLite.
    if os.environ.get("LAPOR_REQUIRE_POSTGRES") == "1":
        from django.conf import settings

        engine = settings.DATABASES["default"]["ENGINE"]
        if "postgresql" not in engine:
            raise pytest.UsageError(f"LAPOR_REQUIRE_POSTGRES=1 but DATABASE_URL points at {engine}")
