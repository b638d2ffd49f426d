# Madoguchi.  `make run` and `make test` are the two commands of the README.
SHELL := /bin/bash
# The first Python >= 3.12 on this machine (Django 6.1 refuses older ones).
PYTHON ?= $(shell for p in python3.13 python3.12 $(wildcard $(HOME)/.pyenv/versions/3.1[2-9]*/bin/python) python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& { command -v $$p; break; }; done)
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test lint format messages bench bench-http bench-interpreters clean

run: $(VENV)/.installed static/vendor/.built ## portal + worker + beat with demo data
	$(PY) scripts/madoguchi.py run

test: $(VENV)/.installed static/vendor/.built ## lint, migrations, translations, the whole pytest suite
	$(PY) scripts/madoguchi.py test

lint: $(VENV)/.installed ## ruff and the layers contract (.importlinter)
	$(PY) -m ruff check . && $(PY) -m ruff format --check . && $(VENV)/bin/lint-imports --no-logo --no-cache

format: $(VENV)/.installed
	$(PY) -m ruff check --fix . && $(PY) -m ruff format .

messages: $(VENV)/.installed ## refresh the .po catalogues after changing strings
	DJANGO_DEBUG=1 $(PY) manage.py makemessages -l ja -l en --ignore=.venv --ignore=node_modules \
		--ignore=static/vendor --ignore=data --ignore=tests

# demo/bench/ (manage.py bench_cases) on a database of its own (created if missing): never the
# development or test one.  Results: docs/benchmarks/.
# Sessions and the cache on Redis as in production (a Redis database of the benchmarks' own):
# without REDIS_URL both would sit in PostgreSQL, and every request would pay for it.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/madoguchi_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/6
bench: $(VENV)/.installed ## case list and name search at 1,000,000 consultations (demo/bench/)
	DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) SECRET_KEY=bench-only DJANGO_DEBUG=0 \
		$(PY) manage.py bench_cases $(BENCH_ARGS)

# gunicorn (config/gunicorn.py, DEBUG off) under a wrk mix of staff pages at 8, 32, 64 connections;
# needs the bench_cases dataset, wrk and Redis.
bench-http: $(VENV)/.installed ## requests/s and p50/p95/p99 over HTTP at 1,000,000 consultations
	DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) SECRET_KEY=bench-only DJANGO_DEBUG=0 \
		$(PY) manage.py bench_http $(BENCH_ARGS)

bench-interpreters: $(VENV)/.installed ## suggestions and "who can help now" at 200 interpreters, 100,000 bookings
	DATABASE_URL=$(BENCH_DATABASE_URL) SECRET_KEY=bench-only DJANGO_DEBUG=0 $(PY) manage.py bench_interpreters $(BENCH_ARGS)

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed (Django 6.1)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

static/vendor/.built: node_modules/.installed scripts/vendor-assets.mjs
	npm run --silent vendor
	touch $@

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles test-artifacts
