"""Static files storage for production: hashed names, compressed, cached forever."""
from django.contrib.staticfiles.storage import HashedFilesMixin
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Rewrites references in CSS only.

    Django also rewrites ``sourceMappingURL`` comments in JavaScript, and fails the whole
    ``collectstatic`` when a package ships a comment without its map (XStatic's
    leaflet.markercluster does). Source maps are for developers; we leave JS untouched.
    """

    patterns = tuple(pattern for pattern in HashedFilesMixin.patterns if pattern[0] == "*.css")
