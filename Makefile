# WIZZR — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON_VERSION := $(shell cat .python-version)
PY_SYSTEM := $(shell command -v pyenv >/dev/null 2>&1 && pyenv which python 2>/dev/null || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test install migrate demo serve bench lint messages clean-db stop-db worker

$(VENV)/.installed: requirements.lock pyproject.toml
	@test -x $(PY) || $(PY_SYSTEM) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	@touch $@

install: $(VENV)/.installed node_modules/.installed

migrate: install
	DEBUG=1 $(PY) -m wizzr.devdb run -- bash -c "$(PY) manage.py migrate --no-input -v0 && $(PY) manage.py createcachetable"

run: install
	DEBUG=1 $(PY) -m wizzr.devdb run -- bash scripts/run.sh $(PORT)

test: install
	WIZZR_TESTING=1 $(PY) -m wizzr.devdb run -- $(PY) -m pytest $(PYTEST_ARGS)

bench: install
	DEBUG=1 $(PY) -m wizzr.devdb run -- $(PY) -m bench $(BENCH_ARGS)

worker: install
	DEBUG=1 $(PY) -m celery -A wizzr worker --loglevel=INFO

lint: install
	$(PY) -m ruff check .

messages: install
	DEBUG=1 $(PY) manage.py makemessages -l nl -l en --ignore=node_modules --ignore=.venv --ignore=var
	DEBUG=1 $(PY) manage.py compilemessages --ignore=node_modules --ignore=.venv

stop-db:
	$(PY) -m wizzr.devdb stop

clean-db: stop-db
	rm -rf var/pgdata
