"""Sign-in records are kept ``LAPOR_SIGNIN_RECORD_DAYS`` and no longer (UU 27/2022;
docs/operations.md, *Retention*): the background pass deletes django-axes' older rows."""
import datetime

from axes.models import AccessFailureLog, AccessLog
from django.utils import timezone

from lapor.accounts import retention
from lapor.notifications.services import run_background_pass

NOW = timezone.make_aware(datetime.datetime(2026, 6, 1, 9, 0))


def signed_in(days_ago: float, model=AccessLog):
    row = model.objects.create(username="hash-of-login", ip_address="203.0.113.7", user_agent="Mozilla/5.0",
                               http_accept="*/*", path_info="/akun/login/")
    # attempt_time is auto_now_add: set the past afterwards.
    model.objects.filter(pk=row.pk).update(attempt_time=NOW - datetime.timedelta(days=days_ago))
    return row


def test_the_background_pass_deletes_sign_ins_older_than_the_setting_and_keeps_the_rest(db, settings):
    settings.LAPOR_SIGNIN_RECORD_DAYS = 90
    old, recent = signed_in(91), signed_in(89)
    old_failure, recent_failure = signed_in(120, AccessFailureLog), signed_in(3, AccessFailureLog)

    counts = run_background_pass(now=NOW, deliver=False)

    assert counts["signin_records_forgotten"] == 2
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [recent.pk]
    assert list(AccessFailureLog.objects.values_list("pk", flat=True)) == [recent_failure.pk]
    assert not AccessLog.objects.filter(pk=old.pk).exists() and not AccessFailureLog.objects.filter(pk=old_failure.pk).exists()


def test_a_shorter_setting_forgets_sooner(db, settings):
    settings.LAPOR_SIGNIN_RECORD_DAYS = 7
    signed_in(8)
    assert retention.forget_signin_records(now=NOW) == 1
    assert not AccessLog.objects.exists()


def test_a_long_backlog_goes_in_bounded_batches_over_several_passes(db, settings, monkeypatch):
    settings.LAPOR_SIGNIN_RECORD_DAYS = 90
    monkeypatch.setattr(retention, "BATCH", 2)
    monkeypatch.setattr(retention, "MAX_BATCHES", 2)
    for _ in range(5):
        signed_in(200)

    assert retention.forget_signin_records(now=NOW) == 4
    assert retention.forget_signin_records(now=NOW) == 1
    assert not AccessLog.objects.exists()
