#!/usr/bin/env python
"""Container health checks (docker-compose.yml `healthcheck:`).

    python scripts/healthcheck.py web     # gunicorn answers /healthz and reaches PostgreSQL
    python scripts/healthcheck.py beat    # beat's heartbeat went through a worker recently

The load balancer reads /healthz itself (200 only when the database, the
broker and a recent beat tick are fine).  A container's own check is
narrower, so that a beat outage does not mark every web container unhealthy.
The worker's check is `celery inspect ping` (see docker-compose.yml).
Exit 0 = healthy, 1 = unhealthy.
"""

import http.client
import json
import os
import sys
from pathlib import Path


def check_web() -> bool:
    # Ask with a host name Django accepts: the first of ALLOWED_HOSTS.
    hosts = [h.strip().lstrip(".") for h in os.environ.get("ALLOWED_HOSTS", "localhost").split(",") if h.strip()]
    host = next((h for h in hosts if h != "*"), "localhost")
    connection = http.client.HTTPConnection("127.0.0.1", int(os.environ.get("PORT", "8000")), timeout=5)
    try:
        connection.request("GET", "/healthz", headers={"Host": host})
        response = connection.getresponse()
        body = json.loads(response.read() or b"{}")
    except (OSError, ValueError):
        return False
    finally:
        connection.close()
    return response.status in (200, 503) and body.get("checks", {}).get("database", {}).get("ok") is True


def check_beat() -> bool:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from core.health import check_beat as beat_is_recent

    ok, _detail = beat_is_recent()
    return ok


def main() -> int:
    checks = {"web": check_web, "beat": check_beat}
    if len(sys.argv) != 2 or sys.argv[1] not in checks:
        print(f"usage: {sys.argv[0]} {'|'.join(checks)}", file=sys.stderr)
        return 2
    return 0 if checks[sys.argv[1]]() else 1


if __name__ == "__main__":
    sys.exit(main())
