"""docker-compose.yml past one machine (issue 13 point 4): pgbouncer in
transaction mode between the app and PostgreSQL, N Celery workers, the
replica setting passed through.  The router itself: tests/core/test_dbrouting.py."""

import yaml

from tests.test_ops_deploy import compose


def _services() -> dict:
    result = compose("config")
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)["services"]


def test_the_app_reaches_postgresql_through_pgbouncer_in_transaction_mode():
    services = _services()
    bouncer = services["pgbouncer"]
    assert bouncer["image"].startswith("edoburu/pgbouncer:")
    assert bouncer["environment"]["POOL_MODE"] == "transaction"
    assert bouncer["environment"]["DATABASE_URL"].endswith("@db:5432/madoguchi")
    assert bouncer["healthcheck"]["test"]
    for name in ("web", "worker", "beat"):
        environment = services[name]["environment"]
        assert "@pgbouncer:5432/" in environment["DATABASE_URL"]
        assert environment["DB_BEHIND_PGBOUNCER"] == "1"  # no server-side cursors across transactions
        assert "DATABASE_REPLICA_URL" in environment
        assert services[name]["depends_on"]["pgbouncer"]["condition"] == "service_healthy"
    # Migrations take locks and run DDL over one session: straight to the database.
    assert "@db:5432/" in services["migrate"]["environment"]["DATABASE_URL"]


def test_several_celery_workers_and_exactly_one_beat():
    services = _services()
    assert services["worker"]["deploy"]["replicas"] >= 2
    assert any(part.startswith("--concurrency=") for part in services["worker"]["command"])
    assert "--hostname=worker@%h" in services["worker"]["command"]  # unique per container
    assert services["beat"]["deploy"]["replicas"] == 1


def test_behind_pgbouncer_no_server_side_cursors(monkeypatch):
    import importlib

    from config import settings as module

    monkeypatch.setenv("DB_BEHIND_PGBOUNCER", "1")
    monkeypatch.setenv("DATABASE_REPLICA_URL", "postgres://reader@replica.example:5433/madoguchi")
    try:
        reloaded = importlib.reload(module)
        assert reloaded.DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] is True
        replica = reloaded.DATABASES["replica"]
        assert (replica["HOST"], replica["PORT"], replica["USER"]) == ("replica.example", 5433, "reader")
        assert replica["DISABLE_SERVER_SIDE_CURSORS"] is True
        assert replica["CONN_MAX_AGE"] == reloaded.DATABASES["default"]["CONN_MAX_AGE"]
        assert reloaded.DATABASE_ROUTERS == ["core.dbrouting.PrimaryReplicaRouter"]
    finally:
        monkeypatch.delenv("DB_BEHIND_PGBOUNCER")
        monkeypatch.delenv("DATABASE_REPLICA_URL")
        importlib.reload(module)
