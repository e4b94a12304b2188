"""A region code as people type it."""
import pytest
from django.core.exceptions import ValidationError

from lapor.regions.lookup import normalize_region_code, region_from_code
from lapor.regions.models import Region


def test_codes_are_accepted_with_or_without_dots():
    assert normalize_region_code("6372021001") == "63.72.02.1001"
    assert normalize_region_code(" 63.72 ") == "63.72"
    assert normalize_region_code("63") == "63"


@pytest.mark.django_db
def test_a_known_code_gives_its_region_and_an_unknown_one_a_clear_error():
    Region.objects.create(code="63", name="Kalimantan Selatan", level=1)
    assert region_from_code("63").name == "Kalimantan Selatan"
    with pytest.raises(ValidationError, match="63.99 tidak dikenal"):
        region_from_code("6399")
    with pytest.raises(ValidationError, match="tidak berbentuk kode wilayah"):
        region_from_code("Banjarbaru")
