"""Reading settings from the environment, loudly.

Every setting of the project comes from an environment variable with a safe default.
A value that is present but malformed stops the process at start-up with a message that
names the variable: a typo in production must not silently become a default.
"""
from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def envint(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def envlist(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def envchoice(name: str, default: str, choices) -> str:
    value = os.environ.get(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


def envzone(name: str, default: str) -> str:
    """An IANA time zone name (Asia/Jakarta, Asia/Makassar, Asia/Jayapura)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    value = os.environ.get(name, default)
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(f"{name} must be a time zone such as Asia/Jakarta, not {value!r}") from None
    return value


# As Django REST framework reads a rate: a count, a slash, and a period of which only the
# first letter counts (10/minute, 10/minutes, 10/min, 100/d).
_RATE = re.compile(r"\d+/[smhd][a-z]*")


def envrate(name: str, default: str) -> str:
    """A rate as Django REST framework reads it: a number, a slash, a period (10/minute)."""
    value = os.environ.get(name, default).strip()
    if not _RATE.fullmatch(value):
        raise ImproperlyConfigured(
            f"{name} must be a number of requests per second, minute, hour or day (30/hour), not {value!r}")
    return value


def fernet_keys(name: str, keys: list[str]) -> list[str]:
    """Each key readable by Fernet (32 bytes, URL-safe base64), checked at start-up: a bad
    one would otherwise fail the first request that reads personal data."""
    from cryptography.fernet import Fernet

    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except (ValueError, TypeError):
            raise ImproperlyConfigured(
                f"{name}: key {position} is not a Fernet key (32 bytes, URL-safe base64; "
                f"python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')"
            ) from None
    return keys


def envsecret(name: str, var_dir: Path, generate) -> str:
    """The secret from the environment, or from ``var/<name>``, created on first run.

    Generating into ``var/`` lets the embedded default start with no configuration while
    keeping the key stable across restarts (losing the field-encryption key would make
    every stored NIK unreadable). Production sets the variable instead.
    """
    value = os.environ.get(name)
    if value:
        return value
    path = var_dir / name.lower()
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    value = generate()
    # Exclusive create: two processes starting at once must end up with the same key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(value)
    return value


def token() -> str:
    return secrets.token_urlsafe(50)


def fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()
