"""Celery task: a thin wrapper around the periodic early-warning check."""
from celery import shared_task

from lapor.harmony import services


@shared_task(name="lapor.harmony_check_thresholds")
def check_thresholds() -> dict:
    return services.harmony_periodic_check()
