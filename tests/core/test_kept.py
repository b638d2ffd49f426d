"""core.kept: what consult.reference_cache and municipalities.calendar keep
per process — good for its time, cleared at once, never unbounded."""

from core import kept
from core.kept import MISSING, KeptInProcess


def test_a_kept_value_is_loaded_once_within_its_time():
    store, loads = KeptInProcess(60), []
    assert store.get("ja", lambda: loads.append(1) or "html") == "html"
    assert store.get("ja", lambda: loads.append(1) or "other") == "html"
    assert loads == [1]


def test_a_value_older_than_its_time_is_loaded_again(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(kept.time, "monotonic", lambda: now[0])
    store = KeptInProcess(60)
    store.put("k", "old")
    now[0] += 59.9
    assert store.peek("k") == "old"
    now[0] += 0.1
    assert store.peek("k") is MISSING
    assert store.get("k", lambda: "new") == "new"


def test_clear_drops_everything_and_takes_signal_arguments():
    store = KeptInProcess(60)
    store.put("a", 1)
    store.put("b", 2)
    store.clear(sender=object, instance=None, created=True)
    assert store.peek("a") is MISSING and len(store) == 0


def test_a_full_store_starts_again_rather_than_growing():
    store = KeptInProcess(60, max_entries=3)
    for key in "abc":
        store.put(key, key)
    store.put("d", "d")
    assert len(store) == 1 and store.peek("d") == "d" and store.peek("a") is MISSING
