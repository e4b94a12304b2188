"""SILAPAT is a module: switched off, it has no route and no menu entry."""
import importlib

import pytest
from django.test import override_settings
from django.urls import clear_url_caches


@pytest.fixture
def reload_urls():
    import lapor.urls

    def reload():
        clear_url_caches()
        importlib.reload(lapor.urls)

    yield reload
    reload()  # with the settings of the suite again


def test_the_module_switched_off_leaves_no_route_or_menu(harmony, client, reload_urls):
    with override_settings(LAPOR_SILAPAT_ENABLED=False):
        reload_urls()
        for path in ("/silapat/", "/silapat/panduan/operator/", "/kantor/silapat/peringatan/",
                     "/kantor/silapat/ambang/"):
            assert client.get(path).status_code == 404, path
        home = client.get("/lacak/")
        assert home.status_code == 200
        assert 'href="/silapat/"' not in home.content.decode()


def test_the_module_switched_on_has_its_page_and_menu_entry(harmony, client, reload_urls):
    with override_settings(LAPOR_SILAPAT_ENABLED=True):
        reload_urls()
        assert client.get("/silapat/").status_code == 200
        assert 'href="/silapat/"' in client.get("/lacak/").content.decode()
