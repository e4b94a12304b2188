"""Policy-opinion polls: one answer per citizen, even when two submits race (SPEC §9)."""
import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from lapor.reports.errors import ActionForbidden
from lapor.transparency import services
from lapor.transparency.errors import AlreadyAnswered, NotOpen
from lapor.transparency.models import PollAnswer
from tests.factories import aware

NOW = aware(2026, 3, 2, 9, 0)


def publish(world, **kw):
    return services.poll_publish(
        agency=world.pemkot, by=world.agency_admin, question="Perlukah jalur sepeda di Jalan A. Yani?",
        options=["Perlu", "Tidak perlu", "Tidak tahu"], closes_at=NOW + datetime.timedelta(days=14), now=NOW, **kw)


def test_a_citizen_answers_once_and_sees_the_results(world, client):
    poll = publish(world)
    yes, no, _dunno = poll.options.all()
    services.poll_answer(poll=poll, option=yes, by=world.citizen, now=NOW)
    services.poll_answer(poll=poll, option=no, by=world.other_citizen, now=NOW)
    with pytest.raises(AlreadyAnswered):
        services.poll_answer(poll=poll, option=no, by=world.citizen, now=NOW)
    page = client.get(f"/opini/{poll.pk}/").content.decode()
    assert '<th scope="row">Perlu</th><td class="num">1</td><td class="num">50,0%</td>' in page
    assert "<svg" in page


def test_the_web_form_records_the_answer_and_refuses_a_second(world, client, time_machine):
    time_machine.move_to(NOW)
    poll = publish(world)
    client.force_login(world.citizen)
    option = poll.options.first()
    client.post(f"/opini/{poll.pk}/", {"option": option.pk})
    client.post(f"/opini/{poll.pk}/", {"option": poll.options.last().pk})
    assert list(PollAnswer.objects.filter(poll=poll).values_list("option_id", flat=True)) == [option.pk]


def test_closed_polls_and_strangers_options_are_refused(world):
    poll = publish(world)
    other = publish(world)
    with pytest.raises(NotOpen):
        services.poll_answer(poll=poll, option=poll.options.first(), by=world.citizen,
                             now=NOW + datetime.timedelta(days=15))
    with pytest.raises(ValidationError):
        services.poll_answer(poll=poll, option=other.options.first(), by=world.citizen, now=NOW)


def test_only_the_agencys_admins_publish_polls(world):
    with pytest.raises(ActionForbidden):
        services.poll_publish(agency=world.pemkot, by=world.citizen, question="?", options=["a", "b"],
                              closes_at=NOW + datetime.timedelta(days=1), now=NOW)
    with pytest.raises(ValidationError):
        services.poll_publish(agency=world.pemkot, by=world.agency_admin, question="?", options=["a"],
                              closes_at=NOW + datetime.timedelta(days=1), now=NOW)


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submits_by_one_citizen_count_once():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; SQLite serialises them (sequential case above)")
    from tests.personas import build_world

    world = build_world()
    poll = publish(world)
    options = list(poll.options.all())
    barrier = threading.Barrier(4)
    outcomes = []

    def submit(option):
        from django.db import connections

        try:
            barrier.wait()
            services.poll_answer(poll=poll, option=option, by=world.citizen, now=NOW)
            outcomes.append("ok")
        except AlreadyAnswered:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(options[i % 3],)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused", "refused", "refused"]
    assert PollAnswer.objects.filter(poll=poll, user=world.citizen).count() == 1
