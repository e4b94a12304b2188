"""Who sees which reports, which history and whose identity (SPEC §5), for every persona.

Written from the spec: the expected sets are spelled out, and the queryset rule used by
lists and the in-memory rule used by single pages must agree on every case.
"""
import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from lapor.reports import policy, services
from lapor.reports.enums import Action
from lapor.reports.errors import ActionForbidden

from ..personas import PERSONAS

NOW = datetime.datetime(2026, 11, 23, 2, 0, tzinfo=datetime.timezone.utc)
EVERYONE = set(PERSONAS) | {"public"}
PEMKOT_ROUTING_SCOPE = {"citizen", "national_admin", "agency_admin", "inspector", "ombudsman_officer", "custodian"}
PUPR_HANDLING_SCOPE = PEMKOT_ROUTING_SCOPE | {"unit_admin", "officer"}


def make(world, *, verify=True, **flags):
    report = services.report_submit(reporter=world.citizen, title="Lampu jalan mati",
                                    body="Sudah dua minggu gelap.", addressed_agency=world.pemkot, now=NOW, **flags)
    if verify:
        services.report_verify(report=report, by=world.agency_admin, agency=world.pupr, now=NOW)
    report.refresh_from_db()
    return report


def people(world):
    return {**world.personas(), "public": AnonymousUser()}


def who_sees(world, report):
    seen_by_query, seen_in_memory = set(), set()
    for name, person in people(world).items():
        if policy.visible_reports(person).filter(pk=report.pk).exists():
            seen_by_query.add(name)
        if policy.can_view(person, report):
            seen_in_memory.add(name)
    assert seen_by_query == seen_in_memory, "list and page rules disagree"
    return seen_by_query


def test_a_published_report_is_seen_by_everyone(world):
    assert who_sees(world, make(world)) == EVERYONE


def test_an_unverified_report_is_seen_only_by_its_reporter_routers_and_their_supervisors(world):
    assert who_sees(world, make(world, verify=False)) == PEMKOT_ROUTING_SCOPE


def test_a_confidential_report_is_seen_only_by_the_reporter_and_those_who_route_handle_or_supervise_it(world):
    report = make(world, is_confidential=True)
    assert who_sees(world, report) == PUPR_HANDLING_SCOPE
    # A unit below the assigned one, a sibling unit, another government: none of them.
    assert {"sub_unit_officer", "other_unit_officer", "other_agency_officer", "other_agency_admin",
            "other_inspector", "other_citizen", "proxy", "public"}.isdisjoint(who_sees(world, report))


def test_an_archived_report_is_never_public(world):
    report = make(world, verify=False)
    services.report_archive(report=report, by=world.agency_admin, reason="spam")
    report.refresh_from_db()
    assert who_sees(world, report) == PEMKOT_ROUTING_SCOPE
    assert not policy.public_reports().filter(pk=report.pk).exists()


def test_public_lists_never_contain_confidential_or_archived_reports_even_for_staff(world):
    published = make(world)
    confidential = make(world, is_confidential=True)
    unverified = make(world, verify=False)
    assert set(policy.public_reports()) == {published}
    assert {confidential, unverified} <= set(policy.visible_reports(world.national_admin))


def test_a_disposed_report_is_seen_by_the_sub_unit_it_reached(world):
    report = make(world, is_confidential=True)
    services.report_dispose(report=report, by=world.unit_admin, unit=world.bina_marga)
    report.refresh_from_db()
    assert "sub_unit_officer" in who_sees(world, report)


def test_a_transferred_report_leaves_the_first_agencys_view(world):
    report = make(world, is_confidential=True)
    services.report_transfer(report=report, by=world.national_admin, agency=world.pupr_banjar, reason="Wilayah Banjar")
    report.refresh_from_db()
    seen = who_sees(world, report)
    assert {"other_agency_officer", "other_agency_admin", "other_inspector"} <= seen
    assert {"officer", "unit_admin", "agency_admin", "inspector"}.isdisjoint(seen)


# --- identity -----------------------------------------------------------------------------


def who_sees_identity(world, report):
    return {name for name, person in people(world).items() if policy.identity_visible(person, report)}


def test_the_reporter_of_an_ordinary_report_is_known_to_those_handling_it_not_to_the_public(world):
    report = make(world)
    assert who_sees_identity(world, report) == PUPR_HANDLING_SCOPE
    assert policy.public_reporter_name(report) is None


def test_an_anonymous_reporter_is_known_to_nobody_but_themselves(world):
    report = make(world, is_anonymous=True)
    assert who_sees_identity(world, report) == {"citizen"}
    assert policy.public_reporter_name(report) is None


def test_the_public_sees_a_name_only_when_the_reporter_chose_to_show_it(world):
    shown = make(world, show_reporter_name=True)
    assert policy.public_reporter_name(shown) == "Siti Rahmawati"
    # Anonymous wins over a request to show the name.
    assert make(world, show_reporter_name=True, is_anonymous=True).show_reporter_name is False


def test_history_shows_an_anonymous_reporter_as_pelapor_to_staff(world):
    report = make(world, is_anonymous=True)
    services.report_answer(report=report, by=world.unit_admin, body="Sudah diperbaiki.")
    services.report_reply(report=report, by=world.citizen, text="Masih gelap di ujung gang.")
    reply = report.events.get(action=Action.REPLY)
    assert policy.event_actor_label(world.officer, report, reply) == "Pelapor"
    assert policy.event_actor_label(AnonymousUser(), report, reply) == "Pelapor"
    assert policy.event_actor_label(world.citizen, report, reply) == "Siti Rahmawati"
    answer = report.events.get(action=Action.ANSWER)
    assert policy.event_actor_label(AnonymousUser(), report, answer) == "Dinas PUPR Banjarbaru"
    assert policy.event_actor_label(world.agency_admin, report, answer) == world.unit_admin.display_name


def test_internal_notes_are_hidden_from_the_reporter_and_the_public(world):
    report = make(world)
    services.report_add_note(report=report, by=world.officer, text="Pelapor kerabat kepala dinas")
    def notes(person):
        return [e.text for e in policy.visible_events(person, report) if e.action == Action.NOTE]
    assert notes(world.officer) == ["Pelapor kerabat kepala dinas"]
    assert notes(world.inspector) == ["Pelapor kerabat kepala dinas"]
    assert notes(world.citizen) == []
    assert notes(AnonymousUser()) == []
    assert notes(world.other_agency_officer) == []


def test_someone_who_cannot_see_a_report_sees_none_of_its_history(world):
    report = make(world, is_confidential=True)
    assert policy.visible_events(world.other_citizen, report) == []
    assert len(policy.visible_events(world.citizen, report)) == 2


def test_the_custodian_reveals_an_anonymous_reporter_only_with_a_reason_and_it_is_audited(world):
    report = make(world, is_anonymous=True)
    with pytest.raises(ValidationError):
        services.report_reveal_identity(report=report, by=world.custodian, reason="")
    identity = services.report_reveal_identity(report=report, by=world.custodian,
                                               reason="Permintaan resmi penyidik Polda Kalsel no. 12/XI/2026")
    assert identity["nik"] == "6372024107900001"
    assert identity["name"] == "Siti Rahmawati"
    reveal = report.events.get(action=Action.REVEAL_IDENTITY)
    assert reveal.actor == world.custodian and reveal.is_internal
    assert "6372024107900001" not in reveal.text and "Siti" not in reveal.text
    # The supervisors see that it happened, and why; the public and the reporter do not.
    assert reveal in policy.visible_events(world.inspector, report)
    assert reveal in policy.visible_events(world.ombudsman_officer, report)
    assert reveal not in policy.visible_events(AnonymousUser(), report)
    # Revealing does not make the identity visible on the pages afterwards.
    assert not policy.identity_visible(world.custodian, report)


@pytest.mark.parametrize("name", [p for p in PERSONAS if p != "custodian"])
def test_nobody_but_the_custodian_can_reveal_an_anonymous_reporter(world, name):
    report = make(world, is_anonymous=True)
    with pytest.raises(ActionForbidden):
        services.report_reveal_identity(report=report, by=getattr(world, name), reason="Ingin tahu siapa pelapornya")
    assert not report.events.filter(action=Action.REVEAL_IDENTITY).exists()


def test_there_is_nothing_to_reveal_on_a_report_that_is_not_anonymous(world):
    with pytest.raises(ActionForbidden):
        services.report_reveal_identity(report=make(world), by=world.custodian, reason="Permintaan penyidik resmi")


def test_the_visibility_query_is_one_query_whatever_the_number_of_roles(world, django_assert_num_queries):
    from lapor.agencies.models import Membership

    Membership.objects.create(user=world.officer, agency=world.dinkes, role="officer")
    Membership.objects.create(user=world.officer, agency=world.inspektorat, role="supervisor")
    for _ in range(5):
        make(world)
    officer = type(world.officer).objects.get(pk=world.officer.pk)
    policy.actor_for(officer)  # resolved once per request
    with django_assert_num_queries(1):
        assert len(list(policy.visible_reports(officer))) == 5


def test_the_public_reads_the_conversation_but_not_staffs_reasons(world):
    report = services.report_submit(reporter=world.citizen, title="Lampu jalan mati", body="Gelap.",
                                    addressed_agency=world.pemkot, now=NOW)
    services.report_postpone(report=report, by=world.agency_admin, reason="Menelepon Ibu Siti di 0812-5123-4567")
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr, note="Lokasi sudah dicek")
    services.report_answer(report=report, by=world.unit_admin, body="Lampu diganti Senin.")
    services.report_reply(report=report, by=world.citizen, text="Belum diganti.")
    report.refresh_from_db()

    def texts(person):
        return {e.action: e.text for e in policy.visible_events(person, report)}

    public = texts(AnonymousUser())
    assert public[Action.POSTPONE] == "" and public[Action.VERIFY] == ""
    assert public[Action.ANSWER] == "Lampu diganti Senin." and public[Action.REPLY] == "Belum diganti."
    assert texts(world.other_citizen)[Action.POSTPONE] == ""
    assert texts(world.citizen)[Action.POSTPONE].startswith("Menelepon")
    assert texts(world.officer)[Action.VERIFY] == "Lokasi sudah dicek"
    # The history itself is untouched.
    assert report.events.get(action=Action.POSTPONE).text.startswith("Menelepon")
