"""The public pages reach a phone on a slow link compressed (SPEC §7, §9), through the nginx
site of deploy/nginx, and /favicon.ico is a file, not a 404 on every first visit."""
import gzip
import re
from pathlib import Path

import pytest
import requests
from django.contrib.staticfiles import finders
from PIL import Image

from tests.ops.test_nginx_site import nginx_site  # noqa: F401 — the fixture

ROOT = Path(__file__).resolve().parents[2]
HOST = {"Host": "lapor.example.go.id", "Accept-Encoding": "gzip"}


@pytest.mark.slow
def test_the_map_page_and_json_arrive_gzipped(nginx_site):  # noqa: F811
    _http_port, https_port = nginx_site
    base = f"https://127.0.0.1:{https_port}"
    with requests.Session() as session:
        page = session.get(f"{base}/peta/", verify=False, timeout=10, headers=HOST, stream=True)
        raw = page.raw.read()
        data = session.get(f"{base}/api/schema/?format=json", verify=False, timeout=10, headers=HOST)
    assert page.status_code == 200 and page.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in page.headers["Vary"]
    html = gzip.decompress(raw)
    assert b"<html" in html and len(raw) < len(html) / 2
    assert data.status_code == 200 and data.headers.get("Content-Encoding") == "gzip"


def test_favicon_ico_is_served_from_the_collected_static_files():
    conf = (ROOT / "deploy/nginx/lapor.conf").read_text()
    static_root = re.search(r"location /static/ \{\s*alias (\S+);", conf).group(1)
    icon = re.search(r"location = /favicon\.ico \{\s*alias (\S+);", conf).group(1)
    assert icon.startswith(static_root)
    found = finders.find(icon.removeprefix(static_root))
    assert found, "collectstatic would not put the icon where nginx looks"
    with Image.open(found) as image:
        assert image.format == "ICO" and (16, 16) in image.info["sizes"]


def test_favicon_ico_is_a_file_without_nginx_too(client):
    """The embedded default (gunicorn alone, script/start) answers the browser's own request
    for /favicon.ico with the icon, not a 404 page each first visit."""
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body == Path(finders.find("lapor/favicon.ico")).read_bytes()
