"""gunicorn settings for the web container (Dockerfile, docker-compose.yml):

gunicorn -c config/gunicorn.py config.wsgi
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Chosen by measurement (manage.py bench_http, docs/benchmarks/cases-http-2026-11-30.md,
# docs/decisions/0018): on two cores shared with PostgreSQL, 4 sync workers
# with one thread each; threads added nothing (the work is CPU, not waiting).
# Each worker keeps one persistent database connection (DB_CONN_MAX_AGE).
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# The container has no use for gunicorn's control socket (and no writable home).
control_socket_disable = True

accesslog = "-"
# Method, path, status, size, duration — no query string, referrer or client
# address: a search for a client's name (?q=…) must never reach a log
# (DESIGN §8: no personal data in application logs).
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
