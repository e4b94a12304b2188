"""Regions of Kalimantan Selatan for following tests, and the real SMTP server of the
notification tests."""
from dataclasses import dataclass

import pytest

from tests.factories import CategoryFactory, RegionFactory
from tests.notifications.conftest import smtp_server  # noqa: F401  (a real SMTP server)


@dataclass
class Places:
    kalsel: object
    banjarbaru: object
    landasan_ulin: object  # a district of Banjarbaru
    banjar: object
    flood: object  # another category than the world's "Jalan Rusak"


@pytest.fixture
def places(db):
    kalsel = RegionFactory(code="63", name="Kalimantan Selatan")
    banjarbaru = RegionFactory(code="63.72", name="Kota Banjarbaru", parent=kalsel)
    return Places(
        kalsel=kalsel, banjarbaru=banjarbaru,
        landasan_ulin=RegionFactory(code="63.72.02", name="Landasan Ulin", parent=banjarbaru),
        banjar=RegionFactory(code="63.03", name="Kabupaten Banjar", parent=kalsel),
        flood=CategoryFactory(name="Drainase dan Banjir", slug="drainase-dan-banjir"),
    )


@pytest.fixture
def act(django_capture_on_commit_callbacks):
    """Run a service and then what it scheduled after commit (the notifications), as a
    real request would."""
    def act(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)
    return act
