#!/usr/bin/env bash
# The peer for issue 9: django-helpdesk from PyPI in its own virtual environment
# (bench/.peer-venv, pinned by bench/peer/requirements.txt), on its own database of the same
# PostgreSQL. Prints "TOKEN QUEUE_ID" on its last line.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/../.peer-venv"
db="${PEER_DB:-lapor_bench_peer}"
if [ ! -x "$venv/bin/gunicorn" ] || ! cmp -s "$here/requirements.txt" "$venv/.installed" ; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q -r "$here/requirements.txt" >&2
    cp "$here/requirements.txt" "$venv/.installed"
fi
psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >&2
cd "$here"
PEER_DB="$db" "$venv/bin/python" manage.py migrate -v0 >&2
PEER_DB="$db" "$venv/bin/python" prepare.py | tail -1
