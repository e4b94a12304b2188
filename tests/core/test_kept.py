"""Reference rows kept per process (lapor/core/kept.py): bounded, fresh within their time."""
from lapor.core import kept


def test_past_the_bound_the_expired_rows_go_first_and_the_fresh_stay(monkeypatch):
    kept.forget()
    monkeypatch.setattr(kept, "MOST", 3)
    clock = [1000.0]
    monkeypatch.setattr(kept.time, "monotonic", lambda: clock[0])
    kept.kept("old", 10, lambda: "o")
    clock[0] += 5
    kept.kept("b", 60, lambda: "b")
    kept.kept("c", 60, lambda: "c")
    clock[0] += 6  # "old" has expired, b and c have not
    kept.kept("d", 60, lambda: "d")
    assert sorted(kept._kept) == ["b", "c", "d"]
    reads = []
    assert kept.kept("b", 60, lambda: reads.append("b") or "b2") == "b" and not reads


def test_a_lookup_that_finds_nothing_is_asked_again_and_never_kept():
    kept.forget()
    reads = []
    for _ in range(2):
        assert kept.kept("region:99", 60, lambda: reads.append(1), keep_none=False) is None
    assert len(reads) == 2 and "region:99" not in kept._kept
    found = kept.kept_each("region", ["63", "99"], 60, lambda missing: {"63": "Kalsel"} if "63" in missing else {})
    assert found == {"63": "Kalsel"} and "region:99" not in kept._kept
