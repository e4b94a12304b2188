"""CEK on a report archived as a duplicate says where the problem is handled (SPEC §7, §8)."""
from lapor.reports import services
from lapor.reports.models import Report

PHONE = "+6281299990001"


def _original(world, **kwargs):
    report = services.report_submit(reporter=world.other_citizen, title="Banjir di Jl. A. Yani", body="Air setinggi lutut",
                                    addressed_agency=world.pemkot, **kwargs)
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)
    return report


def _sms_duplicate_of(world, sms, original):
    sms(PHONE, "BANJARBARU Banjir Jl A Yani air masuk rumah", ts="1")
    duplicate = Report.objects.get(reporter__profile__phone_hash__isnull=False, channel="sms")
    services.report_mark_duplicate(report=duplicate, by=world.agency_admin, original=original)
    return duplicate


def test_cek_of_a_duplicate_names_the_original_to_check_instead(world, sms):
    original = _original(world)
    duplicate = _sms_duplicate_of(world, sms, original)

    reply = sms(PHONE, f"CEK {duplicate.tracking_id}", ts="2")

    assert "Diarsipkan" in reply
    assert f"duplikat dari laporan {original.tracking_id}" in reply.lower()
    assert f"CEK {original.tracking_id}" in reply


def test_cek_of_a_duplicate_of_a_confidential_report_does_not_name_it(world, sms):
    original = _original(world, is_confidential=True)
    duplicate = _sms_duplicate_of(world, sms, original)

    reply = sms(PHONE, f"CEK {duplicate.tracking_id}", ts="2")

    assert "Diarsipkan" in reply and original.tracking_id not in reply
    assert "laporan lain" in reply
