"""Staff route and handle reports through the API (SPEC §4, §5, §7), as they do in the back
office: a city's own system verifies, returns, disposes and transfers through the same
lifecycle services, under the same rules of who may see and do what."""
import pytest

from lapor.agencies.models import Role
from lapor.reports import services
from lapor.reports.enums import Kind, Status
from lapor.reports.models import Report

from ..factories import AgencyFactory, RegionFactory
from ..personas import staff


def submitted(world, **kwargs):
    return services.report_submit(reporter=world.citizen, title="Lampu jalan mati", body="Jl. A. Yani km 30",
                                  addressed_agency=kwargs.pop("addressed_agency", world.pemkot), **kwargs)


def dispatched(world, *, confidential=False, to=None, **kwargs):
    report = submitted(world, is_confidential=confidential, **kwargs)
    services.report_verify(report=report, by=world.agency_admin, agency=to or world.pupr)
    return Report.objects.get(pk=report.pk)


def act(client, report, action, data=None, **extra):
    return client.post(f"/api/v1/reports/{report.tracking_id}/{action}/", data or {}, format="json", **extra)


def read(client, report):
    return client.get(f"/api/v1/reports/{report.tracking_id}/")


def fresh(report):
    return Report.objects.select_related("addressed_agency", "assigned_agency").get(pk=report.pk)


def history(answer):
    return [(entry["action"], entry["text"]) for entry in answer.json()["history"]]


# --- routers: verify, return, postpone, archive, duplicate ---------------------------------


def test_a_router_verifies_a_report_and_it_becomes_public_with_the_corrections(world, api):
    RegionFactory(code="63.72", name="Kota Banjarbaru", parent=RegionFactory())
    report = submitted(world)
    answer = act(api(world.agency_admin), report, "verify", {
        "agency": "pupr", "title": "Lampu PJU mati di Jl. A. Yani", "category": "jalan-rusak", "region": "6372",
        "note": "Sudah dicek di peta."})
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["status"] == Status.DISPATCHED and body["assigned_agency"]["slug"] == "pupr"
    assert body["title"] == "Lampu PJU mati di Jl. A. Yani"
    assert body["category"]["slug"] == "jalan-rusak" and body["region"] == "63.72"
    assert ("verify", "Sudah dicek di peta.") in history(answer)
    public = read(api(), report)
    assert public.status_code == 200 and public.json()["title"] == "Lampu PJU mati di Jl. A. Yani"
    assert answer.json() == read(api(world.agency_admin), report).json()  # the report as the caller sees it


def test_verifying_without_an_agency_dispatches_to_the_one_the_reporter_addressed(world, api):
    report = submitted(world)
    answer = act(api(world.agency_admin), report, "verify")
    assert answer.status_code == 200, answer.json()
    assert answer.json()["assigned_agency"]["slug"] == "pemkot"


def test_a_report_verified_as_confidential_is_never_public(world, api):
    report = submitted(world)
    answer = act(api(world.agency_admin), report, "verify", {"agency": "pupr", "is_confidential": True})
    assert answer.status_code == 200 and answer.json()["is_confidential"] is True
    assert read(api(), report).status_code == 404
    assert report.tracking_id not in str(api().get("/api/v1/reports/").json())
    assert read(api(world.citizen), report).json()["status"] == Status.DISPATCHED


@pytest.mark.parametrize("body_format", ["multipart", "form"])
def test_a_form_body_that_leaves_out_the_flags_leaves_them_as_they_are(world, api, body_format):
    # A form body has no "false" for a missing checkbox: left out means unchanged, as in JSON.
    confidential = submitted(world, is_confidential=True)
    anonymous = submitted(world, is_anonymous=True)
    client = api(world.agency_admin)
    for report in (confidential, anonymous):
        url = f"/api/v1/reports/{report.tracking_id}/verify/"
        if body_format == "form":
            answer = client.post(url, "note=Sudah+dicek", content_type="application/x-www-form-urlencoded")
        else:
            answer = client.post(url, {"note": "Sudah dicek"}, format="multipart")
        assert answer.status_code == 200, answer.json()
    assert read(api(), confidential).status_code == 404
    assert (fresh(confidential).is_confidential, fresh(anonymous).is_anonymous) == (True, True)
    answer = client.post(f"/api/v1/reports/{anonymous.tracking_id}/flags/",
                         "is_confidential=true&reason=Menyebut+nama+pejabat", content_type="application/x-www-form-urlencoded")
    assert answer.status_code == 200, answer.json()
    assert (fresh(anonymous).is_confidential, fresh(anonymous).is_anonymous) == (True, True)
    answer = client.post(f"/api/v1/reports/{confidential.tracking_id}/flags/",
                         {"is_anonymous": "true", "reason": "Pelapor minta namanya disembunyikan"}, format="multipart")
    assert answer.status_code == 200, answer.json()
    assert (fresh(confidential).is_confidential, fresh(confidential).is_anonymous) == (True, True)


def test_a_router_returns_a_report_and_the_reporter_reads_what_is_missing(world, api):
    report = submitted(world)
    answer = act(api(world.agency_admin), report, "return", {"missing": "Sebutkan lokasi tepat dan tanggal."})
    assert answer.status_code == 200, answer.json()
    assert answer.json()["status"] == Status.RETURNED
    mine = read(api(world.citizen), report)
    assert mine.json()["status"] == Status.RETURNED
    assert ("return", "Sebutkan lokasi tepat dan tanggal.") in history(mine)


def test_a_router_postpones_verification_and_the_clock_keeps_running(world, api):
    report = submitted(world)
    answer = act(api(world.agency_admin), report, "postpone", {"reason": "Menghubungi pelapor lewat telepon."})
    assert answer.status_code == 200, answer.json()
    assert answer.json()["status"] == Status.POSTPONED
    assert fresh(report).due_at == report.due_at


def test_a_router_archives_spam_with_a_reason(world, api):
    report = submitted(world)
    answer = act(api(world.agency_admin), report, "archive", {"reason": "spam", "note": "Promosi pinjaman."})
    assert answer.status_code == 200, answer.json()
    assert answer.json()["status"] == Status.ARCHIVED
    assert read(api(world.citizen), report).json()["status"] == Status.ARCHIVED
    assert fresh(report).archive_reason == "spam"


def test_a_router_marks_a_repeat_as_a_duplicate_of_the_original(world, api):
    original = dispatched(world)
    repeat = submitted(world)
    answer = act(api(world.agency_admin), repeat, "duplicate", {"original": f"#{original.tracking_id}"})
    assert answer.status_code == 200, answer.json()
    assert answer.json()["status"] == Status.ARCHIVED
    assert history(answer)[-1][0] == "mark_duplicate"
    assert fresh(repeat).duplicate_of == original
    # The reporter's app is told why, and where the problem is handled (a report they see).
    mine = read(api(world.citizen), repeat).json()
    assert (mine["archive_reason"], mine["duplicate_of"]) == ("duplicate", original.tracking_id)
    assert read(api(world.citizen), original).json()["archive_reason"] is None


def test_the_original_of_a_duplicate_must_be_one_the_router_may_see(world, api):
    elsewhere = submitted(world, addressed_agency=world.pemkab)  # Banjar's, not verified: not Banjarbaru's to see
    repeat = submitted(world)
    answer = act(api(world.agency_admin), repeat, "duplicate", {"original": elsewhere.tracking_id})
    assert answer.status_code == 400
    assert answer.json() == {"original": [f"Laporan #{elsewhere.tracking_id} tidak ditemukan."]}
    assert fresh(repeat).status == Status.SUBMITTED


def test_verifying_twice_is_refused_as_a_transition_the_status_does_not_allow(world, api):
    report = submitted(world)
    client = api(world.agency_admin)
    assert act(client, report, "verify", {"agency": "pupr"}).status_code == 200
    again = act(client, report, "verify", {"agency": "dinkes"})
    assert again.status_code == 400
    assert again.json()["code"] == "illegal_transition"
    assert fresh(report).assigned_agency == world.pupr


# --- handlers: dispose, bukan wewenang; routers: transfer, close ----------------------------


def test_a_unit_admin_disposes_to_a_sub_unit_whose_officer_then_finds_it(world, api):
    report = dispatched(world)
    answer = act(api(world.unit_admin), report, "dispose", {"unit": "bina-marga", "note": "Jalan kota."})
    assert answer.status_code == 200, answer.json()
    assert answer.json()["assigned_agency"]["slug"] == "bina-marga"
    inbox = api(world.sub_unit_officer).get("/api/v1/inbox/").json()
    assert [r["tracking_id"] for r in inbox["results"]] == [report.tracking_id]


def test_bukan_wewenang_hands_a_confidential_report_back_to_the_router_and_out_of_the_units_sight(world, api):
    report = dispatched(world, confidential=True)
    client = api(world.unit_admin)
    answer = act(client, report, "not-our-authority", {"reason": "Jalan provinsi, bukan jalan kota."})
    assert answer.status_code == 200, answer.json()
    assert answer.json() == {
        "tracking_id": report.tracking_id, "status": Status.SUBMITTED, "status_label": "Menunggu pelimpahan",
        "agency": {"slug": "pemkot", "name": "Pemerintah Kota Banjarbaru"},
        "detail": "Laporan dikembalikan ke admin sebagai bukan wewenang.",
    }
    assert read(client, report).status_code == 404
    waiting = api(world.agency_admin).get("/api/v1/inbox/", {"status": "submitted"}).json()["results"]
    assert [r["tracking_id"] for r in waiting] == [report.tracking_id]


def test_bukan_wewenang_on_a_public_report_answers_with_the_report_as_the_public_sees_it(world, api):
    report = dispatched(world)
    services.report_add_note(report=report, by=world.unit_admin, text="Sudah survei lokasi.")
    answer = act(api(world.unit_admin), report, "not-our-authority", {"reason": "Jalan provinsi."})
    assert answer.status_code == 200, answer.json()
    assert answer.json()["status"] == Status.SUBMITTED and answer.json()["assigned_agency"] is None
    assert "Sudah survei lokasi." not in str(answer.json())  # no longer the unit's report: no internal notes


def test_a_router_transfers_a_verified_report_to_another_government(world, api):
    report = dispatched(world, confidential=True)
    answer = act(api(world.agency_admin), report, "transfer", {"agency": "pemkab", "reason": "Jalan di Kab. Banjar."})
    assert answer.status_code == 200, answer.json()
    assert answer.json()["agency"]["slug"] == "pemkab" and answer.json()["status"] == Status.DISPATCHED
    # As the back office says it: which report, where to, and whose work list it left.
    assert answer.json()["detail"] == (f"Laporan #{report.tracking_id} dilimpahkan ke Pemerintah Kabupaten Banjar "
                                       "dan keluar dari daftar kerja Dinas PUPR Banjarbaru.")
    assert read(api(world.agency_admin), report).status_code == 404
    theirs = api(world.other_agency_admin).get("/api/v1/inbox/").json()["results"]
    assert [r["tracking_id"] for r in theirs] == [report.tracking_id]


def test_a_router_hands_an_unverified_report_to_the_government_that_verifies_it(world, api):
    report = submitted(world)
    answer = act(api(world.agency_admin), report, "transfer", {"agency": "pemkab", "reason": "Lokasinya di Banjar."})
    assert answer.status_code == 200, answer.json()
    assert answer.json()["status"] == Status.SUBMITTED
    assert answer.json()["detail"] == (f"Laporan #{report.tracking_id} diteruskan ke Pemerintah Kabupaten Banjar "
                                       "untuk diverifikasi di sana dan keluar dari antrean verifikasi Pemerintah Kota "
                                       "Banjarbaru.")
    verified = act(api(world.other_agency_admin), report, "verify", {"agency": "pupr-banjar"})
    assert verified.status_code == 200, verified.json()
    assert verified.json()["assigned_agency"]["slug"] == "pupr-banjar"


def test_the_national_admin_who_transfers_still_sees_the_whole_report(world, api):
    report = dispatched(world, confidential=True)
    answer = act(api(world.national_admin), report, "transfer", {"agency": "pemkab", "reason": "Salah alamat."})
    assert answer.status_code == 200, answer.json()
    assert answer.json()["assigned_agency"]["slug"] == "pemkab"
    assert ("transfer", "Salah alamat.") in history(answer)


def test_a_router_closes_a_report_and_the_reporter_reads_why(world, api):
    report = dispatched(world)
    answer = act(api(world.agency_admin), report, "close", {"reason": "Sudah diselesaikan lewat telepon."})
    assert answer.status_code == 200, answer.json()
    assert answer.json()["status"] == Status.CLOSED
    mine = read(api(world.citizen), report)
    assert mine.json()["status"] == Status.CLOSED
    assert ("close", "Sudah diselesaikan lewat telepon.") in history(mine)


def test_an_internal_note_is_read_by_staff_and_never_by_the_reporter_or_the_public(world, api):
    report = dispatched(world)
    answer = act(api(world.officer), report, "notes", {"text": "Survei lokasi Senin depan."})
    assert answer.status_code == 200, answer.json()
    assert ("note", "Survei lokasi Senin depan.") in history(answer)
    assert ("note", "Survei lokasi Senin depan.") in history(read(api(world.unit_admin), report))
    for reader in (api(world.citizen), api()):
        assert "Survei lokasi" not in read(reader, report).content.decode()


# --- who may act --------------------------------------------------------------------------


def test_an_officer_may_neither_close_nor_verify(world, api):
    client = api(world.officer)
    report = dispatched(world)
    closing = act(client, report, "close", {"reason": "Selesai."})
    assert closing.status_code == 403 and closing.json()["code"] == "forbidden"
    # Reports waiting for verification are the routers': not in an officer's sight at all.
    assert act(client, submitted(world, is_confidential=True), "verify").status_code == 404
    assert fresh(report).status == Status.DISPATCHED


@pytest.mark.parametrize("action,data", [
    ("verify", {}), ("postpone", {"reason": "x"}), ("return", {"missing": "x"}), ("archive", {"reason": "spam"}),
    ("close", {"reason": "x"}), ("notes", {"text": "x"}), ("transfer", {"agency": "pemkab", "reason": "x"}),
])
def test_a_citizen_is_refused_every_staff_action_even_on_their_own_report(world, api, action, data):
    report = submitted(world)
    for citizen in (world.citizen, world.other_citizen):
        answer = act(api(citizen), report, action, data)
        assert answer.status_code == 403, (citizen, answer.json())
    assert fresh(report).status == Status.SUBMITTED and report.events.count() == 1


@pytest.mark.parametrize("action,data", [
    ("verify", {}), ("return", {"missing": "x"}), ("archive", {"reason": "spam"}), ("notes", {"text": "x"}),
])
def test_another_governments_admin_does_not_find_the_report(world, api, action, data):
    report = submitted(world)
    answer = act(api(world.other_agency_admin), report, action, data)
    assert answer.status_code == 404
    assert fresh(report).status == Status.SUBMITTED and report.events.count() == 1


# Who gets what, by the policy: 200 acts, 403 sees it but may not, 404 does not see it.
VERIFY_A_SUBMITTED_REPORT = {
    "citizen": 403, "other_citizen": 403, "proxy": 403, "national_admin": 200, "agency_admin": 200,
    "other_agency_admin": 404, "unit_admin": 404, "officer": 404, "sub_unit_officer": 404,
    "other_unit_officer": 404, "other_agency_officer": 404, "inspector": 403, "other_inspector": 404,
    "ombudsman_officer": 403, "custodian": 403,
}
CLOSE_A_CONFIDENTIAL_DISPATCHED_REPORT = {
    **VERIFY_A_SUBMITTED_REPORT, "unit_admin": 403, "officer": 403,
}


@pytest.mark.parametrize("persona", sorted(VERIFY_A_SUBMITTED_REPORT))
def test_who_may_verify_a_report_waiting_for_verification(world, api, persona):
    report = submitted(world, is_confidential=True)
    answer = act(api(getattr(world, persona)), report, "verify", {"agency": "pupr"})
    assert answer.status_code == VERIFY_A_SUBMITTED_REPORT[persona], answer.json()


@pytest.mark.parametrize("persona", sorted(CLOSE_A_CONFIDENTIAL_DISPATCHED_REPORT))
def test_who_may_close_a_confidential_report_being_handled(world, api, persona):
    report = dispatched(world, confidential=True)
    answer = act(api(getattr(world, persona)), report, "close", {"reason": "Selesai lewat telepon."})
    assert answer.status_code == CLOSE_A_CONFIDENTIAL_DISPATCHED_REPORT[persona], answer.json()


@pytest.fixture
def inspectorate_admin(world):
    return staff("admin.inspektorat", world.inspektorat, Role.AGENCY_ADMIN)


def test_whistle_blowing_is_not_found_by_the_city_and_verified_by_its_inspectorate(world, api, inspectorate_admin):
    whistle = services.report_submit(
        reporter=world.citizen, kind=Kind.WHISTLEBLOWING, title="Pungutan liar di loket perizinan",
        body="Petugas loket meminta uang agar izin cepat keluar.", addressed_agency=world.pemkot)
    for action, data in (("verify", {}), ("notes", {"text": "Siapa pelapornya?"}), ("archive", {"reason": "spam"})):
        assert act(api(world.agency_admin), whistle, action, data).status_code == 404
    answer = act(api(inspectorate_admin), whistle, "verify", {"is_confidential": False})
    assert answer.status_code == 400 and "is_confidential" in answer.json()  # always confidential
    answer = act(api(inspectorate_admin), whistle, "verify")
    assert answer.status_code == 200, answer.json()
    assert answer.json()["assigned_agency"]["slug"] == "inspektorat" and answer.json()["is_confidential"] is True
    assert read(api(world.agency_admin), whistle).status_code == 404
    assert read(api(), whistle).status_code == 404


# --- bad input ----------------------------------------------------------------------------


@pytest.fixture
def inactive_agency(world):
    return AgencyFactory(name="Dinas Lama", slug="dinas-lama", parent=world.pemkot, is_active=False)


@pytest.mark.parametrize("action,data,field", [
    ("verify", {"agency": "tidak-ada"}, "agency"),
    ("verify", {"agency": "dinas-lama"}, "agency"),
    ("verify", {"agency": 42}, "agency"),
    ("verify", {"agency": ["pupr"]}, "agency"),
    ("verify", {"agency": "pu\x00pr"}, "agency"),
    ("verify", {"is_confidential": "mungkin"}, "is_confidential"),
    ("verify", {"is_anonymous": [True]}, "is_anonymous"),
    ("verify", {"region": "99.99"}, "region"),
    ("verify", {"region": "bukan kode"}, "region"),
    ("verify", {"category": "tidak-ada"}, "category"),
    ("verify", {"category": {"slug": "jalan-rusak"}}, "category"),
    ("verify", {"title": "x" * 201}, "title"),
    ("verify", {"title": "Judul\x00"}, "title"),
    ("verify", {"note": ["a"]}, "note"),
    ("postpone", {}, "reason"),
    ("postpone", {"reason": "   "}, "reason"),
    ("postpone", {"reason": None}, "reason"),
    ("return", {"missing": {"a": 1}}, "missing"),
    ("archive", {"reason": "duplicate"}, "reason"),
    ("archive", {"reason": "never_completed"}, "reason"),
    ("archive", {"reason": ["spam"]}, "reason"),
    ("duplicate", {}, "original"),
    ("duplicate", {"original": "abc"}, "original"),
    ("duplicate", {"original": "1234567"}, "original"),
    ("duplicate", {"original": "12\x0034"}, "original"),
    ("duplicate", {"original": "SELF"}, "original"),
    ("transfer", {"reason": "Salah alamat."}, "agency"),
    ("transfer", {"agency": "pupr", "reason": "Ke dinas sendiri."}, "agency"),
    ("transfer", {"agency": "pemkab"}, "reason"),
    ("notes", {"text": "Catatan\x00"}, "text"),
    ("notes", {"text": ""}, "text"),
])
def test_bad_input_to_a_report_waiting_for_verification_names_the_field_and_changes_nothing(
        world, api, inactive_agency, action, data, field):
    report = submitted(world)
    if data.get("original") == "SELF":
        data = {"original": report.tracking_id}
    answer = act(api(world.agency_admin), report, action, data)
    assert answer.status_code == 400, answer.content
    assert field in answer.json() and answer.json()[field]
    after = fresh(report)
    assert (after.status, after.updated_at, after.title, after.events.count()) == (
        Status.SUBMITTED, report.updated_at, report.title, 1)


@pytest.mark.parametrize("persona,action,data,field", [
    ("unit_admin", "dispose", {}, "unit"),
    ("unit_admin", "dispose", {"unit": "dinkes"}, "unit"),  # not under PUPR
    ("unit_admin", "dispose", {"unit": "pupr"}, "unit"),  # where it already is
    ("unit_admin", "dispose", {"unit": "bina-marga", "note": ["x"]}, "note"),
    ("unit_admin", "not-our-authority", {"reason": ""}, "reason"),
    ("agency_admin", "transfer", {"agency": "bina-marga", "reason": "Ke bawah."}, "agency"),  # that is disposition
    ("agency_admin", "close", {}, "reason"),
    ("agency_admin", "close", {"reason": False}, "reason"),
])
def test_bad_input_to_a_report_being_handled_names_the_field_and_changes_nothing(
        world, api, persona, action, data, field):
    report = dispatched(world)
    answer = act(api(getattr(world, persona)), report, action, data)
    assert answer.status_code == 400, answer.content
    assert field in answer.json()
    after = fresh(report)
    assert (after.status, after.assigned_agency, after.events.count()) == (Status.DISPATCHED, world.pupr, 2)


def test_a_body_that_is_not_an_object_is_a_400_not_a_server_error(world, api):
    report = submitted(world)
    client = api(world.agency_admin)
    assert act(client, report, "postpone", ["alasan"]).status_code == 400
    broken = client.post(f"/api/v1/reports/{report.tracking_id}/verify/", "{", content_type="application/json")
    assert broken.status_code == 400 and broken.json()["code"] == "parse_error"
    assert fresh(report).status == Status.SUBMITTED


def test_errors_are_in_english_when_the_request_asks_for_it(world, api):
    report = submitted(world)
    client = api(world.agency_admin)
    missing = act(client, report, "postpone", {}, HTTP_ACCEPT_LANGUAGE="en")
    assert missing.json() == {"reason": ["This field is required."]}
    unseen = act(client, report, "duplicate", {"original": "1234567"}, HTTP_ACCEPT_LANGUAGE="en")
    assert unseen.json() == {"original": ["Report #1234567 not found."]}
    assert act(client, report, "duplicate", {"original": "1234567"}).json() == {
        "original": ["Laporan #1234567 tidak ditemukan."]}


def test_an_agency_admin_may_not_dispatch_outside_their_own_government(world, api):
    report = submitted(world)
    answer = act(api(world.agency_admin), report, "verify", {"agency": "pupr-banjar"})
    assert answer.status_code == 403 and answer.json()["code"] == "forbidden"
    assert fresh(report).status == Status.SUBMITTED


# --- the schema ---------------------------------------------------------------------------

STAFF_ACTIONS = ["verify", "postpone", "return", "archive", "duplicate", "dispose", "not-our-authority", "transfer",
                 "close", "notes"]


def test_the_schema_documents_every_staff_action_for_agencies(client):
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    for action in STAFF_ACTIONS:
        operation = paths[f"/api/v1/reports/{{tracking_id}}/{action}/"]["post"]
        assert operation["tags"] == ["agency"], action
        assert operation["description"], action
        assert "requestBody" in operation and {"200", "400", "403", "404"} <= set(operation["responses"]), action


def test_a_handler_protects_a_report_and_only_its_router_publishes_it_again(world, api):
    report = dispatched(world)
    assert api().get(f"/api/v1/reports/{report.tracking_id}/").status_code == 200  # public
    answer = act(api(world.unit_admin), report, "flags", {"is_confidential": True,
                                                          "reason": "Menyebut nama pejabat dinas"})
    assert answer.status_code == 200, answer.json()
    assert answer.json()["is_confidential"] is True
    assert api().get(f"/api/v1/reports/{report.tracking_id}/").status_code == 404  # gone from the public
    refused = act(api(world.unit_admin), report, "flags", {"is_confidential": False, "reason": "Sudah disunting"})
    assert refused.status_code == 400 and "is_confidential" in refused.json()
    assert fresh(report).is_confidential
    assert act(api(world.agency_admin), report, "flags", {"is_confidential": False,
                                                         "reason": "Nama sudah dihapus dari judul"}).status_code == 200
    assert api().get(f"/api/v1/reports/{report.tracking_id}/").status_code == 200


@pytest.mark.parametrize("body, field", [
    ({"is_confidential": True, "reason": "pendek"}, "reason"),
    ({"is_anonymous": False, "reason": "Mencabut anonimitas pelapor"}, "is_anonymous"),
    ({"is_confidential": "barangkali", "reason": "Menyebut nama pejabat"}, "is_confidential"),
])
def test_protecting_a_report_says_what_is_wrong_and_changes_nothing(world, api, body, field):
    report = dispatched(world, is_anonymous=True)
    answer = act(api(world.agency_admin), report, "flags", body)
    assert answer.status_code == 400 and field in answer.json()
    assert (fresh(report).is_confidential, fresh(report).is_anonymous) == (False, True)
