"""``manage.py deliver_webhooks``: queue recent report events for webhook subscribers and
send what is due (cron, or the Celery beat task ``lapor.deliver_webhooks``).

``--replay-failed`` queues failed deliveries afresh instead (a receiver that was down past
the last retry), optionally for one subscriber and those created since a date; the next
run sends them."""
import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from lapor.webhooks.delivery import webhooks_replay, webhooks_run
from lapor.webhooks.models import Delivery


class Command(BaseCommand):
    help = "Queue recent report events for webhook subscribers and deliver (or retry) what is due."

    def add_arguments(self, parser):
        parser.add_argument("--replay-failed", action="store_true",
                            help="Queue failed deliveries again (same delivery id) instead of delivering.")
        parser.add_argument("--subscriber", type=int, help="With --replay-failed: only this subscriber (id).")
        parser.add_argument("--since", help="With --replay-failed: only deliveries created since this date "
                                            "(YYYY-MM-DD, in the site's zone) or ISO 8601 time.")

    def handle(self, *args, replay_failed=False, subscriber=None, since=None, **options):
        if not replay_failed:
            if subscriber is not None or since:
                raise CommandError("--subscriber and --since go with --replay-failed.")
            counts = webhooks_run()
            self.stdout.write(" ".join(f"{key}={value}" for key, value in counts.items()))
            return
        deliveries = Delivery.objects.all()
        if subscriber is not None:
            deliveries = deliveries.filter(subscriber_id=subscriber)
        if since:
            deliveries = deliveries.filter(created_at__gte=self._moment(since))
        self.stdout.write(f"webhooks_replayed={webhooks_replay(deliveries=deliveries)}")

    @staticmethod
    def _moment(text: str) -> datetime.datetime:
        try:
            moment = parse_datetime(text)
            day = None if moment else parse_date(text)
        except ValueError:  # well formed, but no such day (2026-02-30)
            moment = day = None
        if moment is None and day is None:
            raise CommandError(f"--since: not a date or time: {text!r}")
        moment = moment or datetime.datetime.combine(day, datetime.time())
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
