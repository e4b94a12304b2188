"""``policy.scoped_reports`` (the inbox's queryset) agrees with ``policy.has_full_access``
(the workspace's rule) for every persona and every kind of report."""
import datetime

from django.contrib.auth.models import AnonymousUser

from lapor.reports import policy, services
from lapor.reports.models import Report

NOW = datetime.datetime(2026, 11, 23, 2, 0, tzinfo=datetime.timezone.utc)


def reports(world):
    def submit(**kw):
        return services.report_submit(reporter=world.citizen, title="Lampu", body="Gelap", now=NOW, **kw)

    made = [submit(addressed_agency=world.pemkot), submit(), submit(addressed_agency=world.pemkab)]
    for agency, flags in ((world.pupr, {}), (world.bina_marga, {"is_confidential": True}),
                          (world.pupr_banjar, {"is_anonymous": True}), (world.dinkes, {})):
        report = submit(addressed_agency=world.pemkab if agency == world.pupr_banjar else world.pemkot, **flags)
        by = world.other_agency_admin if agency == world.pupr_banjar else world.agency_admin
        services.report_verify(report=report, by=by, agency=agency, now=NOW)
        made.append(report)
    whistle = submit(addressed_agency=world.pemkot, kind="whistleblowing")
    services.report_verify(report=whistle, by=world.national_admin, agency=world.pupr, now=NOW)  # → inspectorate
    made.append(whistle)
    return [Report.objects.select_related("addressed_agency", "assigned_agency").get(pk=r.pk) for r in made]


def test_the_inbox_scope_and_full_access_agree_for_every_persona_and_report(world):
    all_reports = reports(world)
    for name, person in {**world.personas(), "public": AnonymousUser()}.items():
        in_query = set(policy.scoped_reports(person).values_list("pk", flat=True))
        in_memory = {r.pk for r in all_reports if policy.has_full_access(person, r)}
        assert in_query == in_memory, name


def test_citizens_and_the_public_have_no_scope(world):
    reports(world)
    for person in (world.citizen, world.proxy, AnonymousUser()):
        assert not policy.scoped_reports(person).exists()


def test_a_published_report_of_another_agency_is_visible_but_not_in_scope(world):
    report = services.report_submit(reporter=world.citizen, title="Lampu", body="Gelap", addressed_agency=world.pemkab)
    services.report_verify(report=report, by=world.other_agency_admin, agency=world.pupr_banjar)
    assert policy.visible_reports(world.officer).filter(pk=report.pk).exists()
    assert not policy.scoped_reports(world.officer).filter(pk=report.pk).exists()
