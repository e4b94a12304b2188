"""The public's copy of a report's page is kept in the cache (lapor/portal/report_page.py):
whoever reads it next, without signing in, sees the report as it is now."""
import re

import pytest

from django.core.cache import cache

from lapor.agencies.models import Agency
from lapor.agencies.services import unit_update
from lapor.core import kept
from lapor.reports.services import report_answer, report_set_flags, report_support, report_verify

from .conftest import published, submitted


@pytest.fixture(autouse=True)
def production_templates(settings):
    settings.DEBUG = False  # kept only off DEBUG, as in production


def page(client, report, **headers) -> str:
    response = client.get(f"/laporan/{report.tracking_id}/", **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_the_next_visitor_reads_the_kept_page_in_one_query(client, world, django_assert_num_queries):
    report = published(world)
    first = page(client, report)
    with django_assert_num_queries(1):  # the report itself, which decides whether they may see it
        second = page(client, report)
    assert without_tokens(second) == without_tokens(first)


def test_a_visitor_with_no_kept_copy_reads_no_ones_account_for_the_history(client, world):
    """The public's history names the reporter as "Pelapor" and staff by their role or
    agency, never by name: nobody's account is read (nor its fields decrypted) for it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    report = report_answer(report=published(world), by=world.unit_admin, body="Sudah ditambal.").report
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        html = page(client, report)
    history = html.split("Riwayat", 1)[1]
    assert "Pelapor" in history and world.pupr.name in history
    assert world.citizen.display_name not in html and world.unit_admin.display_name not in html
    assert not [q["sql"] for q in cold.captured_queries if "accounts_user" in q["sql"]]


def without_tokens(html: str) -> str:
    """The page without its CSRF tokens, which are masked afresh for every response."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_an_answer_shows_to_the_next_visitor_at_once(client, world):
    report = published(world)
    assert "Tim kami meninjau lokasi besok." not in page(client, report)
    report_answer(report=report, by=world.unit_admin, body="Tim kami meninjau lokasi besok.")
    assert "Tim kami meninjau lokasi besok." in page(client, report)


def test_a_report_made_confidential_is_gone_for_the_public_at_once(client, world):
    report = published(world)
    page(client, report)
    report_set_flags(report=report, by=world.national_admin, reason="Menyangkut keselamatan pelapor.",
                     is_confidential=True)
    response = client.get(f"/laporan/{report.tracking_id}/")
    assert response.status_code == 404 and report.title not in response.content.decode()


def test_a_new_supporter_is_counted_on_the_next_visitors_page(client, world):
    report = published(world)
    assert "<dt>Dukungan</dt><dd>0</dd>" in page(client, report)
    report_support(report=report, by=world.other_citizen)
    assert "<dt>Dukungan</dt><dd>1</dd>" in page(client, report)


def test_the_reporters_name_shown_to_the_public_follows_their_profile(client, world):
    report = published(world, show_reporter_name=True)
    assert world.citizen.display_name in page(client, report)
    world.citizen.full_name = "Budi Santoso Wijaya"
    world.citizen.save(update_fields=["full_name"])
    assert "Budi Santoso Wijaya" in page(client, report)


def test_an_agency_renamed_shows_under_its_new_name(client, world, django_capture_on_commit_callbacks):
    report = published(world)
    assert "Dinas PUPR Banjarbaru" in page(client, report)
    with django_capture_on_commit_callbacks(execute=True):  # told once the rename commits
        unit_update(by=world.national_admin, unit=world.pupr, name="Dinas PUPR dan Perumahan Kota Banjarbaru")
    assert "Dinas PUPR dan Perumahan Kota Banjarbaru" in page(client, report)


def test_an_agency_renamed_by_another_process_shows_once_this_one_reads_the_new_generation(client, world):
    """This process kept the agency's row a moment before another process renamed it;
    when it next reads the generation, it must not render the old row under the new one."""
    report = published(world)
    assert "Dinas PUPR Banjarbaru" in page(client, report)
    Agency.objects.filter(pk=world.pupr.pk).update(name="Dinas PUPR dan Perumahan Kota Banjarbaru")
    cache.set(kept.GENERATION, "set-by-another-process", None)  # its kept.changed()
    kept.forget(kept.GENERATION)  # this process's minute for the token is over, not yet the row's
    shown = page(client, report)
    assert "Dinas PUPR dan Perumahan Kota Banjarbaru" in shown and "Dinas PUPR Banjarbaru<" not in shown


def test_an_entry_the_sweep_writes_shows_to_the_next_visitor(client, world):
    """The 60-day limit's warning is a public history entry written by the sweep, not by a
    service: the kept copy must not hide it."""
    import datetime

    from lapor.reports.sweep import sweep

    report = published(world)
    assert "Peringatan batas 60 hari" not in page(client, report)
    sweep(now=report.outer_due_at - datetime.timedelta(days=1))
    assert "Peringatan batas 60 hari" in page(client, report)


def test_each_language_has_its_own_copy(client, world):
    report = published(world, show_reporter_name=True)  # a name that reads the same in both
    assert "Riwayat" in page(client, report)
    english = page(client, report, HTTP_ACCEPT_LANGUAGE="en")
    assert "History" in english and "Riwayat" not in english


def test_what_the_reporter_sees_never_reaches_the_public_nor_the_other_way(client, world):
    """The reporter reads their own page (their original title, "Anda", their forms),
    then the public reads it, then the reporter again."""
    report = report_verify(report=submitted(world), by=world.national_admin, title="Ringkasan: jalan berlubang")
    report = report_answer(report=report, by=world.unit_admin, body="Sudah ditambal.").report
    client.force_login(world.citizen)
    own = page(client, report)
    assert "Judul asli Anda" in own and "<dd>Anda</dd>" in own and "Kirim tanggapan" in own
    client.logout()
    public = page(client, report)
    assert "Judul asli Anda" not in public and "<dd>Anda</dd>" not in public and "Kirim tanggapan" not in public
    assert world.citizen.display_name not in public
    client.force_login(world.citizen)
    again = page(client, report)
    assert "Judul asli Anda" in again and "Kirim tanggapan" in again


def test_each_visitor_gets_their_own_csrf_token_in_a_kept_page_and_it_works(world):
    """The whole page is kept with a mark where the token goes: switching the language
    from a kept page works for the visitor who got it."""
    from django.test import Client

    report = published(world)
    tokens = []
    for _ in range(2):
        visitor = Client(enforce_csrf_checks=True)
        html = page(visitor, report)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        tokens.append(token)
        response = visitor.post("/i18n/setlang/", {"csrfmiddlewaretoken": token, "language": "en",
                                                    "next": f"/laporan/{report.tracking_id}/"})
        assert response.status_code == 302
        assert "History" in page(visitor, report)
    assert tokens[0] != tokens[1]


def test_the_working_days_left_count_down_on_a_kept_page(client, world, monkeypatch):
    import datetime

    from django.utils import timezone

    from lapor.portal.deadlines import current_deadline

    report = published(world)
    today = current_deadline(report).working_days_left
    assert f"{today} hari kerja lagi" in page(client, report)
    real_now = timezone.now
    # The first day a working day has passed (two weeks cover the longest collective leave).
    later = next(real_now() + datetime.timedelta(days=d) for d in range(1, 15)
                 if current_deadline(report, now=real_now() + datetime.timedelta(days=d)).working_days_left != today)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert f"{current_deadline(report).working_days_left} hari kerja lagi" in page(client, report)


def test_the_language_form_sends_each_visitor_back_to_the_address_they_asked_for(client, world):
    report = published(world)
    url = f"/laporan/{report.tracking_id}/"
    assert f'name="next" value="{url}?dari=peta"' in client.get(url + "?dari=peta").content.decode()
    assert f'name="next" value="{url}"' in page(client, report)


def test_a_message_waiting_for_a_visitor_is_shown_to_them_and_kept_for_nobody(client, world):
    report = published(world)
    client.force_login(world.citizen)
    client.post("/akun/logout/")  # "Anda telah keluar" waits for the next page, in a cookie
    del client.cookies["sessionid"]  # expired by the logout: a browser sends it no more
    assert 'class="messages"' in page(client, report)
    assert 'class="messages"' not in page(client, report)  # shown once
    from django.test import Client

    assert 'class="messages"' not in page(Client(), report)


def test_made_up_query_strings_do_not_fill_the_cache_with_pages(client, world, monkeypatch):
    report = published(world)
    stored = []
    set_many = cache.set_many

    def spy(data, *args, **kwargs):
        stored.extend(data)
        return set_many(data, *args, **kwargs)

    monkeypatch.setattr(cache, "set_many", spy)
    url = f"/laporan/{report.tracking_id}/"
    for query in ("", "?a=1", "?a=2", "?utm_source=wa"):
        assert client.get(url + query).status_code == 200
    assert len([key for key in stored if key.startswith("report-public-page:")]) == 1  # the page's own address
