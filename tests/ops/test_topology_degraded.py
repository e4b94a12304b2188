"""A part of production goes away and the site stays up (docs/operations.md, *Health and
monitoring*), on real processes: a PostgreSQL primary and a streaming replica this test
creates, gunicorn as docs/operations.md runs it (sync workers, kept database connections).

- the replica is stopped: pages answer from the primary, /readyz stays 200 naming the
  replica as degraded, and says so no more once the replica is back;
- a web process whose Redis is gone serves pages, signs a citizen in and takes a report,
  and /readyz stays 200 naming the cache and the broker as degraded;
- a web process started on code newer than its static manifest (collectstatic not run)
  is not ready, so a load balancer keeps the old machines.

Needs PostgreSQL's server binaries (as tests/ops/test_topology.py); about 30 s.
"""
from __future__ import annotations

import contextlib
import json
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests

from .topology import ROOT, Cluster, Service, free_port, needs_clusters, production_env, run, start_primary, start_replica, stop_all

pytestmark = pytest.mark.slow

PASSWORD = "kata-sandi-uji-2026"
PAGES = ["/", "/laporan/", "/laporan/{published}/", "/statistik/", "/peta/data.json?bbox=114.6,-3.7,115.1,-3.2&zoom=13"]


class Site:
    def __init__(self, root: Path, primary: Cluster, replica: Cluster, env: dict, published: list[str],
                 tokens: dict[str, str]):
        self.root, self.primary, self.replica, self.env = root, primary, replica, env
        self.published, self.tokens = published, tokens
        self.services: list[Service] = []

    def web(self, name: str, **env) -> tuple[Service, str]:
        """A gunicorn of its own, started with ``env`` on top of the site's: (service, base URL)."""
        port = free_port()
        service = Service(name, [sys.executable, "-m", "gunicorn", "lapor.wsgi:application", "--bind",
                                 f"127.0.0.1:{port}", "--workers", "2", "--worker-class", "sync",
                                 "--graceful-timeout", "5", "--no-control-socket"],
                          {**self.env, **env}, self.root / "logs")
        self.services.append(service.start())
        service.wait_for_http(f"http://127.0.0.1:{port}/healthz", timeout=120)
        return service, f"http://127.0.0.1:{port}"

    def pages(self) -> list[str]:
        return [page.format(published=self.published[0]) for page in PAGES]


@pytest.fixture(scope="module")
def site():
    bindir = needs_clusters()
    with contextlib.ExitStack() as cleanup:
        root = Path(tempfile.mkdtemp(prefix="lapor-degraded-"))
        root.chmod(0o755)  # the cluster owner must reach its directory inside
        cleanup.callback(shutil.rmtree, root, ignore_errors=True)
        (root / "logs").mkdir()
        (root / "metrics").mkdir()
        primary, replica = start_primary(bindir, root, cleanup)
        env = production_env(root, primary, replica, PROMETHEUS_MULTIPROC_DIR=str(root / "metrics"))
        prepared = run([sys.executable, "-m", "tests.ops.topology_tasks", "prepare"], cwd=ROOT, env=env, timeout=300)
        data = json.loads(prepared.stdout.strip().splitlines()[-1])
        # prepare hashes the demo passwords with MD5 (fast), which the web's hashers refuse.
        run([sys.executable, "-c", "import django; django.setup(); from lapor.accounts.models import User; "
             f"u = User.objects.get(username='warga.banjarbaru'); u.set_password({PASSWORD!r}); u.save()"],
            cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "lapor.settings"}, timeout=120)
        start_replica(primary, replica, cleanup)
        built = Site(root, primary, replica, env, data["published"], data["tokens"])
        cleanup.callback(lambda: stop_all(built.services))
        yield built


def test_a_stopped_replica_leaves_every_page_up_and_the_machine_ready(site):
    web, base = site.web("web-replica")
    for _ in range(4):  # each worker reads from the replica and keeps its connection
        assert [requests.get(base + page, timeout=20).status_code for page in site.pages()] == [200] * len(PAGES)
    assert requests.get(base + "/readyz", timeout=20).status_code == 200

    site.replica.stop("fast")
    try:
        answers = [requests.get(base + page, timeout=20).status_code for _ in range(4) for page in site.pages()]
        ready = requests.get(base + "/readyz", timeout=20)
        metrics = requests.get(base + "/metrics", timeout=20).text
    finally:
        site.replica.start()
    assert answers == [200] * len(answers), web.log_tail()
    assert ready.status_code == 200 and ready.json()["degraded"] == ["database:replica1"]
    assert ready.json()["checks"]["database:default"]["ok"]
    assert re.search(r'lapor_replica_fallbacks_total\{replica="replica1"\} [1-9]', metrics)
    assert "replica replica1 cannot be reached" in web.log_path.read_text()

    deadline = time.monotonic() + 30  # the probe tries the replica each time: back, not degraded
    while requests.get(base + "/readyz", timeout=20).json()["degraded"]:
        assert time.monotonic() < deadline, site.replica.log_tail()
        time.sleep(0.5)


def test_a_web_process_whose_redis_is_gone_serves_pages_signs_in_and_takes_reports(site):
    web, base = site.web("web-no-redis", REDIS_URL="redis://127.0.0.1:1/0")  # nothing listens on port 1
    assert [requests.get(base + page, timeout=20).status_code for page in site.pages()] == [200] * len(PAGES)

    with requests.Session() as citizen:
        form = citizen.get(base + "/akun/login/", timeout=20)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
        signed_in = citizen.post(base + "/akun/login/", timeout=20, allow_redirects=False, headers={"Referer": base},
                                 data={"login": "warga.banjarbaru", "password": PASSWORD,
                                       "csrfmiddlewaretoken": token})
        assert signed_in.status_code == 302, re.findall(r'(?s)<ul class="errorlist.*?</ul>', signed_in.text)
        assert citizen.get(base + "/laporan-saya/", timeout=20, allow_redirects=False).status_code == 200

    sent = requests.post(base + "/api/v1/reports/", timeout=30,
                         headers={"Authorization": f"Token {site.tokens['warga.banjarbaru']}"},
                         json={"title": "Jembatan retak saat Redis mati", "body": "Retak memanjang di tengah.",
                               "addressed_agency": "pemkot-banjarbaru", "region": "63.72.05"})
    assert sent.status_code == 201, sent.text[:500]
    assert site.primary.value("SELECT count(*) FROM reports_report WHERE title = %s",
                              ["Jembatan retak saat Redis mati"]) == 1

    ready = requests.get(base + "/readyz", timeout=20)  # the machine stays in the balancer
    assert ready.status_code == 200 and sorted(ready.json()["degraded"]) == ["broker", "cache"]
    assert not ready.json()["checks"]["cache"]["ok"] and not ready.json()["checks"]["broker"]["ok"]
    told = web.log_path.read_text().count("the Redis cache at redis://127.0.0.1:1/0 cannot be reached")
    assert 1 <= told <= 2  # once in each worker that met it


def test_a_web_process_started_before_collectstatic_is_not_ready(site):
    # The manifest of the release before, which had no favicon yet; the new code names it.
    stale = site.root / "static-stale"
    stale.mkdir()
    manifest = json.loads((site.root / "static" / "staticfiles.json").read_text())
    del manifest["paths"]["lapor/favicon.ico"]
    (stale / "staticfiles.json").write_text(json.dumps(manifest))
    _web, base = site.web("web-stale-static", STATIC_ROOT=str(stale))

    assert requests.get(base + "/laporan/", timeout=20).status_code == 500  # what visitors would get
    ready = requests.get(base + "/readyz", timeout=20)
    assert ready.status_code == 503
    assert ready.json()["checks"]["static"]["missing"] == ["lapor/favicon.ico"]
