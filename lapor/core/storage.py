"""Static files storage for production: hashed names, compressed, cached forever."""
import os

from django.contrib.staticfiles.storage import HashedFilesMixin
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Rewrites references in CSS only, and compresses only what changed.

    Django also rewrites ``sourceMappingURL`` comments in JavaScript, and fails the whole
    ``collectstatic`` when a package ships a comment without its map (XStatic's
    leaflet.markercluster does). Source maps are for developers; we leave JS untouched.

    WhiteNoise compresses every file again (Brotli and gzip, about a minute of CPU for our
    ~800 files) on every ``collectstatic``, which every start and every release runs. A
    file whose compressed copies are there with its own modification time (WhiteNoise
    gives them the original's) has not changed since: it is left as it is.
    """

    patterns = tuple(pattern for pattern in HashedFilesMixin.patterns if pattern[0] == "*.css")

    def compress_files(self, paths):
        paths = list(paths)
        fresh = [path for path in paths if self._compressed_copies(path)]
        for path in fresh:
            for compressed in self._compressed_copies(path):
                yield path, compressed
        yield from super().compress_files(set(paths) - set(fresh))

    def _compressed_copies(self, path: str) -> list[str]:
        """The compressed copies of ``path`` when both are there and as new as it, else []."""
        try:
            mtime = os.stat(self.path(path)).st_mtime
            copies = [path + suffix for suffix in (".br", ".gz")]
            if all(abs(os.stat(self.path(copy)).st_mtime - mtime) < 0.001 for copy in copies):
                return copies
        except OSError:  # the file or a copy is missing
            pass
        return []
