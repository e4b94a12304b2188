"""Siti, the citizen whose account is erased in the erasure tests (the service's own,
tests/accounts/test_erasure.py, and the profile page's, tests/portal/test_account_erasure.py):
an account holding every piece of personal data one can."""
import datetime

import pytest
from allauth.account.models import EmailAddress

from lapor.accounts.models import User

from ..factories import ReporterProfileFactory, UserFactory

NAME = "Siti Nurhaliza Rahmawati"
USERNAME = "nurhaliza.r"
EMAIL = "nurhaliza.rahmawati@contoh.id"
NIK = "6372024107900077"
PHONE = "+6281299887766"
WAITING_PHONE = "+6281311112222"
PASSWORD = "rahasia-uji-123"  # tests/factories.py


@pytest.fixture
def siti(world):
    """A citizen with a name, NIK, proven phone, a number awaiting its code, a verified
    e-mail address, sex, birth date and occupation."""
    user = UserFactory(username=USERNAME, full_name=NAME, email=EMAIL)
    ReporterProfileFactory(user=user, nik=NIK, phone=PHONE, email=EMAIL, sex="F", birth_date=datetime.date(1990, 7, 1),
                           occupation="Guru honorer", pending_phone=WAITING_PHONE)
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    return User.objects.get(pk=user.pk)
