"""Verifying through the API makes the safe choice the default (SPEC §12), as the back
office's form does: a report whose text names people is verified confidential unless the
caller says `is_confidential: false`; one that names nobody is published as before."""
from lapor.reports import services
from lapor.reports.models import Report

NAMES_PEOPLE = "Pak Joko Susilo di loket meminta uang pelicin, nomornya 081234567890."


def submitted(world, body):
    return services.report_submit(reporter=world.citizen, title="Pungutan di loket KTP", body=body,
                                  addressed_agency=world.pemkot)


def verify(client, report, data):
    return client.post(f"/api/v1/reports/{report.tracking_id}/verify/", data, format="json")


def test_a_report_naming_people_verified_without_a_choice_stays_out_of_public(world, api):
    report = submitted(world, NAMES_PEOPLE)

    answer = verify(api(world.agency_admin), report, {"agency": world.pupr.slug})

    assert answer.status_code == 200, answer.json()
    assert answer.json()["status"] == "dispatched" and answer.json()["is_confidential"] is True
    assert api().get(f"/api/v1/reports/{report.tracking_id}/").status_code == 404
    assert api(world.officer).get(f"/api/v1/reports/{report.tracking_id}/").status_code == 200  # its agency reads it


def test_the_verifier_may_still_publish_it_by_saying_so(world, api):
    report = submitted(world, NAMES_PEOPLE)

    answer = verify(api(world.agency_admin), report, {"agency": world.pupr.slug, "is_confidential": False})

    assert answer.status_code == 200, answer.json()
    assert answer.json()["is_confidential"] is False
    assert api().get(f"/api/v1/reports/{report.tracking_id}/").status_code == 200


def test_a_report_that_names_nobody_is_published_as_before(world, api):
    report = submitted(world, "Lampu jalan mati di Jl. A. Yani km 30 sejak seminggu.")

    answer = verify(api(world.agency_admin), report, {"agency": world.pupr.slug})

    assert answer.status_code == 200 and answer.json()["is_confidential"] is False
    assert api().get(f"/api/v1/reports/{report.tracking_id}/").status_code == 200


def test_an_anonymous_report_keeps_the_verifiers_choice_as_the_back_office_does(world, api):
    # Its reporter is hidden already; the back office's form does not tick "Rahasia" for it.
    report = services.report_submit(reporter=world.citizen, title="Pungutan di loket KTP", body=NAMES_PEOPLE,
                                    addressed_agency=world.pemkot, is_anonymous=True)

    verify(api(world.agency_admin), report, {"agency": world.pupr.slug})

    assert not Report.objects.get(pk=report.pk).is_confidential
