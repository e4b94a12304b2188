from celery import shared_task

from lapor.reports import recalendar


@shared_task(name="lapor.move_deadlines", ignore_result=True)
def move_deadlines() -> int:
    """Make the deadline moves a calendar correction decided (lapor/reports/recalendar.py)."""
    return recalendar.apply_moves()
