"""The webhooks are in the API's OpenAPI schema (SPEC §7: a documented API): every event a
connected system may receive, with its meaning, and the payload it gets, as it gets it."""
import pytest
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate

from lapor.reports import services
from lapor.reports.enums import Action
from lapor.webhooks.delivery import webhooks_fan_out
from lapor.webhooks.models import Delivery, Subscriber
from lapor.webhooks.schema import NEVER_SENT
from tests.factories import RegionFactory


@pytest.fixture
def schema(client):
    return client.get("/api/schema/", HTTP_ACCEPT="application/json").json()


def test_the_schema_names_every_event_a_system_may_receive_with_its_meaning(schema):
    validate(schema)  # still OpenAPI 3.0.3 that a strict validator accepts
    event = schema["components"]["schemas"]["WebhookEvent"]
    assert set(event["enum"]) | NEVER_SENT == set(Action.values)  # a new action is listed, or said never sent
    assert not set(event["enum"]) & NEVER_SENT
    for name in event["enum"]:
        assert f"- `{name}`: " in event["description"]
    assert "`not_our_authority`: Bukan wewenang" in event["description"]
    hook = schema["x-webhooks"]["reportEvent"]["post"]
    assert hook["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/WebhookPayload"}
    assert {p["name"] for p in hook["parameters"]} == {
        "X-Lapor-Event", "X-Lapor-Delivery", "X-Lapor-Timestamp", "X-Lapor-Signature"}


def test_what_a_system_receives_matches_the_schema_whole_or_withheld(world, schema):
    city = Subscriber.objects.create(name="SIMPEL Banjarbaru", url="https://kota.example.id/hook",
                                     agency=world.pemkot, secret="r" * 32)
    report = services.report_submit(reporter=world.citizen, title="Lampu mati", body="Jl. A. Yani",
                                    addressed_agency=world.pemkot, is_confidential=True, category=world.category,
                                    region=RegionFactory(code="63.72", name="Kota Banjarbaru"))
    for step in (
        lambda: services.report_verify(report=report, by=world.agency_admin, agency=world.pupr),
        lambda: services.report_answer(report=report, by=world.unit_admin, body="Sudah diganti."),
        lambda: services.report_reply(report=report, by=world.citizen, text="Masih mati."),
        lambda: services.report_not_our_authority(report=report, by=world.unit_admin, reason="Lampu milik PLN"),
        lambda: services.report_transfer(report=report, by=world.agency_admin, agency=world.pupr_banjar,
                                         reason="Jalan kabupaten"),
    ):
        webhooks_fan_out()  # as the periodic job runs between the steps
        step()
    webhooks_fan_out()

    payloads = [d.payload for d in Delivery.objects.filter(subscriber=city)]
    assert {p["event"] for p in payloads} == {"submit", "verify", "answer", "reply", "not_our_authority", "transfer"}
    withheld = [p["event"] for p in payloads if p["report"].get("content_withheld")]
    assert withheld == ["transfer"]
    validator = OAS30Validator({"$ref": "#/components/schemas/WebhookPayload", "components": schema["components"]})
    for payload in payloads:
        validator.validate(payload)
