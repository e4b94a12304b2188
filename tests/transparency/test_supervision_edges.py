"""The supervisors' figures at their edges: the last second of a deadline's day, on which
every surface must judge a turn alike (SPEC §4), and the national admin's scope of every
government in the country (well over a thousand top-level agencies)."""
import csv
import datetime
import io
import re
from zoneinfo import ZoneInfo

from lapor.agencies.models import Agency
from lapor.reports import services
from lapor.reports.models import Handling, Report
from lapor.workdays.calendar import deadline_for

WITA = ZoneInfo("Asia/Makassar")
NOW = datetime.datetime(2026, 12, 7, 10, 0, tzinfo=WITA)  # Monday


def _received(world, title, when):
    report = services.report_submit(reporter=world.citizen, title=title, body="Mohon ditindaklanjuti.",
                                    addressed_agency=world.pemkot, category=world.category, now=when)
    return services.report_verify(report=report, by=world.agency_admin, agency=world.pupr,
                                  now=when + datetime.timedelta(hours=1))


def _deadline(report) -> datetime.datetime:
    turn = Handling.objects.get(report=report)
    return deadline_for(turn.arrived_at, 5, turn.agency.time_zone)


def _figures(page):
    """{unit: (received, on time, decided, overdue now)} as a page's table writes them."""
    out = {}
    for slug, row in re.findall(r'<tr data-agency="([\w-]+)">(.*?)</tr>', page, re.S):
        cells = dict(re.findall(r'data-figure="([\w-]+)">(.*?)</td>', row, re.S))
        on_time = re.search(r"\((\d+)/(\d+)\)", cells["on-time"])
        overdue = re.search(r"\((\d+)/\d+\)", cells["overdue"]) or re.search(r"(\d+)", cells["overdue"])
        out[slug] = (int(cells["received"]), *(map(int, on_time.groups()) if on_time else (0, 0)),
                     int(overdue.group(1)))
    return out


def _late_rows(client, query):
    response = client.get(f"/kantor/pengawasan/terlambat.csv?{query}")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_an_answer_in_the_last_second_of_the_deadlines_day_is_on_time_on_every_surface(
        world, as_user, time_machine):
    """The deadline ends at the end of its day (stored as 23:59:59 local): an answer at
    23:59:59.5 that day is on time in the figures, and so not in the list of late turns
    behind them; nor is a report handed back then (its turn not judged)."""
    time_machine.move_to(NOW)
    reports = [_received(world, title, NOW - datetime.timedelta(days=20)) for title in (
        "Jalan berlubang di Jl. Trikora", "Lampu jalan padam di Jl. A. Yani", "Jembatan di Martapura retak")]
    exactly, last_second, handed_back = reports
    deadline = _deadline(exactly)
    assert deadline.astimezone(WITA).time() == datetime.time(23, 59, 59)
    services.report_answer(report=Report.objects.get(pk=exactly.pk), by=world.unit_admin, body="Sudah diperbaiki.",
                           now=deadline)
    services.report_answer(report=Report.objects.get(pk=last_second.pk), by=world.unit_admin,
                           body="Sudah diganti.", now=deadline + datetime.timedelta(milliseconds=500))
    services.report_not_our_authority(report=Report.objects.get(pk=handed_back.pk), by=world.unit_admin,
                                      reason="Jembatan kabupaten", now=deadline + datetime.timedelta(milliseconds=500))
    client = as_user(world.ombudsman_officer)

    office = client.get("/kantor/pengawasan/?hari=30").content.decode()
    public = client.get("/kinerja/pengawasan/?dari=2026-11-08&sampai=2026-12-07").content.decode()

    # Three turns received; the two answered on the deadline's day are on time; the one
    # handed back that day owed no answer yet; nothing is late.
    assert _figures(office) == _figures(public) == {"pupr": (3, 2, 2, 0)}
    assert _late_rows(client, "hari=30") == []


MANY = 1100  # top-level agencies: past SQLite's limits for one OR term (or one parameter) each


def _governments(n):
    made = Agency.objects.bulk_create([Agency(name=f"Pemerintah Daerah {i:04d}", slug=f"pemda-{i:04d}",
                                              kind=Agency.Kind.REGENCY) for i in range(n)])
    for agency in made:
        agency.path = f"{agency.pk:06d}/"
    Agency.objects.bulk_update(made, ["path"])


def test_the_national_admin_oversees_more_than_a_thousand_governments(world, as_user, time_machine):
    time_machine.move_to(NOW)
    late = _received(world, "Drainase tersumbat di Jl. Trikora", NOW - datetime.timedelta(days=20))
    quick = _received(world, "Trotoar retak di depan pasar", NOW - datetime.timedelta(days=3))
    services.report_answer(report=Report.objects.get(pk=quick.pk), by=world.unit_admin, body="Sudah diperbaiki.",
                           now=NOW - datetime.timedelta(days=2))
    _governments(MANY)
    tops = Agency.objects.filter(parent__isnull=True).count()
    assert tops > MANY
    client = as_user(world.national_admin)

    response = client.get("/kinerja/pengawasan/")
    assert response.status_code == 200
    blocks = {b["agency"].pk: b for b in response.context["blocks"]}
    assert len(blocks) == tops
    assert [r.tracking_id for r in blocks[world.pemkot.pk]["overdue"]] == [late.tracking_id]
    assert _figures(response.content.decode())["pupr"] == (2, 1, 2, 1)

    office = client.get("/kantor/pengawasan/?hari=30")
    assert office.status_code == 200
    assert _figures(office.content.decode())["pupr"] == (2, 1, 2, 1)
    assert [(r["nomor"], r["terlambat_dijawab"]) for r in _late_rows(client, "hari=30")] == [(late.tracking_id, "ya")]
