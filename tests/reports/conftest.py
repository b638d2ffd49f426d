import pytest


@pytest.fixture
def eager_tasks(monkeypatch):
    """Run enqueued Celery tasks in-process (the aggregate rebuild) as a worker would."""
    from config.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)
