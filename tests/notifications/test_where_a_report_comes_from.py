"""What a reporter is told about where their report stands among others: the original a
duplicate goes on in (SPEC §8), the RT/RW who filed it for them (SPEC §2), and, as a
follower by SMS, how to check the report without a browser (SPEC §7, §9)."""
import pytest

from lapor.accounts.models import User
from lapor.notifications.models import Notification, Preference
from lapor.reports import services
from lapor.sms.inbound import receive_sms
from tests.sweep.conftest import at

PHONE = "+6281299990001"



@pytest.fixture
def phone_only_citizen(world):
    """Siti, who reads her news by SMS (and by e-mail: she has an address too)."""
    profile = world.citizen.profile
    profile.is_phone_only = True
    profile.save()
    return world.citizen


def speaking(user, language):
    if language == "en":
        Preference.objects.create(user=user, language="en")


def original_report(world, act, *, is_confidential=False):
    report = act(services.report_submit, reporter=world.other_citizen, title="Banjir di Jl. A. Yani",
                 body="Air setinggi lutut sejak pagi.", addressed_agency=world.pemkot, category=world.category,
                 is_confidential=is_confidential, now=at(2026, 11, 23, 8))
    return act(services.report_verify, report=report, by=world.agency_admin, agency=world.pupr, now=at(2026, 11, 23, 9))


def marked_duplicate(world, act, original):
    duplicate = act(services.report_submit, reporter=world.citizen, title="Banjir", body="Air masuk rumah.",
                    addressed_agency=world.pemkot, now=at(2026, 11, 23, 10))
    act(services.report_mark_duplicate, report=duplicate, by=world.agency_admin, original=original,
        now=at(2026, 11, 23, 11))
    return duplicate


def body(message) -> str:
    return message.get_body(("plain",)).get_content()


# --- A duplicate's reporter is told which report the problem is handled in --------------------


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_duplicates_reporter_is_told_the_original_by_email_and_sms(world, act, smtp_server, kannel, settings,
                                                                     phone_only_citizen, language):
    speaking(world.citizen, language)
    original = original_report(world, act)
    duplicate = marked_duplicate(world, act, original)
    a, d = original.tracking_id, duplicate.tracking_id
    link = f"{settings.LAPOR_SITE_URL}/laporan/{a}/"

    mail = smtp_server.to(world.citizen.email)[-1]
    sms = kannel.received[-1]["text"]
    if language == "id":
        assert ("Masalah yang sama sudah dilaporkan dan ditangani dalam laporan "
                f"#{a}; tindak lanjutnya akan dikirim kepada Anda. Lihat laporan itu: {link}") in body(mail)
        assert sms == (f"LAPOR #{d}: Ditandai duplikat dari laporan #{a}; tindak lanjutnya akan dikirim "
                       f"kepada Anda. Cek: kirim CEK {a} ke 1708.")
    else:
        assert ("The same problem was already reported and is handled in report "
                f"#{a}; its follow-ups will be sent to you. See that report: {link}") in body(mail)
        assert sms == (f"LAPOR #{d}: Marked as a duplicate of report #{a}; its follow-ups will be sent "
                       f"to you. Status: send CEK {a} to 1708.")
    assert len(sms) <= 160


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_duplicates_reporter_is_not_told_the_number_of_a_confidential_original(world, act, smtp_server, kannel,
                                                                                phone_only_citizen, language):
    speaking(world.citizen, language)
    original = original_report(world, act, is_confidential=True)
    duplicate = marked_duplicate(world, act, original)
    d = duplicate.tracking_id

    mail = smtp_server.to(world.citizen.email)[-1]
    sms = kannel.received[-1]["text"]
    if language == "id":
        assert "Masalah yang sama ditangani dalam laporan lain secara rahasia." in body(mail)
        assert sms == (f"LAPOR #{d}: Ditandai duplikat. Masalah yang sama ditangani dalam laporan lain "
                       f"secara rahasia. Cek status: kirim CEK {d} ke 1708.")
    else:
        assert "The same problem is handled confidentially in another report." in body(mail)
        assert sms == (f"LAPOR #{d}: Marked as a duplicate. The same problem is handled confidentially in "
                       f"another report. Status: send CEK {d} to 1708.")
    assert len(sms) <= 160
    told = Notification.objects.filter(recipient=world.citizen, report=duplicate)
    for text in [mail.as_string(), sms, *(n.subject + n.body for n in told)]:
        assert original.tracking_id not in text


# --- A follower by SMS is told how to check the report by SMS ----------------------------------


def test_a_phone_only_follower_is_told_to_check_the_original_by_sms_not_sent_a_link(world, act, kannel):
    original = original_report(world, act)
    record = act(receive_sms, sender=PHONE, text="BANJARBARU Banjir Jl A Yani air masuk rumah", now=at(2026, 11, 23, 10))
    act(services.report_mark_duplicate, report=record.report, by=world.agency_admin, original=original,
        now=at(2026, 11, 23, 11))
    kannel.received.clear()

    act(services.report_answer, report=original, by=world.unit_admin, body="Pompa air dikirim siang ini.",
        now=at(2026, 11, 24, 9))

    [sms] = kannel.received
    a = original.tracking_id
    assert sms["to"] == PHONE
    assert sms["text"] == (f"LAPOR #{a}: ada tindak lanjut pada laporan yang Anda ikuti. "
                           f"Cek status: kirim CEK {a} ke 1708.")
    assert len(sms["text"]) <= 160


def test_an_english_speaking_follower_by_sms_is_told_to_check_by_sms_too(world, act, kannel):
    # The English words come from the catalogue (lapor/locale/en): "LAPOR #…: a follow-up to a
    # report you follow. Status: send CEK … to 1708."; the command is the same in any language.
    original = original_report(world, act)
    record = act(receive_sms, sender=PHONE, text="BANJARBARU Banjir Jl A Yani air masuk rumah", now=at(2026, 11, 23, 10))
    speaking(User.objects.get(pk=record.report.reporter_id), "en")
    act(services.report_mark_duplicate, report=record.report, by=world.agency_admin, original=original,
        now=at(2026, 11, 23, 11))
    kannel.received.clear()

    act(services.report_answer, report=original, by=world.unit_admin, body="Pompa air dikirim.", now=at(2026, 11, 24, 9))

    [sms] = kannel.received
    assert sms["text"].startswith(f"LAPOR #{original.tracking_id}: ")
    assert f"CEK {original.tracking_id}" in sms["text"] and "1708" in sms["text"]
    assert "http" not in sms["text"]


# --- A resident is told that their RT/RW filed the report ---------------------------------------


def filed_by_the_rt(world, act, **kwargs):
    return act(services.report_submit, reporter=world.citizen, filed_by=world.proxy, title="Lampu jalan mati",
               body="Tiga lampu di gang 5 mati sejak Senin.", addressed_agency=world.pemkot,
               category=world.category, now=at(2026, 11, 23, 9), **kwargs)


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_resident_is_told_that_their_rt_rw_filed_the_report_for_them(world, act, smtp_server, kannel,
                                                                      phone_only_citizen, language):
    speaking(world.citizen, language)
    rt = world.proxy.profile
    rt.nik = "6372020101800003"
    rt.save()
    report = filed_by_the_rt(world, act)
    t = report.tracking_id

    [mail] = smtp_server.to(world.citizen.email)
    [sms] = [m["text"] for m in kannel.received if m["to"] == world.citizen.profile.phone]
    if language == "id":
        assert ("Laporan ini diajukan atas nama Anda oleh RT/RW Pak RT Lima. Bila Anda tidak memintanya, "
                "hubungi Pemerintah Kota Banjarbaru lewat halaman laporan.") in body(mail)
        assert sms == (f"LAPOR #{t}: Laporan diterima, diajukan untuk Anda oleh RT/RW Pak RT Lima. "
                       f"Tidak meminta? Hubungi Pemerintah Kota Banjarbaru. Cek: CEK {t} ke 1708.")
    else:
        assert ("This report was filed on your behalf by RT/RW Pak RT Lima. If you did not ask for it, "
                "contact Pemerintah Kota Banjarbaru through the report's page.") in body(mail)
        assert sms == (f"LAPOR #{t}: Report received, filed for you by RT/RW Pak RT Lima. Didn't ask for it? "
                       f"Contact Pemerintah Kota Banjarbaru. Status: CEK {t} to 1708.")
    assert len(sms) <= 160
    # The RT/RW by name only: never their NIK or number.
    for secret in (rt.nik, rt.phone, world.proxy.username, world.proxy.email):
        assert secret not in mail.as_string() and secret not in sms


def test_the_rt_rw_own_receipt_does_not_tell_them_they_filed_it(world, act, smtp_server):
    filed_by_the_rt(world, act)
    [receipt] = smtp_server.to(world.proxy.email)
    assert "diajukan atas nama Anda" not in body(receipt)


def test_a_resident_is_told_of_their_rt_rw_unnamed_on_an_anonymous_report(world, act, smtp_server):
    report = filed_by_the_rt(world, act, is_anonymous=True)

    [mail] = smtp_server.to(world.citizen.email)
    assert ("Laporan ini diajukan atas nama Anda oleh RT/RW Anda. Bila Anda tidak memintanya, "
            "hubungi Pemerintah Kota Banjarbaru lewat halaman laporan.") in body(mail)
    # Nothing stored about the anonymous report names the RT/RW behind its stand-in.
    for row in Notification.objects.filter(report=report):
        assert "Pak RT Lima" not in row.subject + row.body
