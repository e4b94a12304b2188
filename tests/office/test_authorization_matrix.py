"""Who may see and do what in the back office (SPEC §5, §8), for every persona of
tests/personas.py and the public, on every surface /kantor/ has, for a normal, an
anonymous and a confidential report. Expectations are spelled out from the spec, and
each is asserted both ways: those listed may, everyone else may not.

Surfaces: the inbox list, its search, the report workspace, its history (internal notes),
attachment downloads, every action endpoint, the supervision page and the identity
reveal page. There is no API or export in the back office yet (issues to come); when they
exist they belong in this matrix.

The reports are verified by the Banjarbaru agency admin to Dinas PUPR: addressed to the
city government, assigned to PUPR.
"""
import pytest
from django.test import Client

from lapor.reports import attachments, services
from lapor.reports.models import Report, ReportEvent

from ..personas import PERSONAS
from .files import png_upload
from .staff import sign_in

EVERYONE = [*PERSONAS, "public"]
CITIZENS = {"citizen", "other_citizen", "proxy"}
STAFF = set(PERSONAS) - CITIZENS
# Routed to the city government, assigned to its PUPR: who has it in scope.
IN_SCOPE = {"national_admin", "agency_admin", "unit_admin", "officer", "inspector", "ombudsman_officer", "custodian"}
KINDS = {
    "normal": {},
    "anonymous": {"is_anonymous": True},
    "confidential": {"is_confidential": True},
}
# Who may take each action on a report just dispatched to PUPR (SPEC §2, §4).
MAY = {
    "catatan": {"national_admin", "agency_admin", "unit_admin", "officer"},
    # SPEC §2: the officer drafts the unit's answer, its admins answer and approve drafts.
    "tindak-lanjut": {"agency_admin", "unit_admin"},
    "draf-tindak-lanjut": {"officer"},
    "disposisi": {"agency_admin", "unit_admin"},
    "bukan-wewenang": {"agency_admin", "unit_admin"},
    "limpahkan": {"national_admin", "agency_admin"},
    "tutup": {"national_admin", "agency_admin"},
    # SPEC §8: merged into its original while not answered, by those who may close it.
    "duplikat": {"national_admin", "agency_admin"},
    # Only before verification; nobody may on a dispatched report.
    "verifikasi": set(), "tunda": set(), "kembalikan": set(), "arsipkan": set(),
}
NOTE = "Catatan internal: pelapor sudah ditelepon"
SECRET_WORD = "Karanganyar"  # in every report's title, for the search surface


def identity_strings(world):
    profile = world.citizen.profile
    local_phone = "0" + profile.phone.removeprefix("+62")
    return {"name": "Siti Rahmawati", "nik": "6372024107900001", "phone": profile.phone, "phone_local": local_phone,
            "email": profile.email, "account_email": world.citizen.email}


def client_for(person):
    client = Client()
    if person is not None:
        sign_in(client, person)
    return client


def make_report(world, kind):
    report = services.report_submit(reporter=world.citizen, title=f"Jalan rusak {SECRET_WORD} {kind}",
                                    body="Lubang besar di depan sekolah.", addressed_agency=world.pemkot,
                                    category=world.category, **KINDS[kind])
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)
    attachments.attachment_store(report=report, clean=attachments.clean_upload(png_upload()), by=world.citizen)
    services.report_add_note(report=report, by=world.officer, text=NOTE)
    report.refresh_from_db()
    return report


def expected_viewers(kind):
    """Who may open the workspace (and download its files): staff in scope, and for a
    published report every staff member; citizens never through the back office."""
    return IN_SCOPE if kind == "confidential" else STAFF


@pytest.fixture(params=list(KINDS))
def case(request, world):
    kind = request.param
    report = make_report(world, kind)
    people = {**world.personas(), "public": None}
    return kind, report, people


def refusal(person_name, response):
    """How the back office says no: sign in (public), not for you (citizens), no such
    report (staff out of scope)."""
    if person_name == "public":
        return response.status_code == 302 and "/akun/login/" in response["Location"]
    if person_name in CITIZENS:
        return response.status_code == 403
    return response.status_code == 404


def test_the_inbox_and_its_search_list_a_report_to_exactly_the_staff_in_scope(world, case):
    kind, report, people = case
    listed, searched = set(), set()
    for name, person in people.items():
        client = client_for(person)
        inbox = client.get("/kantor/", {"tab": "semua"})
        search = client.get("/kantor/", {"tab": "semua", "q": SECRET_WORD})
        if name == "public":
            assert inbox.status_code == 302 and search.status_code == 302
            continue
        if name in CITIZENS:
            assert inbox.status_code == 403 and search.status_code == 403
            continue
        assert inbox.status_code == 200 and search.status_code == 200
        if report.tracking_id in inbox.content.decode():
            listed.add(name)
        if report.tracking_id in search.content.decode():
            searched.add(name)
    assert listed == IN_SCOPE
    assert searched == IN_SCOPE


def test_searching_a_tracking_id_opens_the_report_only_for_those_who_may_see_it(world, case):
    kind, report, people = case
    opened = set()
    for name, person in people.items():
        response = client_for(person).get("/kantor/", {"q": report.tracking_id})
        if response.status_code == 302 and response["Location"] == f"/kantor/laporan/{report.tracking_id}/":
            opened.add(name)
    assert opened == expected_viewers(kind)


def test_the_workspace_and_its_attachments_open_exactly_for_those_who_may_see_the_report(world, case):
    kind, report, people = case
    attachment = report.attachments.get()
    seen, downloaded = set(), set()
    for name, person in people.items():
        client = client_for(person)
        page = client.get(f"/kantor/laporan/{report.tracking_id}/")
        download = client.get(f"/kantor/lampiran/{attachment.pk}/")
        if page.status_code == 200:
            seen.add(name)
        else:
            assert refusal(name, page), (name, page.status_code)
        if download.status_code == 200:
            downloaded.add(name)
            assert download["Content-Type"] == "image/png"
            assert b"".join(download.streaming_content).startswith(b"\x89PNG")
        else:
            assert refusal(name, download), (name, download.status_code)
    assert seen == expected_viewers(kind)
    assert downloaded == expected_viewers(kind)


def test_internal_notes_in_the_history_are_shown_only_to_staff_in_scope(world, case):
    kind, report, people = case
    read_note = set()
    for name, person in people.items():
        page = client_for(person).get(f"/kantor/laporan/{report.tracking_id}/")
        if page.status_code == 200 and NOTE in page.content.decode():
            read_note.add(name)
    assert read_note == IN_SCOPE


def test_each_action_is_offered_and_accepted_exactly_for_those_who_may_take_it(world, case):
    kind, report, people = case
    for slug, allowed in MAY.items():
        offered, accepted = set(), set()
        for name, person in people.items():
            client = client_for(person)
            page = client.get(f"/kantor/laporan/{report.tracking_id}/")
            if page.status_code == 200 and f"/tindakan/{slug}/" in page.content.decode():
                offered.add(name)
            events_before = ReportEvent.objects.filter(report=report).count()
            # An empty form: those allowed get it back with errors (400), others are refused.
            response = client.post(f"/kantor/laporan/{report.tracking_id}/tindakan/{slug}/", {})
            if response.status_code == 400:
                accepted.add(name)
            elif name in expected_viewers(kind):
                # 403: not theirs to take; 409: not in this status (the page says which)
                assert response.status_code in (403, 409), (slug, name, response.status_code)
            else:
                assert refusal(name, response), (slug, name, response.status_code)
            assert ReportEvent.objects.filter(report=report).count() == events_before
        assert offered == allowed, slug
        assert accepted == allowed, slug
    report.refresh_from_db()
    assert report.status == "dispatched"


def test_an_officers_draft_is_read_by_staff_in_scope_and_approved_or_sent_back_only_by_its_admins(world, case):
    from lapor.reports import drafts

    kind, report, people = case
    draft = drafts.draft_answer(report=report, by=world.officer, body="Draf: tambal hari Senin.",
                                files=[attachments.clean_upload(png_upload())])
    item = draft.files.get()
    read, downloaded, may_review = set(), set(), set()
    for name, person in people.items():
        client = client_for(person)
        page = client.get(f"/kantor/laporan/{report.tracking_id}/")
        if page.status_code == 200 and "Draf: tambal hari Senin." in page.content.decode():
            read.add(name)
        if client.get(f"/kantor/lampiran-draf/{item.pk}/").status_code == 200:
            downloaded.add(name)
        # Empty forms: those allowed get them back with errors (400), others are refused.
        approve = client.post(f"/kantor/laporan/{report.tracking_id}/draf/{draft.pk}/setujui/", {})
        send_back = client.post(f"/kantor/laporan/{report.tracking_id}/draf/{draft.pk}/kembalikan/", {})
        if approve.status_code == 400 and send_back.status_code == 400:
            may_review.add(name)
        else:
            assert approve.status_code != 302 or name == "public", (name, approve.status_code)
    assert read == IN_SCOPE and downloaded == IN_SCOPE
    assert may_review == {"agency_admin", "unit_admin"}
    # Nothing of it reached the reporter or the public, and it still waits.
    draft.refresh_from_db()
    assert draft.state == "pending" and not report.followups.exists()
    for name in ("citizen", "public"):
        page = client_for(people[name]).get(f"/laporan/{report.tracking_id}/")
        assert "tambal hari Senin" not in page.content.decode()


def test_a_note_posted_by_each_persona_is_written_only_for_those_allowed(world, case):
    kind, report, people = case
    wrote = set()
    for name, person in people.items():
        text = f"catatan dari {name}"
        client_for(person).post(f"/kantor/laporan/{report.tracking_id}/tindakan/catatan/", {"note-text": text})
        if ReportEvent.objects.filter(report=report, text=text).exists():
            wrote.add(name)
    assert wrote == MAY["catatan"]


def test_only_the_custodian_may_open_the_reveal_page_and_only_for_an_anonymous_report(world, case):
    kind, report, people = case
    opened = set()
    for name, person in people.items():
        response = client_for(person).get(f"/kantor/laporan/{report.tracking_id}/identitas/")
        if response.status_code == 200:
            opened.add(name)
        elif name in expected_viewers(kind):
            assert response.status_code == 403
        else:
            assert refusal(name, response)
    assert opened == ({"custodian"} if kind == "anonymous" else set())


def test_the_supervision_page_lists_an_overdue_report_to_exactly_the_staff_in_scope(world, case):
    kind, report, people = case
    Report.objects.filter(pk=report.pk).update(due_at="2020-01-01T00:00:00Z")
    listed = set()
    for name, person in people.items():
        response = client_for(person).get("/kantor/pengawasan/")
        if response.status_code == 200 and report.tracking_id in response.content.decode():
            listed.add(name)
    assert listed == IN_SCOPE


SUPERVISORS = {"inspector", "other_inspector", "ombudsman_officer"}


def test_the_reporters_identity_appears_only_where_the_spec_allows(world, case):
    """No anonymous reporter's name, NIK, phone or e-mail in any back-office response,
    to anyone, except the custodian's reveal answer; a named reporter is shown to the
    staff in scope only."""
    kind, report, people = case
    secrets = identity_strings(world)
    attachment = report.attachments.get()
    urls = [
        ("get", "/kantor/", {"tab": "semua"}), ("get", "/kantor/", {"tab": "semua", "q": SECRET_WORD}),
        ("get", "/kantor/", {"tab": "saya"}), ("get", f"/kantor/laporan/{report.tracking_id}/", {}),
        ("get", f"/kantor/lampiran/{attachment.pk}/", {}), ("get", "/kantor/pengawasan/", {}),
        ("get", f"/kantor/laporan/{report.tracking_id}/identitas/", {}),
        *[("post", f"/kantor/laporan/{report.tracking_id}/tindakan/{slug}/", {}) for slug in MAY],
    ]
    saw_identity = set()
    for name, person in people.items():
        client = client_for(person)
        for method, url, data in urls:
            response = getattr(client, method)(url, data)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            found = {key for key, value in secrets.items() if value.encode() in body}
            if found:
                saw_identity.add(name)
                # Supervisors read the NIK masked (test_reporter_nik.py); the rest in full.
                expected = {"name", "phone"} if name in SUPERVISORS else {"name", "nik", "phone"}
                assert found >= expected and ("nik" in found) == ("nik" in expected), (name, url, found)
    if kind == "anonymous":
        assert saw_identity == set()
    else:
        assert saw_identity == IN_SCOPE


def test_the_custodians_reveal_shows_the_identity_once_and_leaves_an_event_supervisors_see(world):
    report = make_report(world, "anonymous")
    secrets = identity_strings(world)
    custodian = client_for(world.custodian)
    response = custodian.post(f"/kantor/laporan/{report.tracking_id}/identitas/",
                              {"reason": "Permintaan penyidik Polda Kalsel no. 12/2026"})
    body = response.content.decode()
    assert response.status_code == 200
    assert secrets["name"] in body and secrets["nik"] in body and secrets["phone"] in body
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    # Once: the workspace afterwards still says "Pelapor anonim", to the custodian too.
    again = custodian.get(f"/kantor/laporan/{report.tracking_id}/").content.decode()
    assert secrets["name"] not in again and "Pelapor anonim" in again
    # Supervisors in scope read the reveal and its reason in the history; others do not.
    for name, person in {**world.personas(), "public": None}.items():
        page = client_for(person).get(f"/kantor/laporan/{report.tracking_id}/")
        text = page.content.decode() if page.status_code == 200 else ""
        shown = "Permintaan penyidik Polda Kalsel" in text
        assert shown == (name in IN_SCOPE), name
        assert secrets["name"] not in text and secrets["nik"] not in text
