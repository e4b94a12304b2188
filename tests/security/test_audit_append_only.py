"""Nobody edits the audit log: not a staff member, not a superuser in the Django admin, not
code going around the model, not SQL typed into the database (issue #10)."""
import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client

from lapor.audit.models import AuditAction, AuditEntry
from lapor.audit.services import audit_record
from tests.office.staff import sign_in


@pytest.fixture
def entry(world):
    return audit_record(actor=world.agency_admin, action=AuditAction.CREATED, target=world.bina_marga,
                        changes={"name": [None, "Bidang Bina Marga"]})


def test_even_a_superuser_can_only_read_the_log_in_the_django_admin(world, entry):
    world.national_admin.is_superuser = True
    world.national_admin.save()
    client = sign_in(Client(), world.national_admin)
    assert client.get("/admin/audit/auditentry/").status_code == 200
    detail = client.get(f"/admin/audit/auditentry/{entry.pk}/change/")
    assert detail.status_code == 200 and 'name="_save"' not in detail.content.decode()
    assert client.post(f"/admin/audit/auditentry/{entry.pk}/change/", {"object_label": "dipalsukan"}).status_code == 403
    assert client.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/audit/auditentry/add/").status_code == 403
    entry.refresh_from_db()
    assert entry.object_label == "Bidang Bina Marga"


def test_staff_in_the_django_admin_cannot_be_given_a_permission_to_change_or_delete_entries(world, entry):
    from django.contrib.auth.models import Permission

    assert set(Permission.objects.filter(content_type__app_label="audit").values_list("codename", flat=True)) == {
        "view_auditentry"}


def test_the_model_refuses_to_change_or_delete_an_entry(entry):
    entry.object_label = "dipalsukan"
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()
    with pytest.raises(ValueError, match="append-only"):
        AuditEntry.objects.filter(pk=entry.pk).update(object_label="dipalsukan")
    with pytest.raises(ValueError, match="append-only"):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).object_label == "Bidang Bina Marga"


@pytest.mark.parametrize("statement", [
    "UPDATE audit_auditentry SET object_label = 'dipalsukan'",
    "DELETE FROM audit_auditentry",
])
def test_the_database_refuses_sql_that_changes_or_deletes_entries(entry, statement):
    # On PostgreSQL (CI) a trigger; on SQLite triggers too (DELETE only passes for `flush`).
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert AuditEntry.objects.get(pk=entry.pk).object_label == "Bidang Bina Marga"


@pytest.mark.django_db(transaction=True)
def test_only_flush_empties_the_log_as_test_teardown_and_restores_need(world):
    audit_record(actor=world.agency_admin, action=AuditAction.CREATED, target=world.pupr)
    with pytest.raises(DatabaseError):
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditentry")
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEntry.objects.exists()
