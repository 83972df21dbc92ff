# compare_site: `make run` serves the site locally, `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# The first Python >= 3.12 on PATH (pyenv honours .python-version).
PYTHON ?= $(shell for p in python3 python3.14 python3.13 python3.12; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { echo $$p; break; }; done)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

# Local mode only: DEBUG on and a per-checkout secret key kept out of git.
LOCAL_ENV = DEBUG=true SECRET_KEY="$$(cat .secret_key)"
# Tests run with DEBUG off, as production does, and a throwaway key.
TEST_ENV = SECRET_KEY=test-only-not-secret DEBUG=false SECURE_SSL_REDIRECT=false \
	STATICFILES_BACKEND=django.contrib.staticfiles.storage.StaticFilesStorage

# Production-like: only what the environment says, DEBUG off. Plain HTTP on
# loopback, so no redirect to HTTPS unless asked (behind a TLS proxy, set
# SECURE_SSL_REDIRECT=true); the key comes from .secret_key unless exported.
SERVE_ENV = DEBUG=false SECRET_KEY="$${SECRET_KEY:-$$(cat .secret_key)}" \
	SECURE_SSL_REDIRECT="$${SECURE_SSL_REDIRECT:-false}" PORT=$(PORT)

.PHONY: help install install-test run worker test migrate seed clean lighthouse serve bench

help:
	@echo "make run    create .venv, install, migrate, seed, serve on http://127.0.0.1:$(PORT)/"
	@echo "make serve  production-like: gunicorn + whitenoise, DEBUG off, on http://127.0.0.1:$(PORT)/"
	@echo "make worker the background worker alone (make run starts one too)"
	@echo "make test   install test tools and run the whole suite"
	@echo "make bench  reader pages at 100 and 10,000 frameworks, then wrk at c=64 (needs wrk, nginx)"

$(PY):
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed (none found on PATH)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-test: requirements-test.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-test.txt
	@touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

.secret_key: | $(PY)
	@umask 077 && $(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

migrate: install .secret_key
	$(LOCAL_ENV) $(PY) manage.py migrate --noinput

seed: migrate
	$(LOCAL_ENV) $(PY) manage.py seed --if-empty

# The worker (collection runs, "Add from a package name") runs beside the
# development server and stops with it.
run: seed
	@$(LOCAL_ENV) $(PY) manage.py local_admin --port $(PORT)
	@echo "Background worker started (collects figures when asked); it stops with the server."
	@$(LOCAL_ENV) $(PY) manage.py db_worker --no-reload --verbosity 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(LOCAL_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Carries out queued background tasks: collection runs and package look-ups.
worker: migrate
	$(LOCAL_ENV) $(PY) manage.py db_worker

serve: install .secret_key
	$(SERVE_ENV) $(PY) manage.py migrate --noinput
	$(SERVE_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	$(SERVE_ENV) exec $(VENV)/bin/gunicorn -c compare_site/gunicorn.conf.py

test: install-test
	@scripts/test-deps.sh
	$(VENV)/bin/lint-imports --no-cache
	$(TEST_ENV) $(PY) -m pytest $(PYTEST_ARGS)

# Lighthouse scores of the guide page, mobile and desktop (needs `npm ci`).
lighthouse: install
	scripts/lighthouse.sh

clean:
	rm -rf $(VENV) .pytest_cache build

# Not part of `make test`: about eight minutes, ports 8400-8401. See docs/performance.md.
bench: install
	$(PY) bench/run.py
