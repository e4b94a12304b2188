"""``collectstatic`` runs at every start (script/start) and every release: it compresses
only the static files that changed since the last run, not all of them again (about a
minute of CPU on a small machine, for nothing)."""
import gzip
import os

import brotli

from lapor.core.storage import StaticStorage

CSS = b"body { color: #b71c1c; }\n" * 400


def written_at(path) -> int:
    return os.stat(path).st_ctime_ns  # any write, or a new modification time, changes it


def test_an_unchanged_file_is_not_compressed_again_and_a_changed_one_is(tmp_path):
    storage = StaticStorage(location=tmp_path, base_url="/static/")
    (tmp_path / "site.css").write_bytes(CSS)
    (tmp_path / "other.css").write_bytes(CSS + b"p { margin: 0; }\n" * 200)

    made = sorted(compressed for _, compressed in storage.compress_files(["site.css", "other.css"]))
    assert made == ["other.css.br", "other.css.gz", "site.css.br", "site.css.gz"]
    before = {name: written_at(tmp_path / name) for name in made}

    # One file changes, as a package upgrade or an edit would (collectstatic copies it anew).
    changed = CSS + b"a { color: #0d47a1; }\n"
    (tmp_path / "site.css").write_bytes(changed)
    os.utime(tmp_path / "site.css", (1_900_000_000, 1_900_000_000))
    again = sorted(compressed for _, compressed in storage.compress_files(["site.css", "other.css"]))

    assert again == made  # every copy is still named, for collectstatic's count
    assert written_at(tmp_path / "other.css.br") == before["other.css.br"]
    assert written_at(tmp_path / "other.css.gz") == before["other.css.gz"]
    assert gzip.decompress((tmp_path / "site.css.gz").read_bytes()) == changed
    assert brotli.decompress((tmp_path / "site.css.br").read_bytes()) == changed


def test_a_missing_compressed_copy_is_made_again(tmp_path):
    storage = StaticStorage(location=tmp_path, base_url="/static/")
    (tmp_path / "site.css").write_bytes(CSS)
    list(storage.compress_files(["site.css"]))
    (tmp_path / "site.css.gz").unlink()

    list(storage.compress_files(["site.css"]))

    assert gzip.decompress((tmp_path / "site.css.gz").read_bytes()) == CSS
