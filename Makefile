# WIZZR — the two commands: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
CI_VENV := var/ci-venv
PORT ?= 8000

.PHONY: run test screenshots install migrate demo serve bench lint messages clean-db stop-db worker audit compose-check deploy-check

# .venv with the pinned Python dependencies, production's and the development tools' (interpreter
# chosen by scripts/venv.sh).
$(VENV)/.installed: requirements.lock requirements-dev.lock pyproject.toml .python-version scripts/venv.sh
	@bash scripts/venv.sh
	@touch $@

# Front-end packages (NL Design System CSS), pinned by package-lock.json.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "error: npm (Node.js) is needed for the front-end packages; install Node.js 20 or newer." >&2; exit 1; }
	npm ci --no-audit --no-fund --silent
	@touch $@

install: $(VENV)/.installed node_modules/.installed

migrate: install
	DEBUG=1 $(PY) -m devtools.devdb run -- bash -c "$(PY) manage.py migrate --no-input -v0 && $(PY) manage.py createcachetable"

# Serve the demo on http://127.0.0.1:$(PORT) with a Celery worker and beat (file broker under var/broker);
# Ctrl-C stops the server, the worker, beat and the database it started.
run: install
	@DEBUG=1 $(PY) -m devtools.devdb run -- bash scripts/run.sh $(PORT) || [ $$? -eq 130 ]  # 130: stopped with Ctrl-C

test: install
	WIZZR_TESTING=1 $(PY) -m devtools.devdb run -- $(PY) -m pytest $(PYTEST_ARGS)

# Whole-page screenshots of the main pages of each role at 320, 768 and 1366 px wide, in var/screenshots
# as <role>-<page>-<width>.png (tests/browser/screenshots.py; `make test` does not collect it).
screenshots: install
	WIZZR_TESTING=1 WIZZR_SCREENSHOTS_DIR=var/screenshots $(PY) -m devtools.devdb run -- $(PY) -m pytest tests/browser/screenshots.py -q $(PYTEST_ARGS)

bench: install
	DEBUG=1 $(PY) -m devtools.devdb run -- $(PY) -m bench $(BENCH_ARGS)

worker: install
	DEBUG=1 $(PY) -m devtools.devdb run -- $(PY) -m celery -A wizzr worker --loglevel=INFO

lint: install
	$(PY) -m ruff check .

# Dutch is the source language (msgids), so only the English catalogue exists. No database is needed;
# tests/wizzr/test_translations.py extracts with the same options.
MESSAGES_IGNORE := --ignore=node_modules --ignore=.venv --ignore=var --ignore=tests --ignore=bench --ignore=test-results
messages: install
	DEBUG=1 DATABASE_URL=postgresql://unused/unused $(PY) manage.py makemessages -l en --no-obsolete --add-location=file $(MESSAGES_IGNORE)
	DEBUG=1 DATABASE_URL=postgresql://unused/unused $(PY) manage.py compilemessages -l en $(MESSAGES_IGNORE)

# CI tools in their own venv: pip-audit and Docker Compose v2 (no Docker engine needed).
$(CI_VENV)/.installed: requirements-ci.lock $(VENV)/.installed
	@test -x $(CI_VENV)/bin/python || $(PY) -m venv $(CI_VENV)
	$(CI_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-ci.lock
	@touch $@

# Dependency vulnerability audit of requirements.lock (needs the network to the vulnerability database).
audit: $(CI_VENV)/.installed
	$(CI_VENV)/bin/python scripts/audit.py requirements.lock

# `docker compose config` on docker-compose.yml with .env.example, plus the shape the README promises.
compose-check: $(CI_VENV)/.installed
	$(CI_VENV)/bin/python scripts/compose-check.py $(CI_VENV)/bin/docker-compose

# Django's deployment checklist against the production settings (see scripts/deploy-check.sh).
deploy-check: install
	$(PY) -m devtools.devdb run -- bash scripts/deploy-check.sh

stop-db:
	$(PY) -m devtools.devdb stop

clean-db: stop-db
	rm -rf var/pgdata var/run
