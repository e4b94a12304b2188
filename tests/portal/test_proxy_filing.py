"""An RT/RW files for a resident (SPEC §6, docs/portal.md *Accounts*): typing a NIK or a
phone number must never tell the RT/RW whose it is, and guessing names against it must
confirm nothing. The report goes into the resident's own account only when the details
match; the RT/RW's answer and page are the same either way."""
import re

import pytest

from lapor.accounts.models import ReporterProfile
from lapor.accounts.proxies import resident_for_proxy
from lapor.reports.models import Report

FORM = {
    "kind": "complaint",
    "title": "Saluran air tersumbat di gang Mawar",
    "body": "Sudah seminggu saluran air tersumbat dan meluap setiap hujan.",
    "checked": "True",
}


NIK = "6372021705900001"  # Landasan Ulin, a man born 17 May 1990: Budi Santoso's (world.other_citizen)


@pytest.fixture
def citizen_with_nik(world, kalsel):
    profile = world.other_citizen.profile
    profile.nik = NIK
    profile.save(update_fields=["nik"])
    return world.other_citizen


def file_for(client, **resident):
    response = client.post("/lapor/", {**FORM, **resident})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Report.objects.latest("pk"), response


def reporter_shown(client, report) -> str:
    page = client.get(f"/laporan/{report.tracking_id}/").content.decode()
    return re.search(r"<dt>Pelapor</dt><dd>(.*?)</dd>", page).group(1)


def test_guessing_names_against_a_citizens_nik_gives_the_same_answer_right_or_wrong(client, world, citizen_with_nik):
    citizen = citizen_with_nik  # "Budi Santoso"
    client.force_login(world.proxy)
    answers = {}
    for guess in ("Budi Santosa", "budi santoso", "Budi Santoso"):
        report, response = file_for(client, resident_name=guess, resident_nik=citizen.profile.nik)
        answers[guess] = (response.status_code, reporter_shown(client, report))
        assert answers[guess] == (302, f"{guess} (diajukan oleh Anda sebagai RT/RW)")
    # Only the exact name went into the citizen's own account; the others are on their own.
    assert list(Report.objects.filter(reporter=citizen).values_list("title", flat=True)) == [FORM["title"]]
    assert Report.objects.filter(filed_by=world.proxy).count() == 3


def test_a_resident_filed_under_another_name_keeps_no_one_elses_number_or_nik(citizen_with_nik):
    citizen = citizen_with_nik

    resident = resident_for_proxy(full_name="Siti Aminah", phone=citizen.profile.phone, nik=citizen.profile.nik)

    profile = ReporterProfile.objects.get(user=resident)
    assert resident != citizen and resident.full_name == "Siti Aminah"
    assert profile.is_phone_only and profile.phone == "" and profile.nik == ""
    assert not resident.has_usable_password()


def test_a_phone_only_account_is_not_shown_to_an_rt_rw_who_types_its_number_under_another_name(client, world):
    """A number another RT/RW (or an SMS) already used: its account's name is not the
    answer to "whose is this number"."""
    client.force_login(world.proxy)
    first, _response = file_for(client, resident_name="Mak Inah", resident_phone="0812-7777-1234")

    second, _response = file_for(client, resident_name="Acil Galuh", resident_phone="0812-7777-1234")

    assert reporter_shown(client, second) == "Acil Galuh (diajukan oleh Anda sebagai RT/RW)"
    assert second.reporter != first.reporter
    # The number stays with the account that had it: residents are told by SMS on one account only.
    assert ReporterProfile.objects.get(user=second.reporter).phone == ""


def test_a_free_number_typed_with_a_taken_nik_is_kept_so_the_resident_can_be_reached(citizen_with_nik):
    resident = resident_for_proxy(full_name="Siti Aminah", phone="0813-5000-1111", nik=NIK)

    profile = ReporterProfile.objects.get(user=resident)
    assert profile.phone == "+6281350001111" and profile.nik == ""
    assert resident_for_proxy(full_name="Siti Aminah", phone="081350001111") == resident


def test_a_resident_who_reported_by_sms_gets_the_rt_rw_report_in_that_same_account(client, world):
    """An SMS from a number makes an account with no name: the RT/RW's report for that
    number joins it (and names it), so the resident hears of both on the same phone."""
    from lapor.sms.reporters import phone_reporter

    sms_account = phone_reporter("+6281355550001")
    client.force_login(world.proxy)
    report, _response = file_for(client, resident_name="Mak Inah", resident_phone="0813 5555 0001")
    assert report.reporter == sms_account
    sms_account.refresh_from_db()
    assert sms_account.full_name == "Mak Inah"
