"""Steps tests/ops/test_topology.py runs *inside* the topology, as an operator would run
``manage.py`` there: ``python -m tests.ops.topology_tasks prepare|verify TRACKING_ID``.

Not a test module (pytest collects ``test_*.py`` only) and imports no pytest: it runs in a
child process whose environment points at the test's own PostgreSQL primary and Redis.
Prints one JSON object on the last line of stdout.
"""
import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lapor.settings")

PUBLIC_REPORTS = 3
CITIZENS = ["warga.banjarbaru", "warga.lain"]


def prepare() -> dict:
    """Schema, the reference data a demo needs (categories, Kalimantan Selatan's regions,
    the demo agency tree and accounts), static files, a few published reports with a map
    pin, and API tokens for the demo citizens."""
    from django.conf import settings
    from django.core.management import call_command

    # Demo passwords are never typed here (the citizens get tokens below): skip PBKDF2's
    # deliberate slowness, as tests/conftest.py does for the test personas.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The production storage's hashed names and manifest, without its .gz/.br copies:
    # brotli over the API docs' bundles takes minutes on a busy CI machine, and whitenoise
    # serves the uncompressed files just as well (tests/ops/test_static_files.py covers it).
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": f"{__name__}.UncompressedStaticStorage"}}
    call_command("migrate", "--noinput", verbosity=0)
    call_command("load_regions", provinces=["63"], quiet=True, verbosity=0)
    with open(os.devnull, "w") as quiet:  # the table of demo logins
        call_command("seed", skip_regions=True, quiet=True, no_reports=True, verbosity=0, stdout=quiet)
    call_command("collectstatic", "--noinput", verbosity=0)

    from lapor.accounts.models import User
    from lapor.agencies.models import Agency
    from lapor.api.tokens import token_issue
    from lapor.notifications.services import email_address
    from lapor.reports import services

    citizen = User.objects.get(username="warga.banjarbaru")
    admin = User.objects.get(username="admin.banjarbaru")
    pemkot = Agency.objects.get(slug="pemkot-banjarbaru")
    pupr = Agency.objects.get(slug="banjarbaru-dinas-pupr")
    published = []
    for n in range(PUBLIC_REPORTS):
        report = services.report_submit(
            reporter=citizen, title=f"Lampu jalan padam di Jalan A. Yani km {30 + n}", body="Gelap sejak seminggu.",
            addressed_agency=pemkot, latitude=-3.44 - n / 100, longitude=114.83 + n / 100,
        )
        services.report_verify(report=report, by=admin, agency=pupr)
        published.append(report.tracking_id)
    return {
        "published": published,
        "tokens": {name: token_issue(user=User.objects.get(username=name)) for name in CITIZENS},
        "addresses": {user.username: email_address(user)
                      for user in User.objects.select_related("profile") if email_address(user)},
    }


def _uncompressed_static_storage():
    from lapor.core.storage import StaticStorage

    class UncompressedStaticStorage(StaticStorage):
        def compress_files(self, paths):
            return iter(())

    return UncompressedStaticStorage


def __getattr__(name):  # the storage class is made on first use, once Django is set up
    if name == "UncompressedStaticStorage":
        return _uncompressed_static_storage()
    raise AttributeError(name)


def verify(tracking_id: str) -> dict:
    """The Banjarbaru admin verifies a report: from now on it is public (on the primary)."""
    from lapor.accounts.models import User
    from lapor.agencies.models import Agency
    from lapor.api.tokens import token_issue
    from lapor.reports import services
    from lapor.reports.models import Report

    report = services.report_verify(
        report=Report.objects.get(tracking_id=tracking_id), by=User.objects.get(username="admin.banjarbaru"),
        agency=Agency.objects.get(slug="banjarbaru-dinas-pupr"),
    )
    return {"tracking_id": report.tracking_id, "verified_at": report.verified_at.isoformat()}


if __name__ == "__main__":
    import django

    django.setup()
    step, *args = sys.argv[1:]
    result = {"prepare": prepare, "verify": verify}[step](*args)
    print(json.dumps(result))
