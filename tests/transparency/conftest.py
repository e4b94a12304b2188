import pytest


@pytest.fixture(autouse=True)
def uncached_figures(settings):
    # Each test builds its own data: figures must never come from another test's cache.
    settings.LAPOR_STATS_CACHE_SECONDS = 0


@pytest.fixture
def stories(world):
    from .dataset import build

    return build(world)
