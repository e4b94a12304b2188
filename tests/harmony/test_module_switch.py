"""SILAPAT is a module: switched off, it has no route and no menu entry."""
import contextlib
import importlib
import sys

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



@contextlib.contextmanager
def harmony_not_installed(reload_urls):
    """The module switched off as a fresh process has it: ``lapor.harmony`` not installed,
    so that importing its models fails (they are put back before the app registry is)."""
    from django.conf import settings

    apps = [app for app in settings.INSTALLED_APPS if app != "lapor.harmony"]
    with override_settings(LAPOR_SILAPAT_ENABLED=False, INSTALLED_APPS=apps):
        loaded = {name: sys.modules.pop(name) for name in list(sys.modules)
                  if name.startswith("lapor.harmony.") and name != "lapor.harmony.context_processors"}
        try:
            reload_urls()
            yield
        finally:
            sys.modules.update(loaded)


def test_the_module_switched_off_refuses_people_without_back_office_work_normally(harmony, incident, as_user,
                                                                                 reload_urls):
    # Its tables may still hold the leadership's role; nothing may read them (it was a 500).
    report = incident()
    pages = {person: as_user(person) for person in (harmony.world.citizen, harmony.leadership)}

    with harmony_not_installed(reload_urls):
        for person, page in pages.items():
            for path in ("/kantor/", f"/kantor/laporan/{report.tracking_id}/", "/kantor/audit/"):
                response = page.get(path)
                assert response.status_code in (302, 403), (person, path, response.status_code)
                assert "/2fa/" not in response.get("Location", ""), (person, path)
