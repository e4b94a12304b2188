"""The nginx site file in deploy/ is a working one: nginx accepts it and proxies to us."""
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def nginx_site(tmp_path, live_server, settings):
    """nginx with deploy/nginx's site in front of two web machines (both this test's server)."""
    upstream = live_server.url.removeprefix("http://")
    yield from run_nginx(tmp_path, settings, [upstream, upstream])


def run_nginx(tmp_path, settings, upstreams):
    settings.ALLOWED_HOSTS = ["lapor.example.go.id"]
    if not Path(NGINX).exists():
        pytest.fail("nginx is not installed: .ci/run and script/test install it")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=lapor.test",
                    "-keyout", tmp_path / "privkey.pem", "-out", tmp_path / "fullchain.pem"], check=True,
                   capture_output=True)
    http_port, https_port = free_port(), free_port()
    site = (ROOT / "deploy/nginx/lapor.conf").read_text()
    site = site.replace("/etc/ssl/lapor/", f"{tmp_path}/").replace(
        "/etc/nginx/lapor_proxy_params", str(ROOT / "deploy/nginx/lapor_proxy_params"))
    # One server line per machine, with the site file's own parameters (max_fails …).
    site = re.sub(r"server 127\.0\.0\.1:8000(?P<params>[^;]*);",
                  lambda found: " ".join(f"server {upstream}{found['params']};" for upstream in upstreams), site)
    site = site.replace("listen 80;", f"listen 127.0.0.1:{http_port};").replace("listen [::]:80;", "")
    site = site.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;").replace(
        "listen [::]:443 ssl http2;", "")
    (tmp_path / "lapor.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log; daemon off;\n"
        f"events {{}}\nhttp {{ access_log off; client_body_temp_path {tmp_path}; proxy_temp_path {tmp_path};\n"
        f"include {tmp_path}/lapor.conf; }}\n")
    check = subprocess.run([NGINX, "-t", "-c", tmp_path / "nginx.conf"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen([NGINX, "-c", tmp_path / "nginx.conf"], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", https_port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    yield http_port, https_port
    process.terminate()
    process.wait(timeout=10)


@pytest.mark.slow
def test_nginx_terminates_tls_and_proxies_to_lapor(nginx_site):
    http_port, https_port = nginx_site
    response = requests.get(f"https://127.0.0.1:{https_port}/readyz", verify=False, timeout=10,
                            headers={"Host": "lapor.example.go.id"})
    assert response.status_code == 200
    assert response.json()["checks"]["database:default"]["ok"]
    # Plain HTTP is sent to HTTPS, except the probes.
    redirect = requests.get(f"http://127.0.0.1:{http_port}/laporan/", allow_redirects=False, timeout=10,
                            headers={"Host": "lapor.example.go.id"})
    assert redirect.status_code == 301 and redirect.headers["Location"].startswith("https://")
    # Uploaded files are never served straight from disk.
    assert requests.get(f"https://127.0.0.1:{https_port}/media/attachments/x.jpg", verify=False, timeout=10,
                        headers={"Host": "lapor.example.go.id"}).status_code == 404


@pytest.mark.slow
def test_nginx_limits_posts_to_sign_in_and_submit_but_never_reads(nginx_site):
    """The limits sit on the paths that exist (/akun/login/, /api/v1/reports/, /lapor/ …)
    and count only POSTs: a burst of sign-in attempts from one address is cut off with 429,
    while reading the public list as often is not."""
    _http_port, https_port = nginx_site
    base, host = f"https://127.0.0.1:{https_port}", {"Host": "lapor.example.go.id"}
    with requests.Session() as session:
        reads = [session.get(f"{base}/api/v1/reports/", verify=False, timeout=10, headers=host).status_code
                 for _ in range(30)]
        assert 429 not in reads and reads[0] == 200
        posts = [session.post(f"{base}/akun/login/", data={"login": "x", "password": "y"}, verify=False,
                              timeout=10, headers=host).status_code for _ in range(10)]
        assert 429 in posts and posts[0] != 429
        submits = [session.post(f"{base}/api/v1/reports/", json={}, verify=False, timeout=10,
                                headers=host).status_code for _ in range(25)]
        assert 429 in submits and submits[0] != 429


def test_nginx_lets_through_the_largest_report_the_application_accepts(settings):
    """Five photos of 10 MB each are a valid report: nginx must not refuse it with a 413
    before the application has read it."""
    import re
    from pathlib import Path

    conf = (Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "lapor.conf").read_text()
    size, unit = re.search(r"client_max_body_size (\d+)([kmg]?);", conf).groups()
    allowed = int(size) * {"": 1, "k": 2**10, "m": 2**20, "g": 2**30}[unit]
    largest = settings.LAPOR_MAX_ATTACHMENTS * settings.LAPOR_MAX_ATTACHMENT_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert allowed >= largest


@pytest.mark.slow
def test_the_applications_503_reaches_visitors_as_sent_and_no_machine_is_marked_dead(nginx_site):
    """During a database outage every web machine answers its own 503 (Retry-After, the
    message in the visitor's language). nginx must pass it on, not retry it on the other
    machine and count it as a failure until both are "dead" and every page becomes its
    bare "502 Bad Gateway" (and stays so after the database is back)."""
    from .test_outage import database_unreachable

    _http_port, https_port = nginx_site

    def get(path):
        return requests.get(f"https://127.0.0.1:{https_port}{path}", verify=False, timeout=10,
                            headers={"Host": "lapor.example.go.id"})

    with database_unreachable():
        answers = [get("/laporan/") for _ in range(8)]
    assert [answer.status_code for answer in answers] == [503] * 8
    assert all(answer.headers.get("Retry-After") == "30" for answer in answers)
    assert all("Layanan sementara tidak tersedia" in answer.text for answer in answers)
    assert get("/laporan/").status_code == 200  # back at once: neither machine was taken out


@pytest.mark.slow
def test_a_machine_that_cannot_be_reached_is_skipped_for_the_next_one(tmp_path, live_server, settings):
    """Connection errors still go to the other machine: a dead web machine costs no visitor a page."""
    dead = f"127.0.0.1:{free_port()}"  # nothing listens there
    sites = run_nginx(tmp_path, settings, [live_server.url.removeprefix("http://"), dead])
    _http_port, https_port = next(sites)
    try:
        answers = [requests.get(f"https://127.0.0.1:{https_port}/laporan/", verify=False, timeout=10,
                                headers={"Host": "lapor.example.go.id"}).status_code for _ in range(6)]
    finally:
        next(sites, None)
    assert answers == [200] * 6
