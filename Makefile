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
TEST_ENV = SECRET_KEY=test-only-not-secret DEBUG=false \
	STATICFILES_BACKEND=django.contrib.staticfiles.storage.StaticFilesStorage

.PHONY: help install install-test run test migrate seed clean lighthouse serve bench

help:
	@echo "make run    create .venv, install, migrate, seed, serve on http://127.0.0.1:$(PORT)/"
	@echo "make test   install test tools and run the whole suite"
	@echo "make serve  production mode: DEBUG off, gunicorn, whitenoise, on 127.0.0.1:$(PORT)"
	@echo "make bench  measure cached pages against whitenoise and nginx (needs wrk, nginx)"

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

run: seed
	@$(LOCAL_ENV) $(PY) manage.py local_admin --port $(PORT)
	$(LOCAL_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install-test
	$(TEST_ENV) $(PY) -m pytest $(PYTEST_ARGS)

# Lighthouse scores of the guide page, mobile and desktop (needs `npm ci`).
lighthouse: install
	scripts/lighthouse.sh

clean:
	rm -rf $(VENV) .pytest_cache build

# Production mode on this machine: DEBUG off, static files collected and
# served by whitenoise, gunicorn workers (compare_site/gunicorn.conf.py).
SERVE_ENV = DEBUG=false SECRET_KEY="$${SECRET_KEY:-$$(cat .secret_key)}"

serve: install .secret_key
	$(SERVE_ENV) $(PY) manage.py collectstatic --noinput -v0
	$(SERVE_ENV) $(PY) manage.py migrate --noinput -v0
	$(SERVE_ENV) PORT=$(PORT) exec $(VENV)/bin/gunicorn -c compare_site/gunicorn.conf.py compare_site.wsgi

# Not part of `make test`: about eight minutes, ports 8400-8401. See docs/performance.md.
bench: install
	$(PY) bench/run.py
