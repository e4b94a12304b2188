"""The sweep in real processes against PostgreSQL: two at once, and in a Celery worker."""
import datetime
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from lapor.notifications.models import Channel, DeadlineAlert, Notification
from lapor.reports import services
from lapor.reports.enums import Action
from lapor.reports.models import ReportEvent
from tests.personas import build_world

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        if os.environ.get("LAPOR_REQUIRE_POSTGRES") == "1":
            pytest.fail("needs PostgreSQL")
        pytest.skip("two processes need a shared server database (set DATABASE_URL to PostgreSQL)")
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def child_env(database_url, tmp_path, **extra):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        # Same keys as this process, or the children could not read the reporters' e-mail.
        "FIELD_ENCRYPTION_KEY": ",".join(settings.FIELD_ENCRYPTION_KEYS),
        "LOOKUP_HASH_KEY": settings.LOOKUP_HASH_KEY,
        "SECRET_KEY": settings.SECRET_KEY,
        # A SECRET_KEY marks production, where no secret is generated into var/.
        "KANNEL_INBOUND_SECRET": settings.KANNEL_INBOUND_SECRET,
        "LAPOR_VAR_DIR": str(tmp_path),  # mail and SMS files go here
        "REDIS_URL": "",
    }
    env.pop("EMAIL_HOST", None)
    env.update(extra)
    return env


def overdue_reports(world, count):
    long_ago = timezone.now() - datetime.timedelta(days=30)
    return [
        services.report_submit(reporter=world.citizen, title=f"Lampu jalan mati {i}", body="Gelap.",
                               addressed_agency=world.pemkot, now=long_ago)
        for i in range(count)
    ]


def sent_mail(tmp_path):
    return sum(p.read_text().count("\nSubject: ") for p in (tmp_path / "mail").glob("*.log"))


def test_two_sweeps_at_once_escalate_and_notify_each_report_once(postgres, tmp_path):
    world = build_world()
    reports = overdue_reports(world, 25)
    env = child_env(postgres, tmp_path)
    command = [sys.executable, "manage.py", "sweep"]
    children = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True) for _ in range(2)]
    outputs = [child.communicate(timeout=120) for child in children]
    assert [child.returncode for child in children] == [0, 0], outputs

    for report in reports:
        assert ReportEvent.objects.filter(report=report, action=Action.ESCALATE).count() == 1
    assert DeadlineAlert.objects.filter(kind="escalation").count() == 25
    # The two processes shared the work, and together did each escalation once.
    done = [int(out.split("escalated=")[1].split()[0]) for out, _err in outputs]
    assert sum(done) == 25, outputs
    supervisors = 2  # Inspektorat Banjarbaru and the Ombudsman
    escalation_mail = Notification.objects.filter(event__action=Action.ESCALATE, channel=Channel.EMAIL)
    assert escalation_mail.count() == 25 * supervisors
    assert set(escalation_mail.values_list("status", flat=True)) == {"sent"}
    # And each went out once (this test process sent the submit receipts itself; the
    # children sent the escalations, into their mail directory).
    assert sent_mail(tmp_path) == 25 * supervisors


def test_a_celery_worker_with_the_redis_broker_runs_the_sweep(postgres, tmp_path):
    import redis
    from celery import Celery

    redis_url = os.environ.get("LAPOR_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
    try:
        redis.Redis.from_url(redis_url).flushdb()
    except redis.RedisError:
        if os.environ.get("LAPOR_REQUIRE_POSTGRES") == "1":
            raise
        pytest.skip(f"no Redis at {redis_url}")
    world = build_world()
    [report] = overdue_reports(world, 1)
    queue = f"lapor-test-{uuid.uuid4().hex[:8]}"
    env = child_env(postgres, tmp_path, REDIS_URL=redis_url, CELERY_QUEUE=queue)
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "lapor", "worker", "--pool", "solo", "--queues", queue,
         "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "INFO"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        client = Celery(broker=redis_url, backend=redis_url)
        result = client.send_task("lapor.sweep", queue=queue)
        counts = result.get(timeout=60)
        assert counts["escalated"] == 1
        assert ReportEvent.objects.filter(report=report, action=Action.ESCALATE).count() == 1
        # The escalation's notifications went through the broker to the same worker.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            mails = Notification.objects.filter(event__action=Action.ESCALATE, channel=Channel.EMAIL, status="sent")
            if mails.count() == 2:
                break
            time.sleep(0.2)
        assert mails.count() == 2
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0]
    assert "lapor.sweep" in output
