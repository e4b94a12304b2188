"""A repeat verified alongside its original is merged into it (SPEC §8: "reject … as
duplicate of another"), not closed as "Selesai": in a flood the same street is verified
twice before anyone sees they are one problem."""
import datetime

import pytest
from django.core.exceptions import ValidationError

from lapor.following.models import Follow
from lapor.following.services import follow_create
from lapor.reports import policy, services
from lapor.reports.enums import Action, ArchiveReason, Status
from lapor.reports.errors import ActionForbidden, TransitionNotAllowed
from lapor.reports.models import Handling, Report, Support
from lapor.transparency import figures
from tests.factories import ReporterProfileFactory, UserFactory

NOW = datetime.datetime(2026, 11, 23, 2, tzinfo=datetime.timezone.utc)
HOUR = datetime.timedelta(hours=1)


def verified(world, reporter, title="Banjir di Jl. A. Yani km 32", agency=None, **kwargs):
    report = services.report_submit(reporter=reporter, title=title, body="Air setinggi lutut sejak pagi.",
                                    addressed_agency=kwargs.pop("addressed_agency", world.pemkot),
                                    category=world.category, now=NOW, **kwargs)
    by = world.agency_admin if agency is None or agency.is_within(world.pemkot) else world.other_agency_admin
    services.report_verify(report=report, by=by, agency=agency or world.pupr, now=NOW + HOUR)
    return Report.objects.get(pk=report.pk)


def neighbour(name):
    return ReporterProfileFactory(user=UserFactory(username=name)).user


@pytest.fixture
def surge(world):
    """The original and a repeat of it, both verified to Dinas PUPR and not answered yet."""
    return verified(world, world.other_citizen), verified(world, world.citizen, title="Jl. A. Yani banjir")


def fresh(report):
    return Report.objects.get(pk=report.pk)


def test_the_agency_admin_merges_a_verified_repeat_and_it_leaves_the_agencys_work(world, surge):
    original, repeat = surge
    assert Action.MARK_DUPLICATE in policy.allowed_actions(world.agency_admin, repeat)
    services.report_mark_duplicate(report=repeat, by=world.agency_admin, original=original, now=NOW + 2 * HOUR)
    repeat = fresh(repeat)
    assert (repeat.status, repeat.archive_reason, repeat.duplicate_of) == (
        Status.ARCHIVED, ArchiveReason.DUPLICATE, original)
    assert repeat.due_at is None and not repeat.is_published
    event = repeat.events.last()
    assert (event.action, event.from_status, event.to_status, event.data) == (
        Action.MARK_DUPLICATE, Status.DISPATCHED, Status.ARCHIVED, {"original": original.tracking_id})
    # Dinas PUPR owes no answer to it from now on: its handling ended when it was merged.
    assert Handling.objects.get(report=repeat).left_at == NOW + 2 * HOUR
    assert fresh(original).status == Status.DISPATCHED


def test_its_support_moves_to_the_original_once_per_person(world, surge):
    original, repeat = surge
    both, only_here, other = neighbour("tetangga1"), neighbour("tetangga2"), neighbour("tetangga3")
    for person in (both, only_here, other, world.other_citizen):  # the original's own reporter too
        services.report_support(report=repeat, by=person, now=NOW + HOUR)
    services.report_support(report=original, by=both, now=NOW + HOUR)

    services.report_mark_duplicate(report=repeat, by=world.agency_admin, original=original, now=NOW + 2 * HOUR)

    assert fresh(original).support_count == 3  # both, only_here, other: each once
    assert set(Support.objects.filter(report=original).values_list("user", flat=True)) == {
        both.pk, only_here.pk, other.pk}
    assert fresh(repeat).support_count == 0 and not Support.objects.filter(report=repeat).exists()


def test_its_reporter_supporters_and_followers_follow_the_original(world, surge):
    original, repeat = surge
    supporter, follower = neighbour("pendukung"), neighbour("pengikut")
    services.report_support(report=repeat, by=supporter, now=NOW + HOUR)
    follow_create(user=follower, report=repeat, now=NOW + HOUR)

    services.report_mark_duplicate(report=repeat, by=world.agency_admin, original=original, now=NOW + 2 * HOUR)

    following = set(Follow.objects.filter(report=original).values_list("user", flat=True))
    assert following == {world.citizen.pk, supporter.pk, follower.pk}


def test_it_is_counted_archived_not_selesai(world, surge):
    original, repeat = surge
    services.report_mark_duplicate(report=repeat, by=world.agency_admin, original=original, now=NOW + 2 * HOUR)
    totals = {row.key: row.count for row in figures.status_totals()}
    assert totals.get(Status.ARCHIVED) == 1 and Status.CLOSED not in totals
    assert Report.objects.filter(status=Status.ARCHIVED, archive_reason=ArchiveReason.DUPLICATE).get() == fresh(repeat)


def test_the_unit_that_owes_the_answer_cannot_merge_it_away(world, surge):
    original, repeat = surge
    for person in (world.unit_admin, world.officer, world.other_agency_admin):
        assert Action.MARK_DUPLICATE not in policy.allowed_actions(person, repeat)
        with pytest.raises(ActionForbidden):
            services.report_mark_duplicate(report=repeat, by=person, original=original)
    assert fresh(repeat).status == Status.DISPATCHED


def test_an_answered_report_is_closed_not_merged(world, surge):
    original, repeat = surge
    services.report_answer(report=repeat, by=world.unit_admin, body="Pompa dikirim.", now=NOW + 2 * HOUR)
    with pytest.raises(TransitionNotAllowed):  # in progress
        services.report_mark_duplicate(report=repeat, by=world.agency_admin, original=original)
    # The reporter replied: back with the agency, but it has an answer on record.
    services.report_reply(report=repeat, by=world.citizen, text="Masih banjir.", now=NOW + 3 * HOUR)
    repeat = fresh(repeat)
    assert repeat.status == Status.DISPATCHED
    assert Action.MARK_DUPLICATE not in policy.allowed_actions(world.agency_admin, repeat)
    with pytest.raises(TransitionNotAllowed, match="sudah ditindaklanjuti"):
        services.report_mark_duplicate(report=repeat, by=world.agency_admin, original=original)
    assert fresh(repeat).status == Status.DISPATCHED


def test_the_original_must_be_another_verified_report_the_admin_may_see(world, surge):
    original, repeat = surge
    unverified = services.report_submit(reporter=world.other_citizen, title="Banjir", body="Air masuk rumah.",
                                        addressed_agency=world.pemkot, now=NOW)
    banjar = verified(world, world.other_citizen, addressed_agency=world.pemkab, agency=world.pupr_banjar,
                      is_confidential=True)
    for chosen, message in ((repeat, "dirinya sendiri"), (unverified, "sudah diverifikasi"),
                            (banjar, "tidak ditemukan")):
        with pytest.raises(ValidationError, match=message):
            services.report_mark_duplicate(report=repeat, by=world.agency_admin, original=chosen)
    assert fresh(repeat).status == Status.DISPATCHED
    assert not Follow.objects.exists()


def test_a_repeat_of_a_merged_report_is_merged_into_its_original(world, surge):
    original, repeat = surge
    services.report_mark_duplicate(report=repeat, by=world.agency_admin, original=original, now=NOW + 2 * HOUR)
    third = verified(world, neighbour("tetangga"), title="Banjir lagi di A. Yani")
    services.report_mark_duplicate(report=third, by=world.agency_admin, original=repeat, now=NOW + 3 * HOUR)
    assert fresh(third).duplicate_of == original


def test_merging_into_a_confidential_original_moves_no_support_of_people_outside_it(world):
    """Their support would list the confidential report in their own personal data and
    raise its count: it stays behind, with nobody told the original exists."""
    original = verified(world, world.other_citizen, is_confidential=True)
    repeat = verified(world, world.citizen, title="Jl. A. Yani banjir")
    outsider = neighbour("tetangga")
    services.report_support(report=repeat, by=outsider)
    services.report_mark_duplicate(report=repeat, by=world.agency_admin, original=original, now=NOW + 2 * HOUR)
    assert not Support.objects.filter(report=original, user=outsider).exists()
    assert fresh(original).support_count == 0
