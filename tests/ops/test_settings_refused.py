"""A malformed setting stops the process at start-up with a message naming the variable
(README, *Embedded default and production*): each kind of check, through the command an
operator runs, `manage.py check`, in a process of its own with that environment."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]
# What the settings read, so that the machine's own environment (CI's REDIS_URL, a
# developer's DEBUG) does not decide these tests.
READ_BY_SETTINGS = ("LAPOR_", "REDIS_URL", "SECRET_KEY", "FIELD_ENCRYPTION_KEY", "LOOKUP_HASH_KEY", "KANNEL_",
                    "GOOGLE_", "FACEBOOK_", "X_", "ALLOWED_HOSTS", "LOG_LEVEL", "DEBUG", "DATABASE_", "CELERY_",
                    "EMAIL_", "METRICS_TOKEN", "PROMETHEUS_")


@pytest.fixture
def manage(tmp_path):
    def run(*args, **variables):
        env = {key: value for key, value in os.environ.items() if not key.startswith(READ_BY_SETTINGS)}
        env.update({"LAPOR_VAR_DIR": str(tmp_path / "var"), **variables})
        return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=120)

    return run


def refused(result) -> str:
    """The message the process stopped with (the last line of its traceback)."""
    assert result.returncode != 0, result.stdout
    return result.stderr.strip().splitlines()[-1]


PRODUCTION = {"SECRET_KEY": "k" * 50, "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
              "LOOKUP_HASH_KEY": "l" * 50, "KANNEL_INBOUND_SECRET": "s" * 32, "ALLOWED_HOSTS": "lapor.example.go.id"}


@pytest.mark.parametrize("name, value, says", [
    ("LAPOR_SWEEP_INTERVAL", "0", "at least 1"),  # beat would queue sweeps without pause
    ("LAPOR_SWEEP_INTERVAL", "-60", "at least 1"),
    ("LAPOR_PROXY_COUNT", "-1", "at least 0"),
    ("LAPOR_TRACKING_ID_DIGITS", "3", "between 7 and 12"),
    ("LAPOR_TRACKING_ID_DIGITS", "13", "between 7 and 12"),  # more than the column holds
])
def test_a_number_below_its_minimum_stops_the_start_naming_the_variable(manage, name, value, says):
    message = refused(manage("check", **{name: value}))
    assert name in message and says in message and repr(value) in message


def test_a_log_level_logging_does_not_know_stops_the_start_naming_log_level(manage):
    message = refused(manage("check", LOG_LEVEL="verbose"))
    assert "LOG_LEVEL" in message and "WARNING" in message
    assert manage("check", LOG_LEVEL="warning").returncode == 0  # any case, as operators write it


@pytest.mark.parametrize("name, value", [
    ("REDIS_URL", "redis//:rahasia@redis1:6379/0"),
    ("REDIS_URL", "redis1:6379"),
    ("LAPOR_SITE_URL", "lapor.kalselprov.go.id"),
    ("LAPOR_SITE_URL", "https://"),
])
def test_a_url_without_its_scheme_or_host_stops_the_start_naming_the_variable(manage, name, value):
    message = refused(manage("check", **{name: value}))
    assert f"{name} must be a URL starting with" in message and "naming a host" in message
    assert "rahasia" not in message  # Redis's password is not written to the log


def test_empty_allowed_hosts_stops_a_production_start(manage):
    message = refused(manage("check", **{**PRODUCTION, "ALLOWED_HOSTS": ""}))
    assert "ALLOWED_HOSTS" in message
    assert manage("check", **PRODUCTION).returncode == 0


@pytest.mark.parametrize("given, missing", [
    ({"GOOGLE_CLIENT_ID": "123.apps.googleusercontent.com"}, "GOOGLE_CLIENT_SECRET"),
    ({"FACEBOOK_CLIENT_SECRET": "rahasia"}, "FACEBOOK_CLIENT_ID"),
    ({"X_CLIENT_ID": "lapor-x"}, "X_CLIENT_SECRET"),
])
def test_a_social_sign_in_client_id_without_its_secret_stops_the_start_naming_both(manage, given, missing):
    message = refused(manage("check", **given))
    prefix = missing.split("_CLIENT_")[0]
    assert f"{prefix}_CLIENT_ID" in message and f"{prefix}_CLIENT_SECRET" in message


@pytest.mark.parametrize("secret_variable", ["GOOGLE_CLIENT_SECRET", "GOOGLE_SECRET"])
def test_the_documented_secret_name_reaches_the_provider_and_the_old_one_still_does(manage, secret_variable):
    result = manage("shell", "-c", "from django.conf import settings; "
                    "print(settings.SOCIALACCOUNT_PROVIDERS['google']['APPS'][0]['secret'])",
                    GOOGLE_CLIENT_ID="123.apps.googleusercontent.com", **{secret_variable: "rahasia-google"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "rahasia-google"


@pytest.mark.parametrize("secret", ["KANNEL_INBOUND_SECRET", "FIELD_ENCRYPTION_KEY", "LOOKUP_HASH_KEY"])
def test_production_refuses_to_generate_a_secret_each_machine_would_make_its_own(manage, tmp_path, secret):
    """Behind a load balancer, web machines with secrets of their own would refuse half of
    Kannel's calls (or read nobody's personal data): production gives them in the environment."""
    environment = {key: value for key, value in PRODUCTION.items() if key != secret}
    message = refused(manage("check", **environment))
    assert secret in message and "production" in message
    assert not (tmp_path / "var" / secret.lower()).exists()  # nothing generated meanwhile


@pytest.mark.parametrize("name", ["LAPOR_SMS_GATEWAY_NETWORKS", "LAPOR_WEBHOOK_REFUSED_NETWORKS"])
def test_a_network_list_with_a_typo_stops_the_start_naming_the_variable_and_the_value(manage, name):
    # A typo would otherwise let every address through, or none, with nothing said.
    says = refused(manage("check", **{name: "127.0.0.0/8,10.0.0.x"}))
    assert name in says and "'10.0.0.x' is no network" in says
