"""An upgrade started before its ``collectstatic`` (docs/operations.md, *Upgrades*): the new
code names a static file the manifest on disk does not know, and every page that names it
fails. The readiness probe says so, so that the load balancer keeps the old machines."""
import json

import pytest
from django.core.management import call_command
from django.test import Client

STORAGE = {"BACKEND": "tests.ops.topology_tasks.UncompressedStaticStorage"}  # production's, without .gz/.br


@pytest.fixture
def collected(settings, tmp_path):
    """collectstatic of this code, as production's storage writes it: (root, manifest)."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": STORAGE}
    call_command("collectstatic", "--noinput", verbosity=0)
    return tmp_path / "static", json.loads((tmp_path / "static" / "staticfiles.json").read_text())


@pytest.mark.django_db
def test_a_process_whose_manifest_is_older_than_its_code_is_not_ready(settings, collected):
    root, manifest = collected
    # The manifest of the release before, which had no favicon yet.
    del manifest["paths"]["lapor/favicon.ico"]
    (root / "staticfiles.json").write_text(json.dumps(manifest))
    settings.STATIC_ROOT = root  # a process starting now: it reads the manifest on disk
    client = Client(raise_request_exception=False)

    assert client.get("/laporan/").status_code == 500  # what visitors would get from it
    ready = client.get("/readyz")
    assert ready.status_code == 503
    static = ready.json()["checks"]["static"]
    assert static["ok"] is False and static["error"] == "StaleStaticManifest"
    assert static["missing"] == ["lapor/favicon.ico"] and static["missing_count"] == 1
    assert "collectstatic" in static["fix"]


@pytest.mark.django_db
def test_a_process_without_any_manifest_is_not_ready(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path  # collectstatic never ran here
    settings.STORAGES = {**settings.STORAGES, "staticfiles": STORAGE}
    ready = Client(raise_request_exception=False).get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["checks"]["static"]["missing_count"] > 100


@pytest.mark.django_db
def test_after_collectstatic_the_process_is_ready(settings, collected):
    ready = Client(raise_request_exception=False).get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"]["static"]["ok"] is True
