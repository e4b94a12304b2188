"""The privacy notice (UU 27/2022; docs/portal.md *Privacy notice*): a page that says what
the system does with personal data, reached from every page, from sign-up next to its
button, and from the report form where the reporter chooses who may know them."""
import re

from .test_social_signup import google, sign_in_with_google  # noqa: F401  (fixture)


def test_the_notice_says_who_sees_what_how_long_and_whom_to_ask(client, db, settings):
    settings.DEFAULT_FROM_EMAIL = "Lapor Banjarbaru <ppid@banjarbarukota.go.id>"
    settings.LAPOR_PRIVACY_CONTACT = settings.DEFAULT_FROM_EMAIL  # the default follows it
    settings.LAPOR_SIGNIN_RECORD_DAYS = 45

    response = client.get("/privasi/")

    assert response.status_code == 200
    page = response.content.decode()
    assert '<a href="mailto:ppid@banjarbarukota.go.id">ppid@banjarbarukota.go.id</a>' in page
    for fact in ("NIK", "Pemegang Identitas", "Peraturan Presiden Nomor 76 Tahun 2013", "Nomor 25 Tahun 2009",
                 "dihapus sebelum disimpan", "Catatan masuk: 45 hari", "tanpa batas waktu", 'href="/profil/"'):
        assert fact in page, fact


def test_the_operator_names_their_own_privacy_contact(client, db, settings):
    settings.LAPOR_PRIVACY_CONTACT = "privasi@kalselprov.go.id"
    assert "mailto:privasi@kalselprov.go.id" in client.get("/privasi/").content.decode()


def test_every_page_links_the_notice_in_its_footer(client, db):
    footer = client.get("/").content.decode().split('<footer class="site">')[1]
    assert 'href="/privasi/"' in footer


def test_sign_up_links_the_notice_next_to_its_button(client, db):
    page = client.get("/akun/signup/").content.decode()
    form = page[page.index('<form method="post" action="/akun/signup/"'):]
    assert re.search(r'href="/privasi/">Kebijakan privasi</a>.*?</p>\s*<button type="submit">', form, re.S)


def test_sign_up_with_google_links_the_notice_next_to_its_button(client, kalsel, google):  # noqa: F811
    page = client.get(sign_in_with_google(client)["Location"]).content.decode()
    assert re.search(r'href="/privasi/">Kebijakan privasi</a>.*?</p>\s*<button type="submit">', page, re.S)


def test_the_report_form_says_who_learns_the_reporters_identity(citizen_client, world):
    page = citizen_client.get("/lapor/").content.decode()
    privacy = page[page.index("<legend>Privasi</legend>"):]
    notice = privacy[:privacy.index('name="is_anonymous"')]
    assert "diteruskan kepada instansi yang menangani laporan, kecuali pelapor memilih Anonim" in notice
    assert "hanya dapat dibuka oleh Pemegang Identitas, dengan alasan yang dicatat" in notice
    assert 'href="/privasi/"' in notice
