"""Who receives the early warnings is set in the back office (/kantor/silapat/penerima/) by
the people who set the thresholds: the Kesbangpol head or admin and the national admin add
the regional leadership by username or e-mail and remove them; each change is in the audit
log; a person added receives the next warning and reads the early-warning page, a person
removed neither. Operators, the leadership and other offices' staff cannot change it."""
import pytest

from lapor.audit.models import AuditEntry
from lapor.harmony import recipients
from lapor.harmony.enums import HarmonyRoleKind
from lapor.harmony.models import HarmonyRole
from lapor.notifications.models import Channel, Notification, Reason
from lapor.reports.errors import ActionForbidden
from tests.factories import UserFactory

HIGH = 3
LIST = "/kantor/silapat/penerima/"
WARNINGS = "/kantor/silapat/peringatan/"


def alerts_in_app(user):
    return Notification.objects.filter(recipient=user, channel=Channel.IN_APP, reason=Reason.HARMONY_ALERT)


@pytest.fixture
def mayor(db):
    return UserFactory(username="walikota.banjarbaru", full_name="Wali Kota Banjarbaru",
                       email="walikota@banjarbarukota.go.id")


def test_the_head_adds_the_mayor_by_e_mail_and_the_mayor_receives_the_next_warning(
        harmony, incident, mayor, as_user, django_capture_on_commit_callbacks):
    head = as_user(harmony.head)
    assert as_user(mayor).get(WARNINGS).status_code == 403  # not yet a recipient

    response = head.post(LIST, {"account": "WaliKota@BanjarbaruKota.go.id", "role": "leadership"})

    assert response.status_code == 302 and response["Location"] == f"{LIST}?kantor={harmony.office.pk}"
    added = HarmonyRole.objects.get(user=mayor)
    assert (added.office, added.role, added.added_by) == (harmony.office, "leadership", harmony.head)
    assert added.added_at is not None
    entry = AuditEntry.objects.get(object_type="harmony.harmonyrole")
    assert (entry.action, entry.actor, entry.agency_name) == ("role_granted", harmony.head, "Kesbangpol Kota Banjarbaru")
    assert "walikota.banjarbaru" in entry.object_label and "Wali Kota" not in entry.object_label
    page = head.get(LIST).content.decode()
    assert "Wali Kota Banjarbaru" in page and "Pimpinan daerah" in page and harmony.head.display_name in page
    assert "walikota@banjarbarukota.go.id" not in page  # the list names people, it does not show addresses
    assert as_user(mayor).get(WARNINGS).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            incident(level=HIGH)

    [alert] = alerts_in_app(mayor)
    assert alert.subject == "Peringatan dini SILAPAT: Landasan Ulin"


def test_a_removed_recipient_no_longer_receives_warnings_nor_reads_the_page(
        harmony, incident, as_user, django_capture_on_commit_callbacks):
    leadership_row = HarmonyRole.objects.get(user=harmony.leadership)
    assert as_user(harmony.leadership).get(WARNINGS).status_code == 200

    response = as_user(harmony.head).post(f"{LIST}{leadership_row.pk}/hapus/", {"kantor": harmony.office.pk})

    assert response.status_code == 302
    assert not HarmonyRole.objects.filter(user=harmony.leadership).exists()
    entry = AuditEntry.objects.get(object_type="harmony.harmonyrole")
    assert (entry.action, entry.actor) == ("role_revoked", harmony.head)
    assert entry.changes["role"] == ["leadership", None] and "sekda.banjarbaru" in entry.object_label
    assert as_user(harmony.leadership).get(WARNINGS).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            incident(level=HIGH)
    assert not alerts_in_app(harmony.leadership).exists()
    assert alerts_in_app(harmony.head).count() == 1


@pytest.mark.parametrize("data, field, message", [
    ({"account": "tidak.ada@example.id", "role": "leadership"}, "account", "Tidak ada akun “tidak.ada@example.id”"),
    ({"account": "", "role": "leadership"}, "account", "Isi nama pengguna atau e-mail"),
    ({"account": "sekda.banjarbaru", "role": "leadership"}, "account",
     "Sekretaris Daerah sudah menerima peringatan dini sebagai Pimpinan daerah."),
    ({"account": "walikota.banjarbaru", "role": "raja"}, "role", "Pilih perannya"),
])
def test_a_bad_entry_is_refused_with_a_message_and_what_was_typed_is_kept(harmony, mayor, as_user, data, field,
                                                                          message):
    before = HarmonyRole.objects.count()

    response = as_user(harmony.head).post(LIST, data)

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    page = response.content.decode()
    assert "Penerima belum ditambahkan" in page
    if data["account"]:
        assert f'value="{data["account"]}"' in page
    assert HarmonyRole.objects.count() == before


def test_an_inactive_account_cannot_be_added(harmony, mayor, as_user):
    mayor.is_active = False
    mayor.save()

    response = as_user(harmony.head).post(LIST, {"account": "walikota.banjarbaru", "role": "leadership"})

    assert response.status_code == 400
    assert response.context["form"].errors["account"] == ["Akun ini tidak aktif."]
    assert not HarmonyRole.objects.filter(user=mayor).exists()


def test_the_messages_are_in_english_for_an_english_speaking_head(harmony, as_user):
    response = as_user(harmony.head).post(LIST, {"account": "nobody", "role": "leadership"},
                                          HTTP_ACCEPT_LANGUAGE="en")

    assert response.context["form"].errors["account"] == [
        "There is no account “nobody”. Check the spelling, or ask for an account to be made for that person first."]
    assert "The recipient was not added" in response.content.decode()


def test_operators_leadership_and_other_staff_cannot_change_the_recipients(harmony, mayor, as_user):
    world = harmony.world
    row = HarmonyRole.objects.get(user=harmony.leadership)
    for person in (harmony.operator, harmony.leadership, harmony.other_office_operator, world.agency_admin,
                   world.officer, world.citizen):
        client = as_user(person)
        assert client.get(LIST).status_code == 403, person
        assert client.post(LIST, {"account": "walikota.banjarbaru", "role": "head"}).status_code == 403, person
        assert client.post(f"{LIST}{row.pk}/hapus/").status_code == 403, person
    assert as_user(None).get(LIST).status_code == 302
    assert not HarmonyRole.objects.filter(user=mayor).exists() and HarmonyRole.objects.filter(pk=row.pk).exists()
    assert LIST not in as_user(harmony.operator).get("/kantor/silapat/").content.decode()
    assert LIST in as_user(harmony.head).get("/kantor/silapat/").content.decode()


def test_the_service_refuses_them_too(harmony, mayor):
    with pytest.raises(ActionForbidden):
        recipients.recipient_add(office=harmony.office, by=harmony.operator, user=mayor, role=HarmonyRoleKind.HEAD)
    with pytest.raises(ActionForbidden):
        recipients.recipient_remove(recipient=HarmonyRole.objects.get(user=harmony.head), by=harmony.leadership)
    assert HarmonyRole.objects.count() == 2


def test_the_head_of_another_office_finds_no_recipient_of_this_one(harmony, as_user):
    banjar_head = harmony.other_office_operator
    HarmonyRole.objects.create(user=banjar_head, office=harmony.other_office, role=HarmonyRoleKind.HEAD)
    row = HarmonyRole.objects.get(user=harmony.leadership)
    client = as_user(banjar_head)

    page = client.get(LIST).content.decode()
    assert "Sekretaris Daerah" not in page
    assert client.post(f"{LIST}{row.pk}/hapus/").status_code == 404
    assert client.post(f"{LIST}{row.pk}/hapus/", {"kantor": harmony.office.pk}).status_code == 404
    assert HarmonyRole.objects.filter(pk=row.pk).exists()


def test_the_national_admin_sets_the_recipients_of_any_office(harmony, mayor, as_user):
    admin = as_user(harmony.world.national_admin)

    response = admin.post(LIST, {"kantor": harmony.other_office.pk, "account": "walikota.banjarbaru",
                                 "role": "head"})

    assert response.status_code == 302
    assert HarmonyRole.objects.get(user=mayor).office == harmony.other_office
    assert "Wali Kota Banjarbaru" in admin.get(f"{LIST}?kantor={harmony.other_office.pk}").content.decode()


def test_a_recipient_without_a_staff_role_still_needs_a_second_factor_for_the_back_office(harmony, mayor, client):
    from tests.office.staff import give_totp, mark_second_factor_passed, sign_in

    recipients.recipient_add(office=harmony.office, by=harmony.head, user=mayor, role=HarmonyRoleKind.LEADERSHIP)
    sign_in(client, mayor, second_factor=False)  # a password only

    response = client.get(WARNINGS)
    assert response.status_code == 302 and response["Location"].startswith("/akun/2fa/totp/activate/")

    give_totp(mayor)
    assert client.get(WARNINGS)["Location"].startswith("/akun/2fa/reauthenticate/")
    mark_second_factor_passed(client, mayor)
    assert client.get(WARNINGS).status_code == 200
    # A citizen account with no such role is not asked for one on its own pages.
    sign_in(client, harmony.world.citizen, second_factor=False)
    assert client.get("/laporan-saya/").status_code == 200
