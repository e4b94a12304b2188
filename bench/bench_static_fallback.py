"""Lapor's production settings with one change: static files without the hashed manifest.

Used by bench/bench.py only when ``collectstatic`` fails under the real settings (a
referenced file missing from a third-party package makes the manifest storage refuse to
build), so that the benchmark can still serve the pages; the run reports that it did.
"""
from lapor.settings import *  # noqa: F403

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"}}  # noqa: F405
