"""The monthly report for leadership as a PDF drawn on the server (SPEC §9): the same
figures and charts as the printable page, and never a confidential report (SPEC §5)."""
import datetime
import io

import pytest
from pypdf import PdfReader

from lapor.reports import services as reports
from lapor.transparency import pdf
from tests.factories import aware

MARCH = aware(2026, 3, 2, 9, 0)
SECRET_TITLE = "Pungli di loket perizinan oleh oknum berinisial AB"


@pytest.fixture
def march(world):
    """Three published reports for the city in March 2026 (two answered within a day),
    one confidential one, and one published report in April."""
    for i in range(3):
        when = MARCH + datetime.timedelta(days=i)
        r = reports.report_submit(reporter=world.citizen, title=f"Jalan berlubang nomor {i}", body="Dalam sekali.",
                                  addressed_agency=world.pupr, category=world.category, now=when)
        reports.report_verify(report=r, by=world.national_admin, now=when + datetime.timedelta(hours=1))
        if i < 2:
            reports.report_answer(report=r, by=world.unit_admin, body="Sudah ditambal.",
                                  now=when + datetime.timedelta(days=1))
    secret = reports.report_submit(reporter=world.citizen, title=SECRET_TITLE, body="Rahasia.",
                                   addressed_agency=world.pupr, is_confidential=True, now=MARCH)
    reports.report_verify(report=secret, by=world.national_admin, now=MARCH + datetime.timedelta(hours=1))
    april = reports.report_submit(reporter=world.citizen, title="Lampu mati", body="x", addressed_agency=world.pupr,
                                  now=aware(2026, 4, 6, 9, 0))
    reports.report_verify(report=april, by=world.national_admin, now=aware(2026, 4, 6, 10, 0))


def pdf_text(body: bytes) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(body)).pages)


def test_the_monthly_pdf_holds_the_agency_and_its_figures_and_no_confidential_report(march, client):
    response = client.get("/kinerja/pemkot/bulanan/2026-03.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="laporan-bulanan-pemkot-2026-03.pdf"'
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "Pemerintah Kota Banjarbaru" in text
    assert "Maret 2026" in text
    # 3 published reports received in March (not the confidential one, not April's);
    # 2 answered the next working day, the third never: its 5 working days are long past.
    assert "3 laporan" in text
    assert "66,7% tepat waktu" in text
    assert "1 median hari kerja" in text
    assert "Dinas PUPR Banjarbaru" in text  # the per-unit compliance table
    assert "Jalan Rusak" in text  # the category table beside its chart
    assert SECRET_TITLE not in text and "Pungli" not in text


def test_the_pdf_draws_the_charts_and_uses_the_print_stylesheet(march, client, monkeypatch):
    given = {}
    real = pdf.html_to_pdf

    def spy(html):
        given["html"] = html
        return real(html)

    monkeypatch.setattr(pdf, "html_to_pdf", spy)
    assert client.get("/kinerja/pemkot/bulanan/2026-03.pdf").status_code == 200
    html = given["html"]
    assert html.count('<svg class="chart"') == 2  # status and category charts
    assert "transparency/transparency.css" in html  # holds the @media print rules
    assert "Unduh PDF" not in html  # the links around the page are not printed
    assert SECRET_TITLE not in html


def test_rendering_reads_our_static_files_from_disk_and_fetches_nothing_else():
    fetcher = pdf._fetcher_class()()
    css = fetcher.fetch(pdf.BASE_URL + "static/transparency/transparency.css")
    assert b"@media print" in css.read()
    for url in ("https://example.com/static/transparency/transparency.css", pdf.BASE_URL + "static/../settings.py",
                "file:///etc/passwd", pdf.BASE_URL + "kinerja/"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_the_printable_page_links_to_its_pdf(march, client):
    page = client.get("/kinerja/pemkot/bulanan/2026-03/").content.decode()
    assert 'href="/kinerja/pemkot/bulanan/2026-03.pdf"' in page
    assert 'data-figure="count">3<' in page
    assert SECRET_TITLE not in page
    agency = client.get("/kinerja/pemkot/").content.decode()
    assert ".pdf" in agency and "Laporan bulanan (PDF)" in agency


def test_the_pdf_is_in_english_after_the_language_switch(march, client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    text = pdf_text(client.get("/kinerja/pemkot/bulanan/2026-03.pdf").content)
    assert "Monthly complaint-handling report" in text and "March 2026" in text
    assert "66.7% on time" in text


def test_a_month_that_does_not_exist_or_has_not_begun_is_not_found(world, client):
    assert client.get("/kinerja/pemkot/bulanan/2026-13.pdf").status_code == 404
    assert client.get("/kinerja/pemkot/bulanan/2999-01.pdf").status_code == 404  # not begun yet
    assert client.get("/kinerja/tidak-ada/bulanan/2026-03.pdf").status_code == 404


def test_without_weasyprint_the_pdf_link_explains_how_to_print_instead(world, client, monkeypatch):
    def unavailable(html):
        raise pdf.PdfUnavailable("libpango-1.0-0 missing")

    monkeypatch.setattr(pdf, "html_to_pdf", unavailable)
    response = client.get("/kinerja/pemkot/bulanan/2026-03.pdf")
    assert response.status_code == 503
    assert "PDF belum tersedia" in response.content.decode()
    assert 'href="/kinerja/pemkot/bulanan/2026-03/"' in response.content.decode()
