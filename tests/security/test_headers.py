"""The Content-Security-Policy (django-csp, issue #10) on every kind of page: no inline
script anywhere, no inline style except on the one third-party page that cannot do
without (Redoc), nothing from other hosts except the map tiles. That the pages really
work under it is checked in a browser: tests/browser/test_csp.py."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from lapor.reports import services
from tests.office.staff import sign_in

ROOT = Path(__file__).resolve().parents[2]


def policy_of(response, header="Content-Security-Policy") -> dict:
    value = response.headers.get(header)
    assert value, f"no {header} on {response.request['PATH_INFO']}"
    return {d.split()[0]: d.split()[1:] for d in (part.strip() for part in value.split(";")) if d}


def assert_strict(response):
    policy = policy_of(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"] and policy["connect-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"][0] == "'self'"
    assert "'self'" in policy["img-src"] and "data:" in policy["img-src"]
    return policy


@pytest.fixture
def report(world):
    report = services.report_submit(reporter=world.citizen, title="Lampu jalan mati", body="Jl. A. Yani km 30",
                                    addressed_agency=world.pemkot)
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)
    return report


PUBLIC_PAGES = ["/", "/laporan/", "/lacak/", "/peta/", "/statistik/", "/kinerja/", "/opini/", "/silapat/",
                "/akun/login/", "/akun/signup/", "/akun/klaim/", "/akun/password/reset/", "/admin/login/", "/api/docs/"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_public_page_type_sends_the_strict_policy(world, path):
    response = Client().get(path)
    assert response.status_code == 200, path
    assert_strict(response)


def test_a_report_page_sends_the_strict_policy(report):
    assert_strict(Client().get(f"/laporan/{report.tracking_id}/"))


@pytest.mark.parametrize("path", ["/lapor/", "/laporan-saya/", "/profil/", "/notifikasi/"])
def test_a_citizens_own_pages_send_the_strict_policy(world, path):
    client = Client()
    client.force_login(world.citizen)
    response = client.get(path)
    assert response.status_code == 200
    assert_strict(response)


def test_the_office_inbox_and_workspace_send_the_strict_policy(world, report):
    client = sign_in(Client(), world.agency_admin)
    for path in ("/kantor/", f"/kantor/laporan/{report.tracking_id}/", "/kantor/kelola/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_strict(response)


def test_answers_that_are_not_pages_carry_the_policy_too(world, report):
    for path in ("/peta/data.json", "/api/v1/reports/", "/healthz"):
        assert policy_of(Client().get(path))["script-src"] == ["'self'"]


def test_the_redoc_page_alone_allows_inline_styles_and_never_inline_scripts(world):
    policy = policy_of(Client().get("/api/redoc/"))
    assert "'unsafe-inline'" in policy["style-src"]
    assert policy["script-src"] == ["'self'"]
    assert "blob:" in policy["worker-src"]


def test_map_tiles_may_come_from_the_configured_tile_server_only(settings):
    from lapor.settings import _tile_origin

    assert f"{settings.LAPOR_MAP_TILE_ORIGIN}" == "https://tile.openstreetmap.org"
    assert _tile_origin("https://{s}.tile.example.go.id/{z}/{x}/{y}.png") == "https://*.tile.example.go.id"
    assert _tile_origin("http://10.1.2.3:8080/tiles/{z}/{x}/{y}.png") == "http://10.1.2.3:8080"
    assert _tile_origin("/ubin/{z}/{x}/{y}.png") is None  # our own origin: 'self' covers it
    policy = policy_of(Client().get("/healthz"))
    assert policy["img-src"] == ["'self'", "data:", "https://tile.openstreetmap.org"]


def test_every_installed_social_sign_in_provider_may_receive_the_sign_in_redirect(settings):
    # Browsers apply form-action to the redirect after allauth's "continue" form.
    from urllib.parse import urlsplit

    from allauth.socialaccount import providers

    installed = providers.registry.get_class_list()
    assert {p.id for p in installed} == {"google", "facebook", "twitter_oauth2"}
    for provider_class in installed:
        parts = urlsplit(provider_class.oauth2_adapter_class.authorize_url)
        assert f"{parts.scheme}://{parts.netloc}" in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"]


def settings_from_environment(**environment) -> dict:
    """CONTENT_SECURITY_POLICY and its report-only twin as lapor/settings.py reads them
    from this environment (a fresh interpreter: settings are read once, at start-up)."""
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps([settings.CONTENT_SECURITY_POLICY, settings.CONTENT_SECURITY_POLICY_REPORT_ONLY]))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lapor.settings", **environment}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    enforced, report_only = json.loads(out.stdout.strip().splitlines()[-1])
    return {"enforced": enforced, "report_only": report_only}


def test_the_policy_can_be_switched_to_report_only_and_given_extra_sources_from_the_environment():
    found = settings_from_environment(
        LAPOR_CSP_REPORT_ONLY="true", LAPOR_CSP_IMG_SRC="https://peta.kalselprov.go.id",
        LAPOR_CSP_CONNECT_SRC="https://sentry.kalselprov.go.id,https://plausible.kalselprov.go.id",
        LAPOR_CSP_REPORT_URI="/csp-laporan/", LAPOR_MAP_TILE_URL="https://{s}.ubin.example.id/{z}/{x}/{y}.png",
    )
    assert found["enforced"] is None
    directives = found["report_only"]["DIRECTIVES"]
    assert directives["img-src"] == ["'self'", "data:", "https://*.ubin.example.id", "https://peta.kalselprov.go.id"]
    assert directives["connect-src"] == ["'self'", "https://sentry.kalselprov.go.id",
                                         "https://plausible.kalselprov.go.id"]
    assert directives["report-uri"] == ["/csp-laporan/"]
    assert directives["script-src"] == ["'self'"]


def test_report_only_sends_the_report_only_header_instead(settings, world):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = None
    response = Client().get("/")
    assert "Content-Security-Policy" not in response.headers
    assert policy_of(response, "Content-Security-Policy-Report-Only")["script-src"] == ["'self'"]
