"""A task taken by a worker that is then killed runs again within minutes, not after
Celery's default hour (docs/operations.md, *Background work*): the reminder or e-mail it
carried is late by at most CELERY_VISIBILITY_TIMEOUT."""
from lapor.celery import app


def test_redis_hands_a_dead_workers_task_to_another_worker_within_ten_minutes():
    assert app.conf.task_acks_late  # a task is taken back only if it was never acknowledged
    assert app.conf.broker_transport_options["visibility_timeout"] <= 600
