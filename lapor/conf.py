"""Reading settings from the environment, loudly.

Every setting of the project comes from an environment variable with a safe default.
A value that is present but malformed stops the process at start-up with a message that
names the variable: a typo in production must not silently become a default.
"""
from __future__ import annotations

import ipaddress
import os
import re
import secrets
from pathlib import Path
from urllib.parse import urlsplit

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


def envint(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """A whole number, within ``minimum``..``maximum`` when given: 0 seconds between two
    sweeps or -1 proxies parse as numbers, and would quietly break the site."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None
    if minimum is not None and maximum is not None and not minimum <= value <= maximum:
        raise ImproperlyConfigured(f"{name} must be between {minimum} and {maximum}, not {raw!r}")
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {raw!r}")
    if maximum is not None and value > maximum:
        raise ImproperlyConfigured(f"{name} must be at most {maximum}, not {raw!r}")
    return value


def envlist(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def envnetworks(name: str, *, example: str) -> list[str]:
    """Comma-separated IP networks (``10.20.0.5/32,::1/128``), each checked here: a typo
    would otherwise let everyone through, or no one, far from where it was written."""
    networks = envlist(name, [])
    for network in networks:
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError:
            raise ImproperlyConfigured(f"{name}: {network!r} is no network (write e.g. {example})") from None
    return networks


def envchoice(name: str, default: str, choices, *, ignore_case: bool = False) -> str:
    """One of ``choices``; with ``ignore_case``, written in any case and returned as listed."""
    value = os.environ.get(name, default)
    for choice in choices:
        if value == choice or (ignore_case and value.strip().lower() == choice.lower()):
            return choice
    raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}")


def envurl(name: str, default: str, *, schemes: tuple[str, ...], example: str, show_value: bool = True) -> str:
    """An absolute URL with one of ``schemes`` and a host (``unix://`` a path instead).

    ``redis//host`` or ``lapor.example.go.id`` (no scheme) would otherwise be taken for a
    relative name and fail far from here, or not at all. A URL that may carry a password
    (``show_value=False``) is not repeated in the message, which ends up in logs."""
    value = os.environ.get(name, default).strip()
    if not value:
        return value
    parts = urlsplit(value)
    ok = parts.scheme in schemes and (bool(parts.path) if parts.scheme == "unix" else bool(parts.hostname))
    if not ok:
        given = f", not {value!r}" if show_value else ""
        starts = [scheme + "://" for scheme in schemes]
        starts = ", ".join(starts[:-1]) + " or " + starts[-1] if len(starts) > 1 else starts[0]
        raise ImproperlyConfigured(f"{name} must be a URL starting with {starts} and naming a host, "
                                   f"such as {example}{given}")
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


def envclient(prefix: str) -> tuple[str, str] | None:
    """A social sign-in provider's ``<prefix>_CLIENT_ID`` and ``<prefix>_CLIENT_SECRET``, or
    None when neither is set. ``<prefix>_SECRET``, the name read until 2026-12, is still
    read. One without the other is refused: the provider would show its button and every
    sign-in with it would fail at the provider."""
    client_id = os.environ.get(f"{prefix}_CLIENT_ID", "").strip()
    secret = os.environ.get(f"{prefix}_CLIENT_SECRET", "").strip()
    old = os.environ.get(f"{prefix}_SECRET", "").strip()
    if secret and old and secret != old:
        raise ImproperlyConfigured(
            f"{prefix}_CLIENT_SECRET and {prefix}_SECRET (its old name) are both set, to different values: "
            f"keep {prefix}_CLIENT_SECRET only")
    secret = secret or old
    if not client_id and not secret:
        return None
    if not client_id or not secret:
        raise ImproperlyConfigured(
            f"{prefix}_CLIENT_ID and {prefix}_CLIENT_SECRET must be set together (one of them is empty)")
    return client_id, secret


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


def production() -> bool:
    """A SECRET_KEY given in the environment marks a production deployment (HTTPS, HSTS;
    lapor/settings.py), the embedded default generating its own into var/."""
    return bool(os.environ.get("SECRET_KEY"))


def envsecret(name: str, var_dir: Path, generate) -> str:
    """The secret from the environment, or from ``var/<name>``, created on first run.

    Generating into ``var/`` lets the embedded default start with no configuration while
    keeping the key stable across restarts (losing the field-encryption key would make
    every stored NIK unreadable). Production must set the variable: each web machine
    would generate a key of its own into its own var/, and behind a load balancer half
    the requests would meet the other key (Kannel's secret refused, personal data
    unreadable).
    """
    value = os.environ.get(name)
    if value:
        return value
    if production():
        raise ImproperlyConfigured(
            f"{name} must be set in the environment in production (SECRET_KEY is set): generated "
            f"into {var_dir} it would differ from machine to machine (docs/operations.md, Configuration)")
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
