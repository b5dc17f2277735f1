# The commands a newcomer needs. See README.md.
# The newest Python that pyproject.toml's requires-python allows and that runs: a pyenv shim of
# a version that is not activated is on the PATH but fails, so each is run, not looked up.
# 3.13 only with DATABASE_URL: the project-local PostgreSQL (pgserver) has no build for it yet.
PYTHONS := $(if $(DATABASE_URL),3.13 3.12 3.11,3.12 3.11)
PYTHON ?= $(firstword $(foreach v,$(PYTHONS),$(if $(shell python$(v) -c '' 2>/dev/null && echo y),python$(v))) python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PORT

.PHONY: run test serve bench lighthouse setup install db messages lint format check stop-db clean

run: install ## set up and serve the site with demo content on http://127.0.0.1:$(PORT)
	@scripts/run

test: install ## set up and run every gate and test (what CI runs)
	@scripts/test

serve: setup ## the same site under gunicorn with production settings
	@scripts/serve

bench: setup ## measure the site under load (see bench/README.md)
	@$(PY) -m bench

lighthouse: setup ## Lighthouse scores of every public page type (see bench/README.md)
	@$(PY) -m bench.lighthouse --record

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,dev,s3]"
	@touch $@

setup: install ## migrate, create the cache table and load demo content (idempotent)
	@scripts/setup

messages: install ## gather new interface strings into locale/es (needs gettext) and compile
	$(PY) manage.py makemessages -l es --no-obsolete --ignore=.local --ignore=tests --ignore=bench --ignore=static --ignore=staticfiles --ignore=docs --ignore=scripts
	$(PY) manage.py compile_catalogues

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format:
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

stop-db: ## stop the embedded PostgreSQL
	$(PY) -m kindman.embedded_db stop

clean: stop-db
	rm -rf .local staticfiles
