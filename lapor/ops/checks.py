"""System checks of the operations settings, shown by ``manage.py check --deploy``."""
from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def metrics_token_set(app_configs=None, **kwargs):
    # Without it /metrics answers only on the machine itself (lapor/ops/views.py): Prometheus
    # on another machine is refused, so the deployment is not monitored.
    if settings.METRICS_TOKEN or settings.DEBUG:
        return []
    return [checks.Warning(
        "METRICS_TOKEN is not set: /metrics answers requests from this machine only (127.0.0.1), "
        "so Prometheus on another machine gets 403.",
        hint="Set METRICS_TOKEN to a random value and give Prometheus the same one as its bearer token "
             "(docs/operations.md, Health and monitoring).",
        id="lapor.W001",
    )]
