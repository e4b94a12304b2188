from celery import shared_task

from lapor.webhooks.delivery import webhooks_run


@shared_task(name="lapor.deliver_webhooks")
def deliver_webhooks():
    return webhooks_run()
