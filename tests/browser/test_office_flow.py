"""The back office in a real browser: a report verified, disposed, drafted, approved and
closed by the people whose work it is; and a transfer to another government. axe checks each page."""
from lapor.reports import services
from lapor.reports.enums import Status
from lapor.reports.models import Report

from ..office.staff import browser_sign_in
from .conftest import assert_accessible


def desk(context_for, live_server, user):
    context = context_for(viewport={"width": 1280, "height": 900})
    browser_sign_in(context, user, live_server.url)
    return context.new_page()


def open_action(page, summary):
    details = page.locator("details.action", has=page.locator("summary", has_text=summary))
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    return details


def test_verify_dispose_answer_and_close_in_the_browser(world, context_for, live_server):
    report = services.report_submit(reporter=world.citizen, title="Jalan berlubang di Jl. Karang Anyar",
                                    body="Lubang besar dekat sekolah.", addressed_agency=world.pemkot,
                                    category=world.category)
    # The city's admin verifies it from the inbox and sends it to Dinas PUPR.
    page = desk(context_for, live_server, world.agency_admin)
    page.goto("/kantor/")
    assert_accessible(page)
    page.get_by_role("link", name=f"#{report.tracking_id}").click()
    assert_accessible(page)
    verify = open_action(page, "Verifikasi dan disposisi")
    verify.get_by_label("Judul (ringkasan)").fill("Jalan berlubang dekat SDN Karang Anyar")
    verify.get_by_label("Disposisikan ke").select_option(label="\u2003Dinas PUPR Banjarbaru")
    verify.get_by_role("button", name="Verifikasi").click()
    page.get_by_text("Laporan diverifikasi dan didisposisikan").wait_for()
    assert Report.objects.get(pk=report.pk).assigned_agency == world.pupr

    # PUPR's unit admin disposes it to Bidang Bina Marga.
    page = desk(context_for, live_server, world.unit_admin)
    page.goto("/kantor/")
    page.get_by_role("link", name=f"#{report.tracking_id}").click()
    dispose = open_action(page, "Disposisi ke unit kerja")
    dispose.get_by_label("Unit kerja tujuan").select_option(label="\u2003\u2003Bidang Bina Marga")
    dispose.get_by_role("button", name="Disposisikan").click()
    page.get_by_text("Laporan didisposisikan ke Bidang Bina Marga").wait_for()

    # Bina Marga's officer drafts the answer; the citizen sees nothing of it yet.
    page = desk(context_for, live_server, world.sub_unit_officer)
    page.goto("/kantor/")
    page.get_by_role("link", name=f"#{report.tracking_id}").click()
    draft = open_action(page, "Draf tindak lanjut")
    draft.get_by_label("Draf tindak lanjut untuk pelapor").fill("Lubang sudah ditambal.")
    draft.get_by_role("button", name="Ajukan untuk disetujui").click()
    page.get_by_text("Admin unit memeriksanya sebelum terkirim ke pelapor").wait_for()
    assert_accessible(page)
    assert Report.objects.get(pk=report.pk).status == Status.DISPATCHED

    # PUPR's unit admin finds it in the inbox, adds the date and approves it.
    page = desk(context_for, live_server, world.unit_admin)
    page.goto("/kantor/")
    page.get_by_text("Draf menunggu persetujuan").wait_for()
    page.get_by_role("link", name=f"#{report.tracking_id}").click()
    approve = open_action(page, "Setujui draf tindak lanjut")
    approve.get_by_label("Tindak lanjut untuk pelapor").fill("Lubang sudah ditambal pada 20 November.")
    assert_accessible(page)
    approve.get_by_role("button", name="Setujui dan kirim ke pelapor").click()
    page.get_by_text("Draf disetujui; tindak lanjut terkirim ke pelapor.").wait_for()
    assert Report.objects.get(pk=report.pk).status == Status.IN_PROGRESS
    assert report.followups.get().body == "Lubang sudah ditambal pada 20 November."

    # The city's admin closes it.
    page = desk(context_for, live_server, world.agency_admin)
    page.goto(f"/kantor/laporan/{report.tracking_id}/")
    close = open_action(page, "Tutup laporan")
    close.get_by_label("Alasan penutupan").fill("Pelapor mengonfirmasi lewat telepon.")
    close.get_by_role("button", name="Tutup").click()
    page.get_by_text("Laporan ditutup.").wait_for()
    assert Report.objects.get(pk=report.pk).status == Status.CLOSED
    assert_accessible(page)


def test_a_report_not_for_this_unit_goes_back_and_is_transferred_to_another_government(world, context_for, live_server):
    report = services.report_submit(reporter=world.citizen, title="Jalan rusak di Martapura", body="Dekat pasar.",
                                    addressed_agency=world.pemkot, category=world.category, is_anonymous=True)
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)
    page = desk(context_for, live_server, world.unit_admin)
    page.goto(f"/kantor/laporan/{report.tracking_id}/")
    assert page.get_by_text("Pelapor anonim", exact=True).is_visible()
    noa = open_action(page, "Bukan wewenang")
    noa.get_by_label("Mengapa bukan wewenang instansi Anda?").fill("Lokasi di Kabupaten Banjar.")
    noa.get_by_role("button", name="Kembalikan ke admin").click()
    page.get_by_text("bukan wewenang").first.wait_for()

    page = desk(context_for, live_server, world.national_admin)
    page.goto(f"/kantor/laporan/{report.tracking_id}/")
    transfer = open_action(page, "Limpahkan ke instansi lain")
    transfer.get_by_label("Limpahkan ke instansi").select_option(label="\u2003Dinas PUPR Banjar")
    transfer.get_by_label("Alasan pelimpahan").fill("Wilayah Kabupaten Banjar.")
    transfer.get_by_role("button", name="Limpahkan").click()
    page.get_by_text(f"Laporan #{report.tracking_id} dilimpahkan ke Dinas PUPR Banjar").wait_for()
    assert_accessible(page)
    report.refresh_from_db()
    assert (report.status, report.assigned_agency) == (Status.DISPATCHED, world.pupr_banjar)


def test_the_admin_ticks_spam_in_the_inbox_and_archives_it_with_one_reason(world, context_for, live_server):
    spam = [services.report_submit(reporter=world.citizen, title=f"Promo pulsa murah {i}", body="Hubungi kami.",
                                   addressed_agency=world.pemkot) for i in range(2)]
    keep = services.report_submit(reporter=world.citizen, title="Jalan rusak", body="Depan pasar.",
                                  addressed_agency=world.pemkot)
    page = desk(context_for, live_server, world.agency_admin)
    page.goto("/kantor/")
    for report in spam:
        page.get_by_label(f"Pilih laporan #{report.tracking_id}").check()
    page.get_by_label("Alasan pengarsipan").select_option("spam")
    assert_accessible(page)
    page.get_by_role("button", name="Arsipkan yang dipilih").click()
    page.get_by_text(f"#{spam[1].tracking_id} diarsipkan.").wait_for()
    assert [Report.objects.get(pk=r.pk).status for r in spam] == [Status.ARCHIVED, Status.ARCHIVED]
    assert Report.objects.get(pk=keep.pk).status == Status.SUBMITTED
