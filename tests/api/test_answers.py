"""The API's answers are written from a plan made once per serializer class
(``lapor.api.serializers.BuiltOnce``): every answer must be what DRF's own field-by-field
walk writes, for every kind of report and every reader (SPEC §5: what each may see)."""
import pytest
from django.contrib.auth.models import AnonymousUser
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from lapor.api import serializers as s
from lapor.reports import policy, services
from lapor.reports.attachments import attachment_store, clean_upload
from lapor.reports.models import Report

from .conftest import photo_with_gps


def drf_walk(serializer, instance):
    return serializers.Serializer.to_representation(serializer, instance)


@pytest.fixture
def reports(world):
    def file(**kwargs):
        return services.report_submit(reporter=world.citizen, title="Lampu jalan mati", body="Jl. A. Yani km 30",
                                      addressed_agency=world.pemkot, **kwargs)

    just_filed = file()
    answered = file(category=world.category, latitude=-3.44, longitude=114.83, show_reporter_name=True)
    services.report_verify(report=answered, by=world.agency_admin, agency=world.pupr)
    first_answer = services.report_answer(report=answered, by=world.unit_admin, body="Sudah diperbaiki.")
    attachment_store(report=answered, clean=clean_upload(photo_with_gps()), by=world.citizen)
    attachment_store(report=answered, clean=clean_upload(photo_with_gps()), by=world.unit_admin, followup=first_answer)
    services.report_reply(report=answered, by=world.citizen, text="Belum, masih mati.")
    services.report_answer(report=answered, by=world.unit_admin, body="Lampu diganti.")
    services.report_rate(report=answered, by=world.citizen, comment="Terima kasih")
    anonymous = file(is_anonymous=True)
    services.report_verify(report=anonymous, by=world.agency_admin, agency=world.pupr)
    confidential = file(is_confidential=True)
    services.report_verify(report=confidential, by=world.agency_admin, agency=world.dinkes)
    attachment_store(report=confidential, clean=clean_upload(photo_with_gps()), by=world.citizen)
    return list(Report.objects.filter(pk__in=[r.pk for r in (just_filed, answered, anonymous, confidential)])
                .order_by("pk"))


@pytest.mark.parametrize("reader", ["public", "citizen", "officer", "agency_admin", "national_admin"])
def test_every_answer_is_what_drf_would_write(world, reports, reader):
    user = AnonymousUser() if reader == "public" else getattr(world, reader)
    request = APIRequestFactory().get("/api/v1/reports/")
    context = {"request": request, "actor": policy.actor_for(user)}
    for report in reports:
        fast = s.ReportDetailOut(report, context=context).data
        assert fast == drf_walk(s.ReportDetailOut(report, context=context), report)
        assert list(fast) == list(drf_walk(s.ReportDetailOut(report, context=context), report))  # same order
        listed = s.ReportOut([report], many=True, context=context).data[0]
        assert listed == drf_walk(s.ReportOut(report, context=context), report)
        for event in policy.visible_events(context["actor"], report):
            assert s.EventOut(event, context=context).data == drf_walk(s.EventOut(event, context=context), event)
        for followup in report.followups.all():
            assert s.FollowUpOut(followup).data == drf_walk(s.FollowUpOut(followup), followup)
            with_context = s.FollowUpOut(followup, context=context)
            assert with_context.data == drf_walk(s.FollowUpOut(followup, context=context), followup)
        for attachment in report.attachments.all():
            assert s.AttachmentOut(attachment, context=context).data == drf_walk(
                s.AttachmentOut(attachment, context=context), attachment)
        for agency in (report.addressed_agency, report.assigned_agency):
            if agency is not None:
                assert s.AgencyRef(agency).data == drf_walk(s.AgencyRef(agency), agency)
        if report.category is not None:
            assert s.CategoryRef(report.category).data == drf_walk(s.CategoryRef(report.category), report.category)


def test_the_answers_still_mask_what_a_reader_may_not_see(world, reports):
    """The plan is shared by every request: the reporter's name and the internal history
    are still decided per reader."""
    request = APIRequestFactory().get("/api/v1/reports/")
    anonymous = next(r for r in reports if r.is_anonymous)
    as_public = s.ReportDetailOut(anonymous, context={"request": request, "actor": policy.actor_for(None)}).data
    as_admin = s.ReportDetailOut(anonymous, context={"request": request,
                                                     "actor": policy.actor_for(world.national_admin)}).data
    assert world.citizen.display_name not in str(as_public) and world.citizen.display_name not in str(as_admin)
    named = next(r for r in reports if r.show_reporter_name)
    officer_view = s.ReportDetailOut(named, context={"request": request, "actor": policy.actor_for(world.officer)}).data
    assert officer_view["reporter_name"] == world.citizen.display_name
    assert len(officer_view["followups"]) == 2 and officer_view["followups"][1]["satisfied"] is True
