"""Django's Redis cache with one client object per connection pool.

Django's RedisCacheClient builds a new ``redis.Redis`` object for every cache
call (the connections themselves come from a pool).  A signed-in page makes
three or more cache calls (session, its idle timeout, rate limits), and each
new client cost about 0.2 ms of CPU (issue 13's profile).  A client holds no
state of its own besides the pool, and is safe to share between threads, so
it is built once per pool here.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ReusingRedisCache(RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
