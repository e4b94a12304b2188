"""What the load needs from the benchmark database: request paths and credentials.

    python bench/fixtures.py --db lapor_bench --out bench/out/fixtures

Writes one file of request paths per scenario (wrk walks them round-robin) and prints a
JSON object with the staff session cookie (a real session row, with allauth's record of a
passed second factor: staff need TOTP for /kantor/, and typing codes is not what we
measure) and, when the REST API exists, a token for it.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")

SEARCHES = ["jalan berlubang", "puskesmas", "pungutan liar", "banjir", "lampu jalan mati", "PDAM keruh",
            "sampah menumpuk", "KTP elektronik", "kebakaran lahan", "guru tidak hadir"]


def staff_session(username: str) -> str:
    from allauth.mfa.models import Authenticator
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    user = get_user_model().objects.get(username=username)
    # The middleware only asks that a TOTP authenticator exists and that this session passed it.
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        from lapor.core.crypto import encrypt

        # Encrypted, as lapor.accounts.adapter.MFAAdapter stores secrets.
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt("bench-unused")})
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    # The backend that loads users (django-axes puts its own, which only counts failures, first).
    session[BACKEND_SESSION_KEY] = next(b for b in settings.AUTHENTICATION_BACKENDS if "axes" not in b)
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    now = time.time()
    session["account_authentication_methods"] = [
        {"method": "password", "at": now, "username": user.username},
        {"method": "mfa", "at": now, "type": "totp"},
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.set_expiry(7 * 86400)
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def api_token(username: str) -> str | None:
    """A new key for the REST API (only its digest is stored: lapor/api/tokens.py)."""
    from django.contrib.auth import get_user_model

    from lapor.api.tokens import token_issue

    return token_issue(user=get_user_model().objects.get(username=username), label="bench")


def public_ids(count: int, *, leave_out: set) -> list[str]:
    """Tracking IDs of up to ``count`` reports the public may read, spread over the whole
    data set and shuffled, none of ``leave_out``: more than one load can ask for, so each
    request reads a report no request of the run has read before."""
    from django.contrib.auth.models import AnonymousUser

    from lapor.reports import policy
    from lapor.reports.models import Report

    top = Report.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    picked = random.sample(range(1, top + 1), min(top, count * 2))
    found = [t for t in policy.visible_reports(AnonymousUser()).filter(pk__in=picked).values_list(
        "tracking_id", flat=True) if t not in leave_out]
    random.shuffle(found)
    return found[:count]


def write(path: Path, lines: list[str]) -> str:
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="lapor_bench")
    parser.add_argument("--out", type=Path, default=OUT / "fixtures")
    parser.add_argument("--staff", default="admin.banjarbaru")
    parser.add_argument("--citizen", default="warga.banjarbaru")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = f"{PG}/{args.db}"
    os.environ.setdefault("LAPOR_VAR_DIR", str(OUT / "var"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lapor.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from lapor.agencies.models import Agency
    from lapor.categories.models import Category

    random.seed(5)
    args.out.mkdir(parents=True, exist_ok=True)
    info = json.loads((OUT / f"{args.db}.json").read_text())
    ids = info["published_sample"]
    topics = list(Category.objects.filter(parent__isnull=True).values_list("pk", flat=True)[:8])
    agencies = list(Agency.objects.filter(assigned_reports__isnull=False).distinct().values_list("pk", flat=True))
    city = Agency.objects.filter(slug="pemkot-banjarbaru").values_list("pk", flat=True).first()
    lists = []
    for i in range(40):
        status = random.choice(["closed", "in_progress", "dispatched"])
        params = [f"status={status}"]
        if i % 2 == 0:
            params.append("province=63&regency=63.72")
        if i % 3 == 0 and topics:
            params.append(f"category={random.choice(topics)}")
        if i % 4 == 1 and agencies:
            params.append(f"agency={random.choice(agencies)}")
        if i % 5 == 2:
            params.append("kind=complaint")
        if i % 6 == 3:
            params.append("halaman=2")
        lists.append("/laporan/?" + "&".join(params))
    searches = ["/laporan/?q=" + q.replace(" ", "+") for q in SEARCHES]
    searches += ["/laporan/?q=" + q.replace(" ", "+") + "&province=63&regency=63.72" for q in SEARCHES[:5]]
    maps = [
        "/peta/data.json?bbox=114.0,-4.5,117.0,-1.0&zoom=8",
        "/peta/data.json?bbox=114.6,-3.6,115.0,-3.3&zoom=11",
        "/peta/data.json?bbox=95.0,-11.0,141.0,6.0&zoom=5",
        "/peta/data.json?bbox=114.7,-3.5,114.9,-3.4&zoom=13&status=closed",
    ]
    inbox = ["/kantor/", "/kantor/?tab=semua", "/kantor/?tab=semua&status=dispatched",
             "/kantor/?tab=semua&halaman=3", "/kantor/?tab=semua&status=in_progress&region=63.72"]
    stats = ["/statistik/", "/statistik/?wilayah=63", "/statistik/?wilayah=63.72&status=closed"]
    if city:
        stats.append(f"/statistik/?instansi={Agency.objects.get(pk=city).slug}")
    ranking = ["/kinerja/", "/kinerja/?wilayah=63", "/kinerja/?dari=2026-01-01"]
    paths = {
        "ranking": write(args.out / "ranking.txt", ranking),
        "report_page": write(args.out / "report_page.txt", [f"/laporan/{i}/" for i in ids[:2000]]),
        "report_page_once": write(args.out / "report_page_once.txt",
                                  [f"/laporan/{i}/" for i in public_ids(40_000, leave_out=set(ids[:2000]))]),
        "list": write(args.out / "list.txt", lists),
        "search": write(args.out / "search.txt", searches),
        "map": write(args.out / "map.txt", maps),
        "inbox": write(args.out / "inbox.txt", inbox),
        "stats": write(args.out / "stats.txt", stats),
    }
    result = {"paths": paths, "staff_cookie": staff_session(args.staff)}
    # What an API submit names: a village of Banjarbaru, a routed sub-topic, the city government.
    from lapor.regions.models import Region

    result["api_region"] = Region.objects.filter(code__startswith="63.72.", level=4).order_by("code")
    result["api_region"] = result["api_region"].values_list("code", flat=True).first() or "63.72"
    result["api_category"] = Category.objects.filter(parent__isnull=False, is_active=True).filter(
        name__icontains="Jalan").values_list("slug", flat=True).first() or Category.objects.filter(
        parent__isnull=False).values_list("slug", flat=True).first()
    result["api_agency"] = "pemkot-banjarbaru"
    try:
        result["api_token"] = api_token(args.citizen)
    except Exception as error:  # the API app may be half-built while the benchmark runs
        result["api_token"] = None
        result["api_token_error"] = repr(error)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
