"""A real Kannel for the tests: bearerbox with a fake SMSC, smsbox calling our live
server, and Kannel's own ``fakesmsc`` simulator playing the phone network.

``fakesmsc`` reads "sender receiver text <message>" lines on stdin and sends each into
bearerbox's fake SMSC; every SMS that Kannel sends back out it prints as
``Got message N: <from to text message>``. Ports are chosen free, config and logs live in
the test's tmp_path, and every process is stopped afterwards.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

BEARERBOX = "/usr/sbin/bearerbox"
SMSBOX = "/usr/sbin/smsbox"
FAKESMSC = "/usr/lib/kannel/test/fakesmsc"
SHORT_NUMBER = "1708"
SENDSMS_USER, SENDSMS_PASSWORD = "lapor", "rahasia-sendsms"


def kannel_missing() -> str | None:
    for path in (BEARERBOX, SMSBOX, FAKESMSC):
        if not (os.path.exists(path) or shutil.which(path)):
            return f"{path} not found (Debian packages kannel and kannel-extras)"
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listening on port {port} after {seconds} s")


CONFIG = """\
group = core
admin-port = {admin_port}
admin-password = admin-{admin_port}
smsbox-port = {smsbox_port}
box-allow-ip = 127.0.0.1
log-level = 1
# Parts of a long SMS (UDH concatenation) are joined before smsbox sees them.
sms-combine-concatenated-mo = true

group = smsc
smsc = fake
smsc-id = fake
port = {smsc_port}
connect-allow-ip = 127.0.0.1

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = {smsbox_port}
sendsms-port = {sendsms_port}
global-sender = {short_number}
log-level = 1

group = sendsms-user
username = {sendsms_user}
password = {sendsms_password}
max-messages = 3
concatenation = true

group = sms-service
keyword = default
catch-all = true
# The secret as the URL's password: Kannel sends it in the Authorization header, never in
# the request line that access logs keep (docs/sms.md).
get-url = "{lapor_scheme}://kannel:{secret}@{lapor_host}/sms/kannel/?sender=%p&to=%P&text=%a&id=%I&ts=%T"
max-messages = 3
concatenation = true
# An empty answer means "send nothing" (a number over its limit, docs/sms.md).
omit-empty = true
"""


class Kannel:
    def __init__(self, directory: Path, *, lapor_url: str, secret: str):
        self.directory = directory
        self.ports = {name: free_port() for name in ("admin_port", "smsbox_port", "smsc_port", "sendsms_port")}
        self.config = directory / "kannel.conf"
        self.config.write_text(CONFIG.format(
            **self.ports, lapor_scheme=lapor_url.split("://")[0], lapor_host=lapor_url.split("://")[1],
            secret=secret, short_number=SHORT_NUMBER,
            sendsms_user=SENDSMS_USER, sendsms_password=SENDSMS_PASSWORD,
        ))
        self.phone_log = directory / "fakesmsc.log"
        self.processes: list[subprocess.Popen] = []
        self.phone: subprocess.Popen | None = None

    @property
    def sendsms_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['sendsms_port']}/cgi-bin/sendsms"

    def _start(self, name, *args, **kwargs) -> subprocess.Popen:
        log = open(self.directory / f"{name}.log", "wb")
        process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, **kwargs)
        self.processes.append(process)
        return process

    def start(self) -> "Kannel":
        self._start("bearerbox", BEARERBOX, "-v", "1", str(self.config))
        wait_for_port(self.ports["smsbox_port"])
        wait_for_port(self.ports["smsc_port"])
        self._start("smsbox", SMSBOX, "-v", "1", str(self.config))
        wait_for_port(self.ports["sendsms_port"])
        self.phone = self._start(
            "fakesmsc-run", FAKESMSC, "-H", "127.0.0.1", "-r", str(self.ports["smsc_port"]), "-i", "0", "-m", "1000",
            stdin=subprocess.PIPE,
        )
        # fakesmsc logs what it receives on its stderr, which goes to the run log.
        self.phone_log = self.directory / "fakesmsc-run.log"
        self._wait_for_log(self.directory / "bearerbox.log", "Fakesmsc client connected")
        return self

    def send(self, sender: str, text: str) -> None:
        """An SMS from ``sender`` to 1708 with ``text``, into the network."""
        self.phone.stdin.write(f"{sender} {SHORT_NUMBER} text {text}\n".encode())
        self.phone.stdin.flush()

    def send_parts(self, sender: str, parts: list[str], reference: int = 42) -> None:
        """One long SMS as concatenated parts (UDH 00 03 ref total seq), as phones send it."""
        from urllib.parse import quote_plus

        for seq, part in enumerate(parts, start=1):
            udh = "%05%00%03" + "".join(f"%{b:02X}" for b in (reference, len(parts), seq))
            self.phone.stdin.write(f"{sender} {SHORT_NUMBER} udh {udh} {quote_plus(part)}\n".encode())
            self.phone.stdin.flush()
            # fakesmsc takes one line per read of its stdin: give it time for each part.
            time.sleep(0.5)

    def received(self) -> list[tuple[str, str, str]]:
        """(from, to, text) of every SMS the phone network got from Kannel so far; a long
        one, sent by Kannel as concatenated parts (UDH 05 00 03 ref total seq, then the
        part as URL-encoded data), is joined as a phone shows it, once all parts are in."""
        from urllib.parse import unquote_plus

        log = self.phone_log.read_text(errors="replace") if self.phone_log.exists() else ""
        messages, parts = [], {}
        pattern = r"Got message \d+: <(\S+) (\S+) (?:text (.*)|udh (\S+) data (.*))>$"
        for sender, receiver, text, udh, data in re.findall(pattern, log, re.M):
            if not udh:
                messages.append((sender, receiver, text))
                continue
            header = unquote_plus(udh).encode("latin-1")
            reference, total, seq = header[3], header[4], header[5]
            key = (sender, receiver, reference, total)
            if key not in parts:
                parts[key] = {}
                messages.append(key)  # its place in the order of arrival
            parts[key][seq] = unquote_plus(data)
        joined = []
        for item in messages:
            if len(item) == 3:
                joined.append(item)
            elif len(parts[item]) == item[3]:
                joined.append((item[0], item[1], "".join(parts[item][n] for n in sorted(parts[item]))))
        return joined

    def wait_for_sms(self, to: str, contains: str = "", *, after: int = 0, seconds: float = 20) -> str:
        """The first SMS to ``to`` containing ``contains``, among those after the first ``after``."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for _sender, receiver, text in self.received()[after:]:
                if receiver == to and contains in text:
                    return text
            time.sleep(0.2)
        raise AssertionError(f"no SMS to {to} containing {contains!r} within {seconds} s; got {self.received()}")

    def _wait_for_log(self, path: Path, needle: str, seconds: float = 15) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if path.exists() and needle in path.read_text(errors="replace"):
                return
            time.sleep(0.1)
        raise TimeoutError(f"{needle!r} not in {path} after {seconds} s")

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                    process.wait(timeout=5)
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    try:
                        os.killpg(process.pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                    process.wait(timeout=5)
            if process.stdin:
                process.stdin.close()
