"""The suggestion the report form and the verifier get from the routing rules."""
import pytest

from lapor.agencies.models import RoutingRule
from lapor.agencies.routing import suggest_agency
from lapor.regions.models import Region

from ..factories import CategoryFactory


@pytest.fixture
def regions(db):
    province = Region.objects.create(code="63", name="Kalimantan Selatan", level=1)
    city = Region.objects.create(code="63.72", name="Kota Banjarbaru", level=2, parent=province)
    district = Region.objects.create(code="63.72.02", name="Banjarbaru Utara", level=3, parent=city)
    village = Region.objects.create(code="63.72.02.1001", name="Loktabat Utara", level=4, parent=district)
    other_city = Region.objects.create(code="63.03", name="Kabupaten Banjar", level=2, parent=province)
    return province, city, district, village, other_city


def test_the_most_specific_region_wins(world, regions):
    province, city, district, village, other_city = regions
    topic = CategoryFactory(name="Pekerjaan Umum")
    road = CategoryFactory(name="Jalan Rusak", parent=topic)
    RoutingRule.objects.create(category=road, region=None, agency=world.kemenpanrb)
    RoutingRule.objects.create(category=road, region=province, agency=world.pemkab)
    RoutingRule.objects.create(category=road, region=city, agency=world.pupr)
    RoutingRule.objects.create(category=road, region=district, agency=world.bina_marga)
    assert suggest_agency(category=road, region=village) == world.bina_marga
    assert suggest_agency(category=road, region=city) == world.pupr
    assert suggest_agency(category=road, region=other_city) == world.pemkab
    assert suggest_agency(category=road, region=None) == world.kemenpanrb


def test_a_sub_topic_falls_back_to_its_topics_rule_but_its_own_rule_wins(world, regions):
    _, city, *_ = regions
    topic = CategoryFactory(name="Kesehatan")
    clinic = CategoryFactory(name="Puskesmas", parent=topic)
    hospital = CategoryFactory(name="Rumah Sakit", parent=topic)
    RoutingRule.objects.create(category=topic, region=city, agency=world.dinkes)
    RoutingRule.objects.create(category=hospital, region=city, agency=world.pemkot)
    assert suggest_agency(category=clinic, region=city) == world.dinkes
    assert suggest_agency(category=hospital, region=city) == world.pemkot


def test_no_rule_no_suggestion(world, regions):
    assert suggest_agency(category=CategoryFactory(), region=regions[1]) is None
    assert suggest_agency(category=None, region=regions[1]) is None
