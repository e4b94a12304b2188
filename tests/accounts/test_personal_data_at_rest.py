"""SPEC §5: NIK, phone, e-mail and birth date are encrypted at rest; lookups use a keyed hash."""
from datetime import date

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.test import override_settings

from lapor.accounts.models import ReporterProfile, User
from lapor.core.crypto import lookup_hash

NIK = "6372014105900002"
PHONE = "+6281234567890"
EMAIL = "Siti.Aminah@example.id"
BIRTH_DATE = date(1990, 5, 1)

# Every way the clear values could show up in a column.
CLEAR_FRAGMENTS = [NIK, "410590", PHONE, "81234567890", EMAIL, EMAIL.lower(), "Siti.Aminah", "1990-05-01", "1990"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def siti():
    """A citizen who registered with her NIK, phone, e-mail and birth date."""
    user = User.objects.create_user(username="siti", password="x", full_name="Siti Aminah")
    return ReporterProfile.objects.create(
        user=user, nik=NIK, phone=PHONE, email=EMAIL, birth_date=BIRTH_DATE, sex="F", occupation="Guru"
    )


def raw_row(profile):
    table = connection.ops.quote_name(ReporterProfile._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT nik, phone, email, birth_date, nik_hash, phone_hash, email_hash FROM {table} WHERE id = %s",
            [profile.pk],
        )
        columns = [column[0] for column in cursor.description]
        return dict(zip(columns, cursor.fetchone()))


def fresh(profile):
    return ReporterProfile.objects.get(pk=profile.pk)


def test_no_column_holds_the_clear_nik_phone_email_or_birth_date(siti):
    row = raw_row(siti)
    for column, value in row.items():
        assert value, column
        for fragment in CLEAR_FRAGMENTS:
            assert fragment not in str(value), (column, fragment)


def test_the_encrypted_columns_hold_fernet_tokens_that_differ_even_for_equal_values(siti):
    other = ReporterProfile.objects.create(user=User.objects.create_user(username="budi"), birth_date=BIRTH_DATE)
    assert raw_row(siti)["birth_date"] != raw_row(other)["birth_date"]
    assert Fernet(settings.FIELD_ENCRYPTION_KEYS[0].encode()).decrypt(raw_row(siti)["nik"].encode()) == NIK.encode()


def test_the_model_reads_the_values_back_in_clear(siti):
    profile = fresh(siti)
    assert (profile.nik, profile.phone, profile.email, profile.birth_date) == (NIK, PHONE, EMAIL, BIRTH_DATE)
    assert profile.sex == "F" and profile.occupation == "Guru"


def test_empty_personal_data_stays_empty():
    profile = ReporterProfile.objects.create(user=User.objects.create_user(username="sms-reporter"), phone=PHONE)
    row = raw_row(profile)
    assert row["nik"] == "" and row["email"] == "" and row["birth_date"] is None
    assert row["nik_hash"] is None and row["email_hash"] is None
    profile = fresh(profile)
    assert (profile.nik, profile.email, profile.birth_date) == ("", "", None)


def test_a_profile_is_found_by_the_keyed_hash_of_its_nik_phone_or_email(siti):
    assert ReporterProfile.objects.get(nik_hash=lookup_hash(NIK)) == siti
    assert ReporterProfile.objects.get(phone_hash=lookup_hash(PHONE)) == siti
    # E-mail addresses are hashed in lower case: case does not make another person.
    assert ReporterProfile.objects.get(email_hash=lookup_hash(EMAIL.lower())) == siti


def test_the_hash_follows_a_changed_value_even_with_update_fields(siti):
    siti.phone = "+6285712345678"
    siti.save(update_fields=["phone"])
    assert ReporterProfile.objects.get(phone_hash=lookup_hash("+6285712345678")) == siti
    assert not ReporterProfile.objects.filter(phone_hash=lookup_hash(PHONE)).exists()


def test_a_second_profile_with_the_same_nik_is_rejected_by_the_database(siti):
    budi = User.objects.create_user(username="budi")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReporterProfile.objects.create(user=budi, nik=NIK)


def test_a_second_profile_with_the_same_phone_is_rejected_by_the_database(siti):
    budi = User.objects.create_user(username="budi")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReporterProfile.objects.create(user=budi, phone=PHONE)


def test_values_written_under_the_old_key_still_read_after_a_new_key_is_put_first(siti):
    old_key, new_key = settings.FIELD_ENCRYPTION_KEYS[0], Fernet.generate_key().decode()
    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key, old_key]):
        profile = fresh(siti)
        assert (profile.nik, profile.phone, profile.email, profile.birth_date) == (NIK, PHONE, EMAIL, BIRTH_DATE)
        # Saving re-encrypts under the new key: afterwards the old key may be dropped.
        profile.save()
    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key]):
        assert fresh(siti).nik == NIK
    with override_settings(FIELD_ENCRYPTION_KEYS=[old_key]), pytest.raises(InvalidToken):
        fresh(siti)


def test_a_wrong_key_fails_loudly_instead_of_returning_blanks(siti):
    with override_settings(FIELD_ENCRYPTION_KEYS=[Fernet.generate_key().decode()]), pytest.raises(InvalidToken):
        fresh(siti)


def test_the_hashes_do_not_depend_on_the_encryption_key(siti):
    with override_settings(FIELD_ENCRYPTION_KEYS=[Fernet.generate_key().decode()]):
        assert ReporterProfile.objects.filter(nik_hash=lookup_hash(NIK)).values_list("pk", flat=True).get() == siti.pk


@pytest.mark.parametrize(
    "lookup",
    [
        {"nik": NIK},
        {"phone": PHONE},
        {"email": EMAIL},
        {"birth_date": BIRTH_DATE},
        {"nik__startswith": "6372"},
        {"phone__in": [PHONE]},
    ],
)
def test_filtering_on_an_encrypted_field_is_refused(siti, lookup):
    # Fernet tokens are randomised, so such a filter could never match: fail instead of finding nobody.
    with pytest.raises(TypeError):
        ReporterProfile.objects.filter(**lookup)


def test_filtering_on_whether_an_encrypted_field_is_null_is_allowed(siti):
    assert list(ReporterProfile.objects.filter(birth_date__isnull=False)) == [siti]
