"""The demo's example reports: a city desk two months at work, through the real services."""
import io
from collections import Counter

import pytest
from django.conf import settings
from django.core.management import call_command

from lapor.notifications.models import Notification
from lapor.reports.enums import Status
from lapor.reports.models import Report, ReportEvent
from lapor.demo.reports import EXAMPLES, seed_demo_reports
from lapor.demo.seed import DEFAULT_PASSWORD, seed_demo
from lapor.demo.showcase import INCIDENTS

# The example reports and SILAPAT's incidents while the module is on (lapor/demo/showcase.py).
MADE = len(EXAMPLES) + (len(INCIDENTS) if settings.LAPOR_SILAPAT_ENABLED else 0)

pytestmark = pytest.mark.usefixtures("fast_passwords")


@pytest.fixture
def demo(kalsel_regions):
    seed_demo(password=DEFAULT_PASSWORD)
    assert seed_demo_reports() == MADE
    return {r.title: r for r in Report.objects.all()}


def test_every_status_of_the_lifecycle_is_there_to_look_at(demo):
    statuses = Counter(r.status for r in demo.values())
    assert set(statuses) == set(Status.values)
    assert any(r.awaiting_transfer for r in demo.values())  # a "bukan wewenang", back with the router
    actions = set(ReportEvent.objects.values_list("action", flat=True))
    assert {"dispose", "draft_answer", "reply", "rate", "auto_close", "escalate", "mark_duplicate",
            "transfer", "not_our_authority", "complete"} <= actions


def test_nobody_is_told_about_the_staged_history(demo):
    assert Notification.objects.count() == 0
    assert not ReportEvent.objects.filter(fanout__isnull=True).exists()


def test_it_never_touches_a_database_that_has_reports(demo):
    assert seed_demo_reports() == 0
    assert Report.objects.count() == MADE


def test_the_public_sees_the_published_ones_and_nothing_private(demo, client):
    listing = client.get("/laporan/").content.decode()
    assert "Jalan berlubang di Jl. A. Yani Km 33" in listing
    assert "Budi Santoso" not in listing
    for title in ("Pungutan uang seragam di sebuah SD negeri",  # confidential
                  "Dugaan pengaturan pemenang lelang pengadaan alat tulis",  # whistle-blowing
                  "Promo pinjaman cepat cair",  # archived as spam
                  "Taman Van der Pijl"):  # not verified yet
        assert title not in listing
    anonymous = demo["Lampu penerangan jalan mati di Jl. Trikora"]
    page = client.get(anonymous.get_absolute_url()).content.decode()
    assert "Anonim" in page and "Budi Santoso" not in page


def test_the_demo_staff_find_work_waiting_in_their_inbox(demo):
    import re

    from django.contrib.auth import get_user_model
    from django.test import Client

    from tests.office.staff import sign_in

    def inbox(username):
        client = Client()
        sign_in(client, get_user_model().objects.get(username=username))
        return set(re.findall(r'href="/kantor/laporan/(\d+)/"', client.get("/kantor/").content.decode()))

    def ids(*titles):
        return {demo[t].tracking_id for t in titles}

    # The city's admin: reports to verify, a "bukan wewenang" to transfer, a draft to approve.
    assert ids("Usul tambahan bangku dan lampu di Taman Van der Pijl", "Posyandu tidak buka dua bulan",
               "Pohon besar miring hampir tumbang di Jl. Mistar Cokrokusumo",
               "Antrean Puskesmas Banjarbaru Selatan sangat lama") <= inbox("admin.banjarbaru")
    # Bina Marga's officer: the overdue culvert disposed to the unit.
    assert ids("Gorong-gorong ambrol di Jl. Guntung Manggis") <= inbox("petugas.binamarga")


def test_the_seed_command_adds_them_once_and_says_so(kalsel_regions):
    out = io.StringIO()
    call_command("seed", "--skip-regions", stdout=out)
    assert f"{MADE} contoh laporan" in out.getvalue()
    out = io.StringIO()
    call_command("seed", "--skip-regions", stdout=out)
    assert "contoh laporan tidak ditambahkan" in out.getvalue()
    assert Report.objects.count() == MADE


def test_the_seed_command_can_leave_them_out(kalsel_regions):
    call_command("seed", "--skip-regions", "--no-reports", stdout=io.StringIO())
    assert not Report.objects.exists()
