"""A value that is set but malformed stops the process at start-up with a message naming
the variable (README, "Embedded default and production"): a typo must never become a 500
on the first request that reads it. Each case starts a fresh interpreter, as a server does."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]


def start(**environment) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lapor.settings", **environment}
    return subprocess.run([sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=env,
                          capture_output=True, text=True)


@pytest.mark.parametrize("name,value", [
    ("LAPOR_API_SUBMIT_RATE", "lots"),
    ("LAPOR_API_SIGN_IN_RATE", "10/fortnight"),
    ("LAPOR_DEFAULT_ZONE", "Mars/Base"),
    ("TIME_ZONE", "WITA"),
    ("FIELD_ENCRYPTION_KEY", "notakey"),
    ("ACCOUNT_EMAIL_VERIFICATION", "maybe"),
    ("DEBUG", "ture"),
])
def test_a_malformed_value_stops_the_start_naming_the_variable(name, value):
    started = start(**{name: value})
    assert started.returncode != 0
    assert "ImproperlyConfigured" in started.stderr and name in started.stderr


def test_the_same_variables_well_formed_start():
    started = start(LAPOR_API_SUBMIT_RATE="100/days", LAPOR_API_SIGN_IN_RATE="10/minutes", LAPOR_DEFAULT_ZONE="Asia/Makassar",
                    FIELD_ENCRYPTION_KEY=f"{Fernet.generate_key().decode()},{Fernet.generate_key().decode()}",
                    ACCOUNT_EMAIL_VERIFICATION="optional")
    assert started.returncode == 0, started.stderr
