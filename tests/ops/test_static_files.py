"""Production static files: collectstatic works with the packages we serve (Leaflet,
markercluster, the API docs) and every page's assets get hashed, cacheable names."""
import pytest
from django.core.management import call_command


@pytest.mark.slow
def test_collectstatic_succeeds_with_the_production_storage(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "lapor.core.storage.StaticStorage"}}
    call_command("collectstatic", "--noinput", verbosity=0)
    manifest = (tmp_path / "staticfiles.json").read_text()
    assert "lapor/lapor.css" in manifest
    assert "leaflet-markercluster" in manifest or "markercluster" in manifest
