"""A phone that loses its signal mid-upload: the part that arrived is not filed as the
report, and the app's retry with the same Idempotency-Key is taken (lapor/core/bodies.py).
Through a real HTTP server and a socket closed half-way, as the network does it."""
import socket
from urllib.parse import urlsplit

import pytest
import requests

from lapor.api.tokens import token_issue
from lapor.reports.models import Report

pytestmark = pytest.mark.django_db(transaction=True)


def send_cut_short(url: str, headers: dict, body: bytes, sent: int) -> bytes:
    """An HTTP POST announcing ``len(body)`` bytes, of which only ``sent`` go out before the
    client stops sending; the server's answer, if any."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        head = [f"POST {parts.path} HTTP/1.1", f"Host: {parts.netloc}", f"Content-Length: {len(body)}",
                "Connection: close", *(f"{k}: {v}" for k, v in headers.items())]
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + body[:sent])
        sock.shutdown(socket.SHUT_WR)  # the signal is gone
        answer = b""
        try:
            while chunk := sock.recv(65536):
                answer += chunk
        except OSError:
            pass
        return answer


def test_a_submit_cut_short_files_nothing_and_the_retry_with_the_same_key_is_filed_whole(live_server, world):
    token = token_issue(user=world.citizen)
    text = "Lubang besar di depan SDN 3 Banjarbaru, sudah tiga minggu, motor sering jatuh. " * 12
    fields = {"title": "Jalan berlubang dekat sekolah", "agency": world.pemkot.slug, "body": text}
    body = b"".join(f'--cut\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
                    for name, value in fields.items()) + b"--cut--\r\n"
    headers = {"Authorization": f"Token {token}", "Content-Type": "multipart/form-data; boundary=cut",
               "Idempotency-Key": "b1c2d3e4-0000-4000-8000-000000000001"}

    # The text field is cut mid-sentence, as a phone leaving the network cuts it.
    answer = send_cut_short(f"{live_server.url}/api/v1/reports/", headers, body, sent=len(body) // 2)

    assert answer.split(b"\r\n", 1)[0].split()[1] == b"400"  # refused, as docs/operations.md says
    assert not Report.objects.exists()
    retry = requests.post(f"{live_server.url}/api/v1/reports/", data=body, headers=headers, timeout=30)
    assert retry.status_code == 201, retry.text
    assert Report.objects.get().body == text.strip()
