import pytest

from lapor.regions.loading import load_regions


@pytest.fixture
def kalsel_regions(db):
    """Only Kalimantan Selatan: all the demo needs, loaded in a fraction of a second."""
    return load_regions(progress=False, provinces={"63"})


@pytest.fixture
def fast_passwords(settings):
    # The demo sets thirteen passwords per seed; the real hasher would take seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
