# The portal's two commands are `make run` and `make test`; the rest are their parts.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
WORKERS ?= 2

# The first Python 3.12+ on this machine: python3.13, python3.12, python3, then pyenv's.
BASE_PYTHON := $(shell for p in python3.13 python3.12 python3 \
	$$(pyenv root 2>/dev/null)/versions/3.1[2-9]*/bin/python; do \
	command -v "$$p" >/dev/null 2>&1 \
	&& "$$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 \
	&& { command -v "$$p"; break; }; done)

PY_FILES = $$(find . -name '*.py' -not -path './.venv/*' -not -path './var/*' -not -path './node_modules/*')

.PHONY: help run test lint format install install-dev migrate content static messages messages-update lock clean bench bench-scale deploy-test backup lighthouse

help:
	@echo "make run   - install, migrate, load the COPE content and serve on http://127.0.0.1:$(PORT)/"
	@echo "make test  - install the development tools, lint, and run every test"

$(VENV)/.installed: requirements.lock
	@if [ -z "$(BASE_PYTHON)" ]; then \
		echo "No Python 3.12 or newer found (tried python3.13, python3.12, python3 and pyenv's): install one and retry." >&2; \
		exit 1; fi
	@[ -x $(PY) ] || $(BASE_PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $@

# The test and lint tools, for `make test` only: production installs requirements.lock alone.
$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.lock
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	@touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

migrate: install
	$(PY) manage.py migrate --noinput

content: migrate
	$(PY) manage.py load_cope_content

static: install
	$(PY) manage.py collectstatic --noinput --verbosity 0

# The Spanish interface: locale/es/LC_MESSAGES/django.po (committed) compiled to the .mo that
# Django reads, by Babel (pure Python: no gettext tools needed to run the portal).
messages: install
	$(VENV)/bin/pybabel compile --domain django --directory locale --statistics

# After changing interface text: gather the strings into the .po (needs GNU gettext), then
# translate the new ones (tests/portal/test_translations.py fails until they are).
messages-update: install
	$(PY) manage.py makemessages --locale es --add-location file --no-obsolete \
		--ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*' --ignore 'tools/*'

# The web server and, beside it, the task queue's worker (it sends every email); stopping one
# stops the other.
run: content static messages
	@echo "Serving the COPE portal at http://127.0.0.1:$(PORT)/ (Ctrl-C stops it)"
	$(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	$(VENV)/bin/gunicorn portal.wsgi --bind 127.0.0.1:$(PORT) --workers $(WORKERS) \
		--timeout 30 --graceful-timeout 20 --keep-alive 5 --access-logfile - \
		--forwarded-allow-ips ""

# The whole database in one file in var/backups/ (or BACKUP_TO=folder), the newest 14 kept:
# pg_dump's custom format with DATABASE_URL, else a SQLite copy. The README says how to restore.
backup: install
	$(PY) manage.py backup $(if $(BACKUP_TO),--to "$(BACKUP_TO)")

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djade --check $$(find templates -name '*.html')
	$(VENV)/bin/django-upgrade --target-version 6.1 --check $(PY_FILES)
	$(VENV)/bin/lint-imports --no-cache

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djade $$(find templates -name '*.html')
	$(VENV)/bin/django-upgrade --target-version 6.1 --exit-zero-even-if-changed $(PY_FILES)

# The tests run in parallel, one process per core (pytest-xdist); TEST_PROCESSES=0 runs them in one.
TEST_PROCESSES ?= auto

test: lint static messages
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest -n $(TEST_PROCESSES) $(PYTEST_ARGS)

# Load test on loopback (a few minutes): figures to stdout and var/bench.json.
bench: static
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; } \
		|| { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
	$(PY) -m tools.bench

# Ten years of data (a throwaway PostgreSQL database <name>_scale grown to S2 and S3): queries,
# bytes and time of each page and admin screen, each download's memory, /safety-plan/ under load,
# and the tracker's CPU and instructions (valgrind) per uncached render.
bench-scale: static
	@[ -n "$$DATABASE_URL" ] || { echo "make bench-scale needs DATABASE_URL=postgres://…" >&2; exit 1; }
	@for tool in wrk valgrind; do command -v $$tool >/dev/null \
		|| { [ "$$(id -u)" = 0 ] && apt-get install -y -qq $$tool >/dev/null; } \
		|| { echo "$$tool is needed: apt-get install -y $$tool" >&2; exit 1; }; done
	$(PY) -m tools.bench.scale

# Production's shape on this machine (a few minutes): Debian's nginx with a throw-away certificate
# in front of two gunicorn nodes and a worker, started from the deploy/ files rendered for
# loopback ports, on PostgreSQL (database cope_deploytest) and Redis (db 14); one line per check.
deploy-test: static messages
	@command -v nginx >/dev/null || { [ "$$(id -u)" = 0 ] && { apt-get install -y -qq nginx \
		|| { apt-get update -qq && apt-get install -y -qq nginx; }; } >/dev/null; } \
		|| { echo "nginx is needed: apt-get install -y nginx" >&2; exit 1; }
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; } \
		|| { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
	$(PY) -m tools.deploytest

# Re-pin every dependency after editing pyproject.toml: production's, then with the dev tools.
lock: install
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --python $(PY) \
		--no-header --output-file requirements.lock
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --python $(PY) \
		--no-header --output-file requirements-dev.lock

clean:
	rm -rf $(VENV) var/static var/cache

# Lighthouse's text-compression audit (npm's lighthouse, Debian's Chromium) on the tracker in
# both languages, served by gunicorn as `make run` serves it; fails unless the audit passes.
lighthouse: content static messages
	@[ -x var/node/node_modules/.bin/lighthouse ] || \
		npm install --prefix var/node --no-audit --no-fund --silent lighthouse
	@port=$$($(PY) -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'); \
	$(VENV)/bin/gunicorn portal.wsgi --bind 127.0.0.1:$$port --workers 1 --daemon --pid var/lighthouse.pid; \
	trap 'kill $$(cat var/lighthouse.pid) 2>/dev/null' EXIT; sleep 3; \
	for path in /safety-plan/ /es/safety-plan/; do \
		CHROME_PATH=/usr/bin/chromium var/node/node_modules/.bin/lighthouse "http://127.0.0.1:$$port$$path" \
			--only-audits=uses-text-compression --output=json --output-path=var/lighthouse.json --quiet \
			--chrome-flags="--headless=new --no-sandbox --disable-gpu" || exit 1; \
		$(PY) -c 'import json, sys; a = json.load(open("var/lighthouse.json"))["audits"]["uses-text-compression"]; print(sys.argv[1], "text compression:", "passes" if a["score"] == 1 else "FAILS", a["details"].get("items")); sys.exit(a["score"] != 1)' "$$path" || exit 1; \
	done
