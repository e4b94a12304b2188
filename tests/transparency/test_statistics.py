"""Public statistics and the compliance ranking show figures a journalist could recompute
from the reports' histories (SPEC §9)."""
import re
from collections import Counter

import pytest
from django.utils import timezone

from lapor.reports import policy
from lapor.reports.enums import Status
from lapor.transparency import figures
from lapor.transparency import filters as filtering

from . import expected


def test_the_dataset_covers_every_fate_the_figures_distinguish(stories):
    fates = Counter(s.fate for s in stories)
    assert set(fates) >= {"pending", "archived", "dispatched", "answered", "rated", "replied", "reopened"}
    assert any(s.confidential and s.verified for s in stories)


def test_ranking_figures_match_those_recomputed_from_the_stories(stories, world):
    now = timezone.now()
    want = expected.compliance([s for s in stories if s.published], now=now, key=lambda s: s.root.pk)
    got = {r.agency.pk: r for r in figures.compliance(policy.public_reports(), level="top", now=now)}
    assert set(got) == set(want) == {world.pemkot.pk, world.pemkab.pk}
    for pk, w in want.items():
        g = got[pk]
        assert (g.received, g.due, g.on_time) == (w["received"], w["due"], w["on_time"])
        assert g.median_days == w["median"]
        assert (g.with_agency, g.overdue) == (w["with_agency"], w["overdue"])
        assert (g.ever_closed, g.reopened) == (w["ever_closed"], w["reopened"])
        assert (g.rated, g.satisfied) == (w["rated"], w["satisfied"])
        assert g.on_time_share == (w["on_time"] / w["due"] if w["due"] else None)


def test_units_roll_up_into_their_agency_and_are_shown_per_unit_on_its_page(stories, world, client):
    now = timezone.now()
    published = [s for s in stories if s.published and s.root == world.pemkot]
    want = expected.compliance(published, now=now, key=lambda s: s.unit.pk)
    got = {r.agency.pk: r for r in figures.compliance(policy.public_reports(), level="unit", within=world.pemkot)}
    assert set(got) == set(want) == {world.pupr.pk, world.bina_marga.pk, world.dinkes.pk}
    for pk, w in want.items():
        assert (got[pk].received, got[pk].on_time, got[pk].due, got[pk].median_days) == (
            w["received"], w["on_time"], w["due"], w["median"])
    page = client.get("/kinerja/pemkot/").content.decode()
    for unit in (world.pupr, world.bina_marga, world.dinkes):
        w = want[unit.pk]
        row = re.search(rf'<tr data-agency="{unit.slug}">(.*?)</tr>', page, re.S).group(1)
        assert f"({w['on_time']}/{w['due']})" in row
        assert f"({w['reopened']}/{w['ever_closed']})" in row


def test_the_public_ranking_page_shows_the_same_figures_with_the_best_agency_first(stories, world, client):
    now = timezone.now()
    want = expected.compliance([s for s in stories if s.published], now=now, key=lambda s: s.root.slug)
    page = client.get("/kinerja/").content.decode()
    for slug, w in want.items():
        row = re.search(rf'<tr data-agency="{slug}">(.*?)</tr>', page, re.S).group(1)
        assert f"({w['on_time']}/{w['due']})" in row
        assert f"({w['overdue']}/{w['with_agency']})" in row
        assert f"({w['satisfied']}/{w['rated']})" in row
    share = {slug: w["on_time"] / w["due"] for slug, w in want.items()}
    best = max(share, key=share.get)
    assert page.index(f'data-agency="{best}"') < page.index(f'data-agency="{min(share, key=share.get)}"') or \
        len(set(share.values())) == 1


def test_statistics_count_published_reports_by_status_and_show_working_day_medians(stories, client):
    published = [s for s in stories if s.published]
    response = client.get("/statistik/")
    page = response.content.decode()
    assert re.search(r'data-figure="total">(\d+)<', page).group(1) == str(len(published))
    data = response.context["data"]
    assert {r.key: r.count for r in data["counts"]["status"]} == dict(Counter(s.final_status for s in published))
    assert data["durations"]["verify_median"] == expected.median_days(
        (s.submitted, s.verified, s.unit.time_zone) for s in published)
    assert data["durations"]["answer_median"] == expected.median_days(
        (s.verified, s.answers[0], s.unit.time_zone) for s in published if s.answers)
    by_month = Counter(timezone.localtime(s.submitted).strftime("%Y-%m") for s in published)
    assert {r.key: r.count for r in data["counts"]["month"]} == dict(by_month)


def test_status_totals_count_every_report_but_name_none(stories, client):
    page = client.get("/statistik/").content.decode()
    table = re.search(r'<table class="numbers" id="status-semua">(.*?)</table>', page, re.S).group(1)
    all_counts = Counter(s.final_status for s in stories)
    assert sum(int(n) for n in re.findall(r'<td class="num">(\d+)</td>', table)) == len(stories)
    assert f"{Status.ARCHIVED.label}</th><td class=\"num\">{all_counts[Status.ARCHIVED]}<" in table
    assert "/laporan/" not in table


def test_statistics_filters_narrow_every_figure(stories, world, client):
    banjar = [s for s in stories if s.published and s.region_code == "63.03"]
    response = client.get("/statistik/?wilayah=63.03")
    assert response.context["data"]["total"] == len(banjar)
    response = client.get("/statistik/?instansi=pemkab")
    assert response.context["data"]["total"] == len([s for s in stories if s.published and s.root == world.pemkab])
    f = filtering.parse({"dari": "2026-02-03", "sampai": "2026-02-04"})
    local_days = {"2026-02-03", "2026-02-04"}
    in_range = [s for s in stories if s.published
                and timezone.localtime(s.submitted).date().isoformat() in local_days]
    assert filtering.public_queryset(f).count() == len(in_range)


def test_confidential_and_archived_reports_are_in_no_statistic_detail(stories, client):
    hidden = [s for s in stories if not s.published]
    assert any(s.confidential and s.verified for s in hidden)
    for url in ("/statistik/", "/kinerja/", "/kinerja/pemkot/", "/peta/"):
        page = client.get(url).content.decode()
        for s in hidden:
            assert s.report.tracking_id not in page, url


@pytest.mark.parametrize("path", ["/statistik/", "/kinerja/", "/kinerja/pemkot/", "/peta/", "/opini/"])
def test_public_pages_answer_when_no_report_exists_yet(world, client, path):
    assert client.get(path).status_code == 200


def test_figures_are_computed_once_when_many_ask_for_the_same_missing_entry(settings):
    import threading

    settings.LAPOR_STATS_CACHE_SECONDS = 60
    calls = []

    def slow():
        calls.append(1)
        threading.Event().wait(0.5)
        return {"n": 1}

    results = []
    threads = [threading.Thread(target=lambda: results.append(figures.cached("uji-stampede", slow)))
               for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [{"n": 1}] * 5 and len(calls) == 1


def test_the_background_pass_keeps_the_default_statistics_and_ranking_computed(stories, client, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lapor.notifications.services import run_background_pass
    from lapor.transparency.warm import transparency_warm

    settings.LAPOR_STATS_CACHE_SECONDS = 300
    with CaptureQueriesContext(connection) as cold:
        client.get("/statistik/")
    from django.core.cache import cache

    cache.clear()  # as when the kept figures expired
    assert run_background_pass()["figures_warmed"] == 2
    with CaptureQueriesContext(connection) as warm:
        page = client.get("/statistik/")
    assert page.status_code == 200 and len(warm) < len(cold)
    assert transparency_warm() == 0  # both fresh: nothing recomputed
