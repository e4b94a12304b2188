"""Real servers the notification tests deliver to: an SMTP server (aiosmtpd) and an HTTP
endpoint speaking Kannel's sendsms interface, both started on free local ports."""
import email
import email.policy
import http.server
import socket
import threading
import urllib.parse

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mailbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 OK"

    def to(self, address):
        return [m for rcpts, m in self.messages if address in rcpts]


def serving(settings, handler) -> Controller:
    """``handler`` answering SMTP on a free local port, and Django sending to it."""
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    return controller


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server; Django sends to it over the network."""
    mailbox = Mailbox()
    controller = serving(settings, mailbox)
    yield mailbox
    controller.stop()


class Refusing(Mailbox):
    """A mail server that knows no such recipient (as a mistyped address meets)."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"


@pytest.fixture
def refusing_smtp(settings):
    controller = serving(settings, Refusing())
    yield
    controller.stop()


@pytest.fixture
def dead_smtp(settings):
    """An SMTP address where nothing listens."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 2


class KannelHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        params = dict(urllib.parse.parse_qsl(url.query))
        ok = url.path == "/cgi-bin/sendsms" and params.get("password") == "rahasia"
        self.server.received.append(params)
        self.send_response(202 if ok else 403)
        self.end_headers()
        self.wfile.write(b"0: Accepted for delivery" if ok else b"Authorization failed for sendsms")

    def log_message(self, *args):
        pass


@pytest.fixture
def kannel(settings):
    """An HTTP server answering as Kannel's smsbox sendsms does."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), KannelHandler)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.KANNEL_SENDSMS_URL = f"http://127.0.0.1:{server.server_address[1]}/cgi-bin/sendsms"
    settings.KANNEL_USERNAME = "lapor"
    settings.KANNEL_PASSWORD = "rahasia"
    yield server
    server.shutdown()


@pytest.fixture
def act(django_capture_on_commit_callbacks):
    """Run a service and then what it scheduled after commit, as a real request would."""
    def act(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)
    return act
