import pytest


@pytest.fixture
def sms(client, settings):
    """Deliver an SMS to our Kannel endpoint as smsbox would; returns the reply text."""
    settings.KANNEL_INBOUND_SECRET = "rahasia-kannel"

    def deliver(sender, text, *, id="", ts="1795451099", secret="rahasia-kannel", expect=200):
        response = client.get("/sms/kannel/", {"sender": sender, "text": text, "id": id, "ts": ts, "secret": secret})
        assert response.status_code == expect, response.content
        return response.content.decode()

    return deliver
