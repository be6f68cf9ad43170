# Keyless Care Portal. `make run` serves the demo, `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
WORKERS ?= 2
export FLASK_APP := portal

.PHONY: run prod-local prod-local-stop test bench lint format messages translations install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

translations: install
	$(BIN)/python scripts/catalogs.py compile >/dev/null

## Serve the portal with one background-job consumer beside it; Ctrl-C stops both.
# Links in letters and calendar files point at the address served (unless PORTAL_PORTAL_URL says).
export PORTAL_PORTAL_URL ?= http://$(HOST):$(PORT)

run: install translations
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo --if-empty
	@echo "Serving on http://$(HOST):$(PORT)  (Ctrl-C stops the web server and the job consumer)"
	@PORTAL_INSECURE_COOKIES=1 PORTAL_MFA_REQUIRED_ROLES='[]' bash -c 'trap "kill 0" INT TERM EXIT; \
		$(BIN)/flask jobs worker & \
		$(BIN)/gunicorn --config gunicorn.conf.py --workers $(WORKERS) --bind $(HOST):$(PORT) \
			--access-logfile - "portal:create_app()"'

## The production shape on this machine: PostgreSQL, Redis, two gunicorn processes on one port,
# two huey consumers (bench/prod_local.py; PROD_REDIS_URL, PROD_PG_SERVER). Ctrl-C stops it all.
prod-local: install translations
	$(BIN)/python bench/prod_local.py start --port $(PORT)

prod-local-stop:
	$(BIN)/python bench/prod_local.py stop

test: install-dev translations
	$(BIN)/python scripts/catalogs.py check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install-dev translations
	$(BIN)/python bench/run.py

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Re-extract strings into every catalog (then translate the new da/sv entries).
messages: install-dev
	$(BIN)/python scripts/catalogs.py update

clean:
	rm -rf $(VENV) build *.egg-info
