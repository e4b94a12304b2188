"""``manage.py deliver_webhooks``: queue recent report events for webhook subscribers and
send what is due (cron, or the Celery beat task ``lapor.deliver_webhooks``)."""
from django.core.management.base import BaseCommand

from lapor.webhooks.delivery import webhooks_run


class Command(BaseCommand):
    help = "Queue recent report events for webhook subscribers and deliver (or retry) what is due."

    def handle(self, *args, **options):
        counts = webhooks_run()
        self.stdout.write(" ".join(f"{key}={value}" for key, value in counts.items()))
