"""The lifecycle's rules as a reporter and an agency live them (SPEC §3, §4)."""
import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from lapor.reports import policy, services, writing
from lapor.reports.enums import Action, ArchiveReason, Kind, Status
from lapor.reports.errors import ActionForbidden, TransitionNotAllowed
from lapor.reports.models import Report, ReportEvent
from lapor.reports.tracking import is_valid_tracking_id
from lapor.workdays.models import WorkdayOverride

WITA = ZoneInfo("Asia/Makassar")
WIB = ZoneInfo("Asia/Jakarta")
WIT = ZoneInfo("Asia/Jayapura")


def at(*args, tz=WITA):
    return datetime.datetime(*args, tzinfo=tz)


def end_of(y, m, d, tz=WITA):
    return datetime.datetime(y, m, d, 23, 59, 59, tzinfo=tz)


def submit(world, now, **kwargs):
    fields = dict(reporter=world.citizen, title="Drainase tersumbat", body="Air meluap ke jalan tiap hujan.",
                  addressed_agency=world.pemkot, category=world.category, now=now)
    fields.update(kwargs)
    return services.report_submit(**fields)


# --- receiving ----------------------------------------------------------------------------


def test_a_new_report_gets_a_valid_tracking_id_and_a_submit_event(world):
    report = submit(world, at(2026, 11, 23, 9))
    assert is_valid_tracking_id(report.tracking_id)
    assert report.status == Status.SUBMITTED
    event = report.events.get()
    assert (event.action, event.actor, event.to_status) == (Action.SUBMIT, world.citizen, Status.SUBMITTED)


def test_tracking_ids_are_unique_and_not_in_order(world):
    now = at(2026, 11, 23, 9)
    ids = [submit(world, now).tracking_id for _ in range(30)]
    assert len(set(ids)) == 30
    assert ids != sorted(ids)


def test_verification_is_due_three_working_days_later_across_idul_fitri(world):
    # Tue 17 Mar 2026: Nyepi 18-19, cuti bersama 20, Idul Fitri 21-22, cuti bersama 23-24.
    report = submit(world, at(2026, 3, 17, 10))
    assert report.due_at == end_of(2026, 3, 27)  # 25, 26, 27 March
    assert report.outer_due_at == at(2026, 5, 16, 10)  # 60 calendar days (Perpres 76/2013)


def test_verification_deadline_crosses_christmas_and_the_year_end(world):
    report = submit(world, at(2026, 12, 23, 10))
    assert report.due_at == end_of(2026, 12, 30)  # 24 cuti bersama, 25 Natal, weekend: 28, 29, 30


def test_deadlines_run_in_the_responsible_agencys_time_zone(world):
    # 23:30 WIB on Monday is already Tuesday 01:30 in WIT: a WIT agency's count starts a day later.
    world.pupr.time_zone = "Asia/Jayapura"
    world.pupr.save()
    world.kemenpanrb.time_zone = "Asia/Jakarta"
    world.kemenpanrb.save()
    moment = at(2026, 11, 23, 23, 30, tz=WIB)
    report = submit(world, moment, addressed_agency=world.kemenpanrb)
    assert report.due_at == end_of(2026, 11, 26, tz=WIB)
    services.report_verify(report=report, by=world.national_admin, agency=world.pupr, now=moment)
    report.refresh_from_db()
    assert report.due_at == end_of(2026, 12, 1, tz=WIT)  # 25, 26, 27, 30 Nov, 1 Dec (WIT)
    wita = submit(world, moment)  # addressed to Pemkot Banjarbaru (WITA): Tuesday 00:30 there
    assert wita.due_at == end_of(2026, 11, 27, tz=WITA)  # 25, 26, 27: one day later than WIB


def test_an_administrators_override_moves_the_deadline(world):
    WorkdayOverride.objects.create(date=datetime.date(2026, 11, 24), is_working_day=False, note="Pilkada")
    report = submit(world, at(2026, 11, 23, 9))
    assert report.due_at == end_of(2026, 11, 27)


def test_each_stage_stores_the_deadline_of_what_it_waits_for(world):
    report = submit(world, at(2026, 11, 23, 9))
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr, now=at(2026, 11, 24, 9))
    report.refresh_from_db()
    assert report.due_at == end_of(2026, 12, 1)  # first answer: 5 working days from arrival
    assert report.arrived_at == at(2026, 11, 24, 9)

    # Disposing down inside the agency does not buy it time.
    services.report_dispose(report=report, by=world.unit_admin, unit=world.bina_marga, now=at(2026, 11, 26, 9))
    report.refresh_from_db()
    assert report.due_at == end_of(2026, 12, 1)
    assert report.assigned_agency == world.bina_marga

    services.report_answer(report=report, by=world.unit_admin, body="Dijadwalkan.", now=at(2026, 11, 30, 9))
    report.refresh_from_db()
    assert report.status == Status.IN_PROGRESS
    assert report.due_at == end_of(2026, 12, 14)  # auto-close 10 working days after the answer
    assert report.first_answer_at == at(2026, 11, 30, 9)

    services.report_reply(report=report, by=world.citizen, text="Belum ada perbaikan.", now=at(2026, 12, 2, 9))
    report.refresh_from_db()
    assert report.status == Status.DISPATCHED
    assert report.due_at == end_of(2026, 12, 9)  # a new answer within 5 working days
    assert report.followups.get().satisfied is False


def test_a_returned_report_is_due_for_completion_in_ten_working_days_and_restarts_when_completed(world):
    report = submit(world, at(2026, 11, 23, 9))
    services.report_return(report=report, by=world.agency_admin, missing="Alamat lengkap dan foto",
                           now=at(2026, 11, 23, 10))
    report.refresh_from_db()
    assert report.status == Status.RETURNED
    assert report.missing_items == "Alamat lengkap dan foto"
    assert report.due_at == end_of(2026, 12, 7)
    assert report.outer_due_at is None  # not complete: the 60 days have not started

    services.report_complete(report=report, by=world.citizen, addition="Jl. Panglima Batur no. 3",
                             address="Jl. Panglima Batur no. 3", now=at(2026, 11, 25, 8))
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED
    assert report.due_at == end_of(2026, 11, 30)
    assert report.outer_due_at == at(2026, 11, 25, 8) + datetime.timedelta(days=60)
    assert "Jl. Panglima Batur no. 3" in report.body
    assert report.missing_items == ""


def test_a_returned_report_never_completed_is_archived_by_the_sweep(world):
    report = submit(world, at(2026, 11, 23, 9))
    services.report_return(report=report, by=world.agency_admin, missing="Foto", now=at(2026, 11, 23, 10))
    report.refresh_from_db()
    assert services.report_expire_return(report=report, now=report.due_at) is None
    archived = services.report_expire_return(report=report, now=report.due_at + datetime.timedelta(seconds=1))
    assert archived.status == Status.ARCHIVED
    assert archived.archive_reason == ArchiveReason.NEVER_COMPLETED


def test_postponing_keeps_the_verification_clock_running(world):
    report = submit(world, at(2026, 11, 23, 9))
    due = report.due_at
    services.report_postpone(report=report, by=world.agency_admin, reason="Menghubungi pelapor")
    report.refresh_from_db()
    assert (report.status, report.due_at) == (Status.POSTPONED, due)


# --- routing ------------------------------------------------------------------------------


def test_not_our_authority_goes_back_to_the_router_who_transfers_it(world):
    report = submit(world, at(2026, 11, 23, 9))
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr, now=at(2026, 11, 23, 10))
    services.report_not_our_authority(report=report, by=world.unit_admin, reason="Jalan kabupaten",
                                      now=at(2026, 11, 24, 9))
    report.refresh_from_db()
    assert (report.status, report.assigned_agency) == (Status.SUBMITTED, None)
    assert report.due_at == end_of(2026, 11, 27)  # the router has 3 working days
    assert report.verified_at is not None  # still public: it was verified
    with pytest.raises(TransitionNotAllowed):  # it is not verified twice
        services.report_verify(report=report, by=world.agency_admin, agency=world.dinkes)

    services.report_transfer(report=report, by=world.national_admin, agency=world.pupr_banjar,
                             reason="Ruas jalan milik Kabupaten Banjar", now=at(2026, 11, 25, 9))
    report.refresh_from_db()
    assert (report.status, report.assigned_agency) == (Status.DISPATCHED, world.pupr_banjar)
    assert report.due_at == end_of(2026, 12, 2)  # a fresh 5 working days for the new agency
    actions = list(report.events.values_list("action", flat=True))
    assert actions == [Action.SUBMIT, Action.VERIFY, Action.NOT_OUR_AUTHORITY, Action.TRANSFER]


def test_inside_its_government_a_late_report_moves_by_disposition_and_its_clock_runs_on(world):
    """A transfer would give a late unit's government a fresh 5 days (docs/decisions/0001
    §3): to a sibling unit, or to the government itself, it is refused; disposition keeps
    the deadline. Handed back as "bukan wewenang", the router may send it to a unit of
    its own government (the only way there), with the new unit's own clock."""
    report = submit(world, at(2026, 11, 23, 9))
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr, now=at(2026, 11, 23, 10))
    due = Report.objects.get(pk=report.pk).due_at
    for agency in (world.dinkes, world.pemkot):
        with pytest.raises(ValidationError) as error:
            services.report_transfer(report=report, by=world.agency_admin, agency=agency, reason="Urusan dinas lain",
                                     now=at(2026, 12, 1, 9))
        assert "disposisi" in error.value.message_dict["agency"][0]
    services.report_dispose(report=report, by=world.agency_admin, unit=world.dinkes, now=at(2026, 12, 1, 9))
    report.refresh_from_db()
    assert (report.assigned_agency, report.due_at) == (world.dinkes, due)

    services.report_not_our_authority(report=report, by=world.agency_admin, reason="Urusan dinas PUPR",
                                      now=at(2026, 12, 1, 10))
    services.report_transfer(report=report, by=world.agency_admin, agency=world.pupr, reason="Jalan kota",
                             now=at(2026, 12, 2, 9))
    report.refresh_from_db()
    assert (report.status, report.assigned_agency) == (Status.DISPATCHED, world.pupr)


def test_a_report_addressed_to_the_wrong_government_is_handed_to_the_right_one_unverified(world):
    """No wrong door (SPEC §4): Pemkot's admin cannot verify a Banjar road for Banjar, but
    hands it over; Banjar's admin verifies it with their own 3 working days."""
    report = submit(world, at(2026, 11, 23, 9))
    services.report_postpone(report=report, by=world.agency_admin, reason="Cek lokasi", now=at(2026, 11, 23, 10))
    services.report_transfer(report=report, by=world.agency_admin, agency=world.pemkab,
                             reason="Jalan di Kabupaten Banjar", now=at(2026, 11, 25, 9))
    report.refresh_from_db()
    assert (report.status, report.addressed_agency, report.assigned_agency) == (Status.SUBMITTED, world.pemkab, None)
    assert report.verified_at is None and report.due_at == end_of(2026, 11, 30)  # 3 working days for Banjar
    assert not policy.can_view(world.agency_admin, report)  # it left Pemkot
    assert policy.role_for(world.other_agency_admin, report, Action.VERIFY) == "agency_admin"
    services.report_verify(report=report, by=world.other_agency_admin, agency=world.pupr_banjar)
    report.refresh_from_db()
    assert (report.status, report.assigned_agency) == (Status.DISPATCHED, world.pupr_banjar)


def test_an_unverified_report_reaches_the_routers_own_units_by_verification_not_transfer(world):
    report = submit(world, at(2026, 11, 23, 9))
    with pytest.raises(ValidationError) as error:
        services.report_transfer(report=report, by=world.agency_admin, agency=world.pupr, reason="Jalan kota")
    assert "verifikasi" in error.value.message_dict["agency"][0]
    assert Report.objects.get(pk=report.pk).addressed_agency == world.pemkot


def test_a_report_handed_back_as_not_our_authority_reads_as_awaiting_transfer(world, client):
    report = submit(world, at(2026, 11, 23, 9))
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr, now=at(2026, 11, 23, 10))
    services.report_not_our_authority(report=report, by=world.unit_admin, reason="Jalan kabupaten",
                                      now=at(2026, 11, 24, 9))
    report.refresh_from_db()
    assert report.status_label == "Menunggu pelimpahan"  # not "Belum terverifikasi": it was verified
    page = client.get(f"/laporan/{report.tracking_id}/").content.decode()
    assert 'status-submitted">Menunggu pelimpahan<' in page  # the badge; still public
    client.force_login(world.citizen)  # the reporter sees the whole history
    page = client.get(f"/laporan/{report.tracking_id}/").content.decode()
    assert page.count("Status: Menunggu pelimpahan") == 1  # the "bukan wewenang" entry
    assert page.count("Status: Belum terverifikasi") == 1  # only the receipt, before verification


def test_an_agency_admin_cannot_dispatch_outside_their_government(world):
    report = submit(world, at(2026, 11, 23, 9))
    with pytest.raises(ActionForbidden):
        services.report_verify(report=report, by=world.agency_admin, agency=world.pupr_banjar)
    assert Report.objects.get(pk=report.pk).status == Status.SUBMITTED


def test_an_answer_given_before_a_transfer_is_not_the_new_agencys(world):
    """Banjarbaru answered late, the reporter replied, the report went to Banjar: Banjar has
    answered nothing, and is not ranked as having answered on time in 0 days."""
    from lapor.transparency import figures

    report = submit(world, at(2026, 11, 2, 9))
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr, now=at(2026, 11, 2, 10))
    services.report_answer(report=report, by=world.unit_admin, body="Sedang kami periksa.", now=at(2026, 11, 10, 9))
    services.report_reply(report=Report.objects.get(pk=report.pk), by=world.citizen, text="Itu jalan kabupaten.",
                          now=at(2026, 11, 12, 9))
    services.report_transfer(report=Report.objects.get(pk=report.pk), by=world.national_admin, agency=world.pemkab,
                             reason="Ruas jalan milik Kabupaten Banjar", now=at(2026, 11, 20, 9))
    report.refresh_from_db()
    assert (report.assigned_agency, report.first_answer_at) == (world.pemkab, None)
    [banjar] = [row for row in figures.compliance(Report.objects.filter(pk=report.pk), now=at(2026, 12, 7, 9))
                if row.agency == world.pemkab]
    assert (banjar.agency, banjar.on_time, banjar.due) == (world.pemkab, 0, 1)


def test_a_unit_in_another_zone_keeps_the_deadlines_day_ending_in_its_own_zone(world):
    """The ministry's clock runs on at its regional office in Papua: Friday stays the last
    day, ending at 23:59 WIT there, not at 01:59 WIT on Saturday (SPEC §4: the responsible
    agency's own zone)."""
    from lapor.agencies.models import Role
    from tests.factories import AgencyFactory
    from tests.personas import staff

    papua = AgencyFactory(name="Kantor Regional Papua", slug="kanreg-papua", parent=world.kemenpanrb,
                          time_zone="Asia/Jayapura")
    ministry_admin = staff("admin.kemenpan", world.kemenpanrb, Role.AGENCY_ADMIN)
    report = submit(world, at(2026, 12, 11, 23, 30, tz=WIB), addressed_agency=world.kemenpanrb)
    services.report_verify(report=report, by=world.national_admin, agency=world.kemenpanrb,
                           now=at(2026, 12, 11, 23, 30, tz=WIB))
    report.refresh_from_db()
    assert report.due_at == end_of(2026, 12, 18, tz=WIB)
    services.report_dispose(report=report, by=ministry_admin, unit=papua, now=at(2026, 12, 14, 9, tz=WIB))
    report.refresh_from_db()
    assert (report.due_at, report.deadline_zone) == (end_of(2026, 12, 18, tz=WIT), "Asia/Jayapura")


def test_a_unit_admin_disposes_only_below_their_unit(world):
    report = submit(world, at(2026, 11, 23, 9))
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)
    with pytest.raises(ValidationError) as error:
        services.report_dispose(report=report, by=world.unit_admin, unit=world.dinkes)
    assert "unit" in error.value.message_dict


def test_a_report_without_an_addressee_waits_for_the_national_admin(world):
    report = submit(world, at(2026, 11, 23, 9), addressed_agency=None)
    with pytest.raises(ActionForbidden):
        services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)
    with pytest.raises(ValidationError):  # the router must choose an agency
        services.report_verify(report=report, by=world.national_admin)
    services.report_verify(report=report, by=world.national_admin, agency=world.pupr)


def test_whistleblowing_is_confidential_and_only_reaches_the_inspectorate(world):
    report = submit(world, at(2026, 11, 23, 9), kind=Kind.WHISTLEBLOWING, title="Pungutan liar",
                    body="Ada pungutan di loket.")
    assert report.is_confidential and report.addressed_agency == world.inspektorat
    services.report_verify(report=report, by=world.national_admin, agency=world.pupr)
    report.refresh_from_db()
    assert report.assigned_agency == world.inspektorat
    from lapor.agencies.models import Role
    from tests.personas import staff

    with pytest.raises(ValidationError):
        services.report_dispose(report=report, by=staff("admin.inspektorat", world.inspektorat, Role.AGENCY_ADMIN),
                                unit=world.pupr)


def test_the_verifier_rewrites_the_title_keeping_the_original_and_sets_flags(world):
    report = submit(world, at(2026, 11, 23, 9), title="tolong pak jalan depan rumah saya rusak parah sekali")
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr, title="Jalan rusak di Guntung Manggis",
                           is_anonymous=True, is_confidential=True)
    report.refresh_from_db()
    assert report.title == "Jalan rusak di Guntung Manggis"
    assert report.original_title == "tolong pak jalan depan rumah saya rusak parah sekali"
    assert report.is_anonymous and report.is_confidential
    assert report.events.last().data["changes"]["is_confidential"] == [False, True]


def test_a_duplicate_is_archived_and_linked_to_the_original(world):
    original = submit(world, at(2026, 11, 23, 9))
    copy = submit(world, at(2026, 11, 23, 10))
    services.report_mark_duplicate(report=copy, by=world.agency_admin, original=original)
    copy.refresh_from_db()
    assert (copy.status, copy.archive_reason, copy.duplicate_of) == (
        Status.ARCHIVED, ArchiveReason.DUPLICATE, original)


def test_a_report_cannot_duplicate_itself_or_an_archived_report(world):
    original = submit(world, at(2026, 11, 23, 9))
    copy = submit(world, at(2026, 11, 23, 10))
    with pytest.raises(ValidationError):
        services.report_mark_duplicate(report=copy, by=world.agency_admin, original=copy)
    services.report_archive(report=original, by=world.agency_admin, reason="spam")
    with pytest.raises(ValidationError):
        services.report_mark_duplicate(report=copy, by=world.agency_admin, original=original)
    assert Report.objects.get(pk=copy.pk).status == Status.SUBMITTED


def test_a_duplicate_of_a_duplicate_points_at_the_first_report(world):
    original = submit(world, at(2026, 11, 23, 9))
    services.report_verify(report=original, by=world.agency_admin, agency=world.pupr)
    copy = submit(world, at(2026, 11, 23, 10))
    services.report_mark_duplicate(report=copy, by=world.agency_admin, original=original)
    copy.refresh_from_db()
    third = submit(world, at(2026, 11, 23, 11))
    services.report_mark_duplicate(report=third, by=world.agency_admin, original=copy)
    third.refresh_from_db()
    assert third.duplicate_of == original


def test_a_report_cannot_be_marked_a_duplicate_of_its_own_duplicate(world):
    first = submit(world, at(2026, 11, 23, 9))
    second = submit(world, at(2026, 11, 23, 10))
    services.report_mark_duplicate(report=first, by=world.agency_admin, original=second)

    with pytest.raises(ValidationError) as refused:
        services.report_mark_duplicate(report=second, by=world.agency_admin, original=Report.objects.get(pk=first.pk))

    assert "sudah ditandai sebagai duplikat dari laporan ini" in str(refused.value)
    second.refresh_from_db()
    assert (second.status, second.duplicate_of) == (Status.SUBMITTED, None)


def test_archiving_needs_one_of_the_known_reasons(world):
    report = submit(world, at(2026, 11, 23, 9))
    with pytest.raises(ValidationError):
        services.report_archive(report=report, by=world.agency_admin, reason="tidak suka")
    with pytest.raises(ValidationError):  # "duplicate" goes through mark_duplicate, with its link
        services.report_archive(report=report, by=world.agency_admin, reason="duplicate")


# --- the reporter's side ------------------------------------------------------------------


def answered(world, now=at(2026, 11, 23, 9)):
    report = submit(world, now)
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr, now=now)
    services.report_answer(report=report, by=world.unit_admin, body="Sudah kami perbaiki.", now=now)
    report.refresh_from_db()
    return report


def test_a_satisfied_rating_closes_the_report_and_rates_the_answer(world):
    report = answered(world)
    services.report_rate(report=report, by=world.citizen, comment="Cepat, terima kasih", now=at(2026, 11, 24, 9))
    report.refresh_from_db()
    assert report.status == Status.CLOSED
    followup = report.followups.get()
    assert (followup.satisfied, followup.rating_comment) == (True, "Cepat, terima kasih")
    assert report.reopen_until == end_of(2026, 12, 8)


def test_a_closed_report_can_be_reopened_once_within_ten_working_days(world):
    report = answered(world)
    services.report_rate(report=report, by=world.citizen, now=at(2026, 11, 24, 9))
    services.report_reopen(report=report, by=world.citizen, reason="Rusak lagi", now=at(2026, 12, 1, 9))
    report.refresh_from_db()
    assert (report.status, report.reopen_count, report.assigned_agency) == (Status.DISPATCHED, 1, world.pupr)
    assert report.due_at == end_of(2026, 12, 8)
    services.report_answer(report=report, by=world.unit_admin, body="Diperbaiki ulang.", now=at(2026, 12, 2, 9))
    services.report_rate(report=report, by=world.citizen, now=at(2026, 12, 3, 9))
    with pytest.raises(TransitionNotAllowed, match="satu kali"):
        services.report_reopen(report=report, by=world.citizen, reason="Lagi", now=at(2026, 12, 4, 9))


def test_reopening_after_the_window_is_refused(world):
    report = answered(world)
    services.report_rate(report=report, by=world.citizen, now=at(2026, 11, 24, 9))
    with pytest.raises(TransitionNotAllowed, match="lewat"):
        services.report_reopen(report=report, by=world.citizen, reason="Rusak lagi", now=at(2026, 12, 9, 0, 0, 1))


def test_a_proxy_files_for_a_resident_and_both_are_recorded(world):
    report = submit(world, at(2026, 11, 23, 9), reporter=world.other_citizen, filed_by=world.proxy)
    assert (report.reporter, report.filed_by) == (world.other_citizen, world.proxy)
    assert report.events.get().actor == world.proxy


def test_only_a_registered_rt_rw_may_file_for_someone_else(world):
    with pytest.raises(ValidationError) as error:
        submit(world, at(2026, 11, 23, 9), reporter=world.other_citizen, filed_by=world.citizen)
    assert "filed_by" in error.value.message_dict


# --- bad input ----------------------------------------------------------------------------


def test_bad_input_names_every_problem_and_saves_nothing(world):
    count = Report.objects.count()
    with pytest.raises(ValidationError) as error:
        submit(world, at(2026, 11, 23, 9), title="  ", body="", incident_date=datetime.date(2026, 11, 25),
               latitude=51.5, longitude=-0.12)
    assert set(error.value.message_dict) == {"title", "body", "incident_date", "latitude"}
    assert "masa depan" in error.value.message_dict["incident_date"][0]
    assert Report.objects.count() == count


def test_todays_date_in_jayapura_is_not_in_the_future_while_jakarta_is_still_on_yesterday(world):
    """01:30 WIT on 24 November is 23:30 WIB on the 23rd: a reporter in Papua writes the 24th."""
    late = datetime.datetime(2026, 11, 23, 16, 30, tzinfo=datetime.timezone.utc)
    report = submit(world, late, incident_date=datetime.date(2026, 11, 24))
    assert report.incident_date == datetime.date(2026, 11, 24)
    with pytest.raises(ValidationError):
        submit(world, late, incident_date=datetime.date(2026, 11, 25))


def test_answers_and_reasons_may_not_be_empty(world):
    report = submit(world, at(2026, 11, 23, 9))
    with pytest.raises(ValidationError):
        services.report_return(report=report, by=world.agency_admin, missing="   ")
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)
    with pytest.raises(ValidationError):
        services.report_answer(report=report, by=world.unit_admin, body="")
    report.refresh_from_db()
    assert report.status == Status.DISPATCHED
    assert report.followups.count() == 0


# --- the history is the audit trail -------------------------------------------------------


def test_the_history_cannot_be_edited_or_deleted(world):
    event = submit(world, at(2026, 11, 23, 9)).events.get()
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()
    # Not even with a raw UPDATE that bypasses the model.
    with pytest.raises(Exception, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE reports_reportevent SET text = 'rewritten' WHERE id = %s", [event.pk])
    assert ReportEvent.objects.get(pk=event.pk).text == ""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite keeps DELETE for its test flush")
def test_postgresql_refuses_deleting_history_rows(world):
    event = submit(world, at(2026, 11, 23, 9)).events.get()
    with pytest.raises(Exception, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM reports_reportevent WHERE id = %s", [event.pk])


def test_every_transition_is_one_event_with_actor_role_and_statuses(world):
    report = answered(world)
    events = list(report.events.values_list("action", "actor_role", "from_status", "to_status"))
    assert events == [
        (Action.SUBMIT, "reporter", "", Status.SUBMITTED),
        (Action.VERIFY, "agency_admin", Status.SUBMITTED, Status.DISPATCHED),
        (Action.ANSWER, "unit_admin", Status.DISPATCHED, Status.IN_PROGRESS),
    ]


def test_a_tracking_id_collision_is_retried_not_failed(world, monkeypatch):
    existing = submit(world, at(2026, 11, 23, 9))
    fresh = iter([existing.tracking_id, existing.tracking_id, "123456780"])
    monkeypatch.setattr(writing, "new_tracking_id", lambda: next(fresh))
    report = submit(world, at(2026, 11, 23, 9))
    assert report.tracking_id == "123456780"
    with pytest.raises(IntegrityError):
        Report.objects.filter(pk=report.pk).update(tracking_id=existing.tracking_id)
