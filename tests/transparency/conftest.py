import pytest


@pytest.fixture(autouse=True)
def uncached_figures(settings):
    # Each test builds its own data: figures must never come from another test's cache.
    settings.LAPOR_STATS_CACHE_SECONDS = 0


@pytest.fixture
def stories(world):
    from .dataset import build

    return build(world)


@pytest.fixture(autouse=True)
def back_to_the_default_language():
    # LocaleMiddleware activates the request's language for the whole thread; a test that
    # switched to English must not leave it to the next one.
    from django.utils import translation

    yield
    translation.deactivate()
