"""Early-warning thresholds in the back office: the Kesbangpol head (or admin) and the
national admin list, add, change and switch them off for their office's area; every change
is recorded who and when; operators, the leadership and other agencies' staff cannot."""
import pytest
from django.utils import timezone

from lapor.audit.models import AuditEntry
from lapor.harmony import thresholds
from lapor.harmony.enums import HarmonyRoleKind
from lapor.harmony.models import HarmonyAlert, HarmonyRole, HarmonyThreshold, HarmonyThresholdChange
from lapor.notifications.models import Channel, Notification, Reason
from lapor.reports.errors import ActionForbidden

from .conftest import NOW

HIGH = 3
LIST = "/kantor/silapat/ambang/"
NEW = "/kantor/silapat/ambang/baru/"


def form(**changes):
    data = {"name": "Dua kejadian sedang dalam 14 hari", "min_level": "2", "count": "2", "days": "14",
            "scope": "3", "region": "", "is_active": "on"}
    data.update(changes)
    return data


def test_the_kesbangpol_head_adds_a_threshold_and_the_change_is_recorded_who_and_when(harmony, as_user):
    head = as_user(harmony.head)

    response = head.post(NEW, form(region="63.72.04"))

    assert response.status_code == 302 and response["Location"] == f"{LIST}?kantor={harmony.office.pk}"
    added = HarmonyThreshold.objects.get(name="Dua kejadian sedang dalam 14 hari")
    assert (added.office, added.count, added.days, added.min_level, added.region_id) == (
        harmony.office, 2, 14, 2, "63.72.04")
    assert added.updated_by == harmony.head and added.updated_at is not None
    change = HarmonyThresholdChange.objects.get(threshold=added)
    assert (change.kind, change.by, change.values["count"]) == ("created", harmony.head, [None, 2])
    entry = AuditEntry.objects.get(object_type="harmony.harmonythreshold")  # the office's audit log too
    assert (entry.action, entry.actor, entry.agency_name) == ("created", harmony.head, "Kesbangpol Kota Banjarbaru")
    page = head.get(LIST).content.decode()
    assert "Dua kejadian sedang dalam 14 hari" in page and "Banjarbaru Utara" in page
    assert "Siti" not in page and harmony.head.display_name in page


@pytest.mark.parametrize("changes, field, message", [
    ({"count": "0"}, "count", "Jumlah kejadian paling sedikit 1."),
    ({"count": "dua"}, "count", "Isi dengan bilangan bulat."),
    ({"days": "0"}, "days", "Jangka waktu paling sedikit 1 hari."),
    ({"days": "-3"}, "days", "Jangka waktu paling sedikit 1 hari."),
    ({"min_level": ""}, "min_level", "Pilih tingkat kerawanan."),
    ({"min_level": "9"}, "min_level", "Pilih tingkat kerawanan: rendah, sedang, tinggi atau kritis."),
    ({"region": "63.03.01"}, "region", "Wilayah ini di luar wilayah kerja kantor Anda."),
    ({"region": "99.99"}, "region", "Kode wilayah tidak dikenal."),
    ({"region": "63.72.02.1005"}, "region", "tidak dapat dibatasi pada satu kelurahan/desa"),
])
def test_a_bad_value_is_refused_with_a_message_and_nothing_is_saved(harmony, as_user, changes, field, message):
    response = as_user(harmony.head).post(NEW, form(**changes))

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "Ambang belum disimpan" in response.content.decode()
    assert not HarmonyThreshold.objects.filter(name="Dua kejadian sedang dalam 14 hari").exists()


def test_the_messages_are_in_english_for_an_english_speaking_head(harmony, as_user):
    response = as_user(harmony.head).post(NEW, form(count="0", days="0", region="63.03.01"),
                                          HTTP_ACCEPT_LANGUAGE="en")

    errors = response.context["form"].errors
    assert errors["count"] == ["At least 1 incident."]
    assert errors["days"] == ["At least 1 day."]
    assert errors["region"] == ["This region is outside the area covered by your office."]
    assert "The threshold was not saved" in response.content.decode()


def test_a_village_threshold_may_be_limited_to_one_village(harmony, as_user):
    response = as_user(harmony.head).post(NEW, form(scope="4", region="63.72.02.1005"))

    assert response.status_code == 302
    assert HarmonyThreshold.objects.get(name="Dua kejadian sedang dalam 14 hari").region_id == "63.72.02.1005"


def test_changing_a_threshold_records_each_value_before_and_after(harmony, as_user):
    head = as_user(harmony.head)
    url = f"/kantor/silapat/ambang/{harmony.threshold.pk}/"
    assert 'value="Tiga kejadian tinggi dalam 30 hari"' in head.get(url).content.decode()

    head.post(url, form(name=harmony.threshold.name, min_level="3", count="4", days="30"))

    harmony.threshold.refresh_from_db()
    assert harmony.threshold.count == 4 and harmony.threshold.updated_by == harmony.head
    change = harmony.threshold.changes.get()
    assert (change.kind, change.values) == ("changed", {"count": [3, 4]})
    entry = AuditEntry.objects.get(object_type="harmony.harmonythreshold", object_id=str(harmony.threshold.pk))
    assert entry.action == "changed" and entry.changes["count"] == [3, 4]
    assert "Diubah oleh" in head.get(url).content.decode().replace("Diubah\noleh", "Diubah oleh")


def test_lowering_a_threshold_warns_at_once(harmony, incident, as_user, django_capture_on_commit_callbacks):
    today = timezone.now()  # the page saves at the real time, and checks the window up to today
    incident(level=HIGH, now=today)
    incident(level=HIGH, now=today)
    assert not HarmonyAlert.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        as_user(harmony.head).post(f"/kantor/silapat/ambang/{harmony.threshold.pk}/",
                                   form(name=harmony.threshold.name, min_level="3", count="2", days="30"))

    assert HarmonyAlert.objects.get().incident_count == 2
    assert Notification.objects.filter(recipient=harmony.leadership, channel=Channel.IN_APP,
                                       reason=Reason.HARMONY_ALERT).count() == 1


def test_a_threshold_limited_to_a_district_ignores_the_others(harmony, incident):
    thresholds.threshold_save(office=harmony.office, by=harmony.head, threshold=harmony.threshold,
                              name="Banjarbaru Utara", scope=3, min_level=3, count=3, days=30,
                              region=harmony.region("63.72.04"))
    for _ in range(3):
        incident(level=HIGH)  # in Landasan Ulin

    assert not HarmonyAlert.objects.exists()
    for _ in range(3):
        incident(level=HIGH, village="63.72.04.1001")
    assert HarmonyAlert.objects.get().region_id == "63.72.04"


def test_switching_a_threshold_off_clears_its_alert_and_stops_its_warnings(harmony, incident, as_user):
    for _ in range(3):
        incident(level=HIGH)
    head = as_user(harmony.head)

    response = head.post(f"/kantor/silapat/ambang/{harmony.threshold.pk}/aktif/", {"aktif": "0"})

    assert response.status_code == 302
    harmony.threshold.refresh_from_db()
    assert harmony.threshold.is_active is False
    assert HarmonyAlert.objects.get().cleared_on is not None
    assert harmony.threshold.changes.get().kind == "off"
    incident(level=HIGH)
    assert HarmonyAlert.objects.count() == 1
    assert "Nonaktif" in head.get(LIST).content.decode()
    warning = head.get("/kantor/silapat/peringatan/").content.decode()
    assert "(nonaktif)" in warning and "Berlangsung" not in warning


def test_unticking_active_in_the_form_also_clears_its_alert(harmony, incident, as_user):
    for _ in range(3):
        incident(level=HIGH)
    form_data = form(name=harmony.threshold.name, min_level="3", count="3", days="30")
    del form_data["is_active"]

    as_user(harmony.head).post(f"/kantor/silapat/ambang/{harmony.threshold.pk}/", form_data)

    assert HarmonyThreshold.objects.get(pk=harmony.threshold.pk).is_active is False
    assert HarmonyAlert.objects.get().cleared_on is not None


def test_operators_leadership_and_other_staff_cannot_set_thresholds(harmony, as_user):
    world = harmony.world
    edit = f"/kantor/silapat/ambang/{harmony.threshold.pk}/"
    for person in (harmony.operator, harmony.leadership, harmony.other_office_operator, world.agency_admin,
                   world.other_agency_admin, world.officer, world.citizen):
        client = as_user(person)
        for url in (LIST, NEW, edit):
            assert client.get(url).status_code == 403, (person, url)
        assert client.post(NEW, form()).status_code == 403, person
        assert client.post(f"{edit}aktif/", {"aktif": "0"}).status_code == 403, person
    assert as_user(None).get(LIST).status_code == 302
    harmony.threshold.refresh_from_db()
    assert harmony.threshold.is_active and not HarmonyThreshold.objects.filter(name=form()["name"]).exists()
    assert "/kantor/silapat/ambang/" not in as_user(harmony.operator).get("/kantor/silapat/").content.decode()


def test_the_service_refuses_an_operator_too(harmony):
    with pytest.raises(ActionForbidden):
        thresholds.threshold_save(office=harmony.office, by=harmony.operator, name="x", scope=3, min_level=3,
                                  count=1, days=1)
    with pytest.raises(ActionForbidden):
        thresholds.threshold_set_active(threshold=harmony.threshold, by=harmony.leadership, is_active=False)


def test_the_head_of_another_office_finds_no_threshold_of_this_one(harmony, as_user):
    banjar_head = harmony.other_office_operator
    HarmonyRole.objects.create(user=banjar_head, office=harmony.other_office, role=HarmonyRoleKind.HEAD)
    client = as_user(banjar_head)

    assert client.get(LIST).status_code == 200
    assert client.get(f"/kantor/silapat/ambang/{harmony.threshold.pk}/").status_code == 404
    assert client.get(f"/kantor/silapat/ambang/{harmony.threshold.pk}/?kantor={harmony.office.pk}").status_code == 404
    assert client.post(f"/kantor/silapat/ambang/{harmony.threshold.pk}/aktif/", {"aktif": "0"}).status_code == 404
    assert client.post(NEW, form(region="63.72.04")).context["form"].errors["region"] == [
        "Wilayah ini di luar wilayah kerja kantor Anda."]


def test_the_national_admin_sets_thresholds_for_any_office(harmony, as_user):
    admin = as_user(harmony.world.national_admin)

    response = admin.post(NEW, form(kantor=harmony.other_office.pk, region="63.03.01"))

    assert response.status_code == 302
    added = HarmonyThreshold.objects.get(name=form()["name"])
    assert added.office == harmony.other_office and added.updated_by == harmony.world.national_admin
    assert "Dua kejadian sedang" in admin.get(f"{LIST}?kantor={harmony.other_office.pk}").content.decode()


def test_an_admin_of_the_kesbangpol_unit_without_a_head_role_may_set_them(harmony, as_user):
    HarmonyRole.objects.filter(user=harmony.head).delete()  # still Admin Instansi at Kesbangpol

    assert as_user(harmony.head).post(NEW, form()).status_code == 302
    thresholds.threshold_set_active(threshold=harmony.threshold, by=harmony.head, is_active=False, now=NOW)
    assert not HarmonyThreshold.objects.get(pk=harmony.threshold.pk).is_active


def test_the_history_shows_each_value_before_and_after_in_the_office_time(harmony, as_user):
    head = as_user(harmony.head)
    url = f"/kantor/silapat/ambang/{harmony.threshold.pk}/"
    thresholds.threshold_save(office=harmony.office, by=harmony.head, threshold=harmony.threshold,
                              name=harmony.threshold.name, scope=3, min_level=4, count=4, days=30,
                              region=harmony.region("63.72.02"), now=NOW)

    page = " ".join(head.get(url).content.decode().split())

    assert "12 Mei 2026 11:00 WITA" in page  # 03:00 UTC; the office is in Banjarbaru
    assert "Jumlah kejadian: 3 → 4" in page
    assert "Tingkat kerawanan minimal: Tinggi → Kritis" in page
    assert "Wilayah: — → Landasan Ulin" in page
