"""An agency's SMS keyword as an admin types it."""
import pytest
from django.core.exceptions import ValidationError

from lapor.agencies.models import Agency


@pytest.mark.django_db
def test_keywords_ignore_case_and_spaces():
    agency = Agency(name="Pemerintah Kota Banjarbaru", slug="pemkot", sms_keyword=" banjar baru ")
    agency.full_clean()
    assert agency.sms_keyword == "BANJARBARU"


@pytest.mark.django_db
def test_the_status_command_cannot_be_an_agencys_keyword():
    with pytest.raises(ValidationError, match="CEK"):
        Agency(name="Dinas Cek", slug="cek", sms_keyword="cek").full_clean()
