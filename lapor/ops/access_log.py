"""gunicorn's access log without what must not be kept in a log file (script/start runs
gunicorn with ``--logger-class lapor.ops.access_log.AccessLog``).

The request line carries the query string. Kannel's calls to /sms/kannel/ hold the
sender's phone number and the message in it (and, in set-ups from before 2026-12,
KANNEL_INBOUND_SECRET): for that path only the path is logged. Anywhere else a ``secret=``,
``token=`` or ``password=`` value is masked. The Authorization header is never logged
(the format's ``%(u)s`` shows its user name only: ``kannel``)."""
from __future__ import annotations

import re

from gunicorn.glogging import Logger

# Query strings that hold personal data or a secret as a whole.
QUIET_PATHS = ("/sms/kannel/",)
SECRET_PARAMETER = re.compile(r"(?i)(^|[&;])((?:[^&;=]*[_-])?(?:secret|token|password|key))=[^&;]*")


def clean_target(target: str) -> str:
    """``/sms/kannel/?secret=x&sender=%2B62…`` as ``/sms/kannel/?…``; elsewhere secrets masked."""
    path, question, query = (target or "").partition("?")
    if not question:
        return target
    if path in QUIET_PATHS:
        return f"{path}?…"
    return f"{path}?{clean_query(query)}"


def clean_query(query: str) -> str:
    return SECRET_PARAMETER.sub(r"\1\2=…", query or "")


class AccessLog(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        path = environ.get("PATH_INFO", "")
        method, protocol = environ.get("REQUEST_METHOD", ""), environ.get("SERVER_PROTOCOL", "")
        atoms["r"] = f"{method} {clean_target(environ.get('RAW_URI', ''))} {protocol}"
        atoms["q"] = "…" if path in QUIET_PATHS and atoms.get("q") else clean_query(atoms.get("q") or "")
        atoms["{raw_uri}e"] = clean_target(environ.get("RAW_URI", ""))
        atoms["{query_string}e"] = atoms["q"]
        for name in ("{authorization}i", "{http_authorization}e", "{cookie}i", "{http_cookie}e"):
            if name in atoms:
                atoms[name] = "…"
        return atoms
