"""Kalimantan Selatan's regions with the personas' governments placed in them (the city
government in Kota Banjarbaru, the regency's in Kabupaten Banjar), and a flood category."""
import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from tests.factories import CategoryFactory, RegionFactory

HOUR = datetime.timedelta(hours=1)


@dataclass
class Setting:
    kalsel: object
    banjarbaru: object
    landasan_ulin: object
    banjar: object
    flood: object
    blocked_drain: object


@pytest.fixture
def setting(world):
    kalsel = RegionFactory(code="63", name="Kalimantan Selatan")
    banjarbaru = RegionFactory(code="63.72", name="Kota Banjarbaru", parent=kalsel)
    banjar = RegionFactory(code="63.03", name="Kabupaten Banjar", parent=kalsel)
    world.pemkot.region, world.pemkab.region = banjarbaru, banjar
    world.pemkot.save()
    world.pemkab.save()
    flood = CategoryFactory(name="Drainase dan Banjir", slug="drainase-dan-banjir", position=9)
    return Setting(
        kalsel=kalsel, banjarbaru=banjarbaru, banjar=banjar, flood=flood,
        landasan_ulin=RegionFactory(code="63.72.02", name="Landasan Ulin", parent=banjarbaru),
        blocked_drain=CategoryFactory(name="Saluran tersumbat", slug="drainase-dan-banjir-saluran", parent=flood),
    )


@pytest.fixture
def flood(world, setting):
    """``flood(...)``: a disaster (the Banjarbaru flood unless told otherwise), started an
    hour ago and open-ended."""
    from lapor.disasters.services import disaster_declare

    def make(**fields):
        values = dict(by=world.national_admin, title="Banjir Banjarbaru", category=setting.flood,
                      region=setting.banjarbaru, starts_at=timezone.now() - HOUR,
                      description="Laporkan genangan dan warga yang perlu dievakuasi.")
        values.update(fields)
        return disaster_declare(**values)

    return make
