# `make run` serves the site with demo content at http://127.0.0.1:8000 (SQLite).
# `make test` runs every check and the whole test suite on SQLite, then on a
# throwaway PostgreSQL 15 cluster. Both set up what they need first.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
# The two test runs share test-artifacts/ and the machine: one after the other.
.NOTPARALLEL:

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-requirements
MANAGE := env -u DATABASE_URL DJANGO_SETTINGS_MODULE=yogasite.settings.dev $(PY) manage.py
# Extra pytest arguments, e.g. `make test-sqlite PYTEST_ARGS="tests/poses -x"`.
PYTEST_ARGS ?=
# pytest exits 5 when it collects nothing: not a failure of the code under test.
PYTEST := $(VENV)/bin/pytest $(PYTEST_ARGS)
PYTEST_OK := || [ $$? -eq 5 ]

.PHONY: help run test venv install chromium lint fmt check test-sqlite test-postgres scale-test bench soak lighthouse clean

help:
	@echo "make run            set up, load the demo content and serve http://127.0.0.1:8000"
	@echo "make test           lint, checks, and the whole suite on SQLite and on PostgreSQL 15"
	@echo "make install        create $(VENV) and install requirements-dev.txt"
	@echo "make lint | fmt     ruff check and format check | ruff fix and format"
	@echo "make check          manage.py check and makemigrations --check"
	@echo "make test-sqlite    the suite on SQLite (PYTEST_ARGS=... to narrow it)"
	@echo "make test-postgres  the suite on a throwaway PostgreSQL 15 cluster"
	@echo "make scale-test     two app servers sharing PostgreSQL, Redis and S3 object storage"
	@echo "make bench          requests/s, latency and CPU of every page kind, cold and warm, up to 10,000 poses; practice generation time; search at 100 and 10,000 poses on SQLite and PostgreSQL"
	@echo "make soak           about a minute of mixed load, edits and faults, on SQLite and PostgreSQL"
	@echo "make lighthouse     Lighthouse (mobile) scores of a pose page, a routine page and the cheat sheet"
	@echo "make clean          remove caches, test artifacts and the install stamp"

$(PY):
	@if ! $(PYTHON) -c 'import ensurepip' 2>/dev/null && [ "$$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -q </dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv </dev/null; \
	fi
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements-dev.txt
	@touch $@

venv install: $(STAMP)

chromium:
	scripts/ensure-chromium.sh

# The import keeps no versions: createinitialrevisions gives what it wrote a first History entry
# (about a second; nothing to do on later runs).
run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) import_content demo/content.json
	$(MANAGE) createinitialrevisions poses.Pose routines.Routine poses.Muscle poses.Equipment poses.Category --comment "As imported." -v 0
	$(MANAGE) ensure_admin
	@# Scheduled publishing runs next to the server (production runs it from a timer: README) and stops with it.
	$(MANAGE) publish_scheduled --every 30 & scheduler=$$!; \
		trap 'kill $$scheduler 2>/dev/null' EXIT; \
		$(MANAGE) runserver 127.0.0.1:8000

test: install chromium lint check test-sqlite test-postgres scale-test

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: install
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

test-sqlite: install
	@echo "== Test suite on SQLite =="
	scripts/with-redis.sh env -u DATABASE_URL $(PYTEST) $(PYTEST_OK)

# The browser tests run once, on SQLite: what they show does not depend on the database.
test-postgres: install
	@echo "== Test suite on PostgreSQL (browser tests run on SQLite) =="
	scripts/with-postgres.sh scripts/with-redis.sh $(PYTEST) --ignore=tests/browser $(PYTEST_OK)

# Two gunicorn instances on one PostgreSQL, one Redis and one S3 server (moto), all on 127.0.0.1.
scale-test: install
	@echo "== Two app servers =="
	scripts/with-postgres.sh $(PY) scripts/scale_test.py

bench: install
	scripts/with-redis.sh $(PY) scripts/benchmark.py $(BENCH_ARGS)
	$(PY) scripts/bench_practice.py
	env -u DATABASE_URL $(PY) scripts/bench_search.py --repeat 40
	scripts/with-postgres.sh $(PY) scripts/bench_search.py --repeat 40

soak: install
	env -u DATABASE_URL scripts/with-redis.sh $(PY) scripts/soak.py $(SOAK_ARGS)
	scripts/with-postgres.sh scripts/with-redis.sh $(PY) scripts/soak.py $(SOAK_ARGS)

lighthouse: install chromium
	scripts/lighthouse.sh

clean:
	rm -rf .pytest_cache .ruff_cache test-artifacts $(STAMP)
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
