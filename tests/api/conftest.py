import io

import pytest
from PIL import Image
from rest_framework.test import APIClient

from lapor.api.tokens import token_issue


@pytest.fixture
def api():
    """An API client for a persona: ``api(world.citizen)``, or ``api()`` for the public."""

    def client_for(user=None):
        client = APIClient()
        if user is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=user)}")
        return client

    return client_for


@pytest.fixture(autouse=True)
def fresh_throttles(settings):
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def photo_with_gps(name="jalan.jpg"):
    """A JPEG carrying a GPS position in its EXIF, as phones write it."""
    image = Image.new("RGB", (40, 30), (120, 80, 40))
    exif = Image.Exif()
    exif[0x8825] = {1: "S", 2: (3.0, 26.0, 0.0), 3: "E", 4: (114.0, 50.0, 0.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    out.seek(0)
    out.name = name
    return out
