"""core/cache.py: the Redis cache builds one client per connection pool
instead of one per call (issue 13), and still works as a cache."""

from __future__ import annotations

import pytest
from django.core.cache import caches

from core.cache import ReusingRedisCache


def test_one_client_per_pool_and_values_round_trip(redis_cache):
    cache = caches["default"]
    assert isinstance(cache, ReusingRedisCache)
    backend = cache._cache
    assert backend.get_client(write=True) is backend.get_client(write=True)
    assert backend.get_client() is backend.get_client()
    cache.set("core-cache-test", {"n": 1}, 30)
    assert cache.get("core-cache-test") == {"n": 1}
    cache.delete("core-cache-test-n")
    assert cache.add("core-cache-test-n", 1, 30)
    assert cache.incr("core-cache-test-n") == 2
    cache.delete_many(["core-cache-test", "core-cache-test-n"])
    assert cache.get("core-cache-test") is None


@pytest.mark.django_db
def test_a_signed_in_page_reuses_the_client(client, hub_staff, redis_cache):
    from tests.factories import as_user

    backend = caches["default"]._cache
    as_user(client, hub_staff)
    client.get("/")
    clients_before = dict(backend._clients)
    for _ in range(3):
        assert client.get("/").status_code == 200
    assert backend._clients == clients_before and clients_before
