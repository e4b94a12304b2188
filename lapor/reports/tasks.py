from celery import shared_task

from lapor.reports import recalendar


@shared_task(name="lapor.move_deadlines", ignore_result=True)
def move_deadlines() -> int:
    """Decide and make the deadline moves of the calendar corrections recorded
    (lapor/reports/recalendar.py)."""
    return recalendar.catch_up()
