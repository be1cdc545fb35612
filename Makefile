# Hotline 12345 — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
export HOTLINE_DATA_DIR ?= var
# `make run` is a local demo: DEBUG on unless the caller says otherwise.
RUN_DEBUG ?= true

.PHONY: run test lint fmt typecheck pytest pytest-pg messages vendor screenshots clean

# The venv is rebuilt only when pyproject.toml changes, so a second `make run` starts fast.
$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

# Compile the translation catalogues (.po -> .mo) with polib: no gettext tools needed.
messages: $(STAMP)
	@$(BIN)/python -m hotline.i18n compile

run: $(STAMP) messages
	@mkdir -p $(HOTLINE_DATA_DIR)
	DEBUG=$${DEBUG:-$(RUN_DEBUG)} $(BIN)/hotline migrate --no-input -v 0
	DEBUG=$${DEBUG:-$(RUN_DEBUG)} $(BIN)/hotline demo --if-empty
	DEBUG=$${DEBUG:-$(RUN_DEBUG)} $(BIN)/hotline serve --port $(PORT) --with-worker --print-logins

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: $(STAMP)
	SECRET_KEY=typecheck-only-key-not-used-to-sign-anything DEBUG=false $(BIN)/mypy hotline

# The whole suite on SQLite and on PostgreSQL (DATABASE_URL if it points at PostgreSQL, else a
# throwaway cluster started here if the server binaries exist), side by side on two cores or more:
# see bin/test-suites (TEST_JOBS=1 runs them one after the other).
test: $(STAMP) messages lint typecheck
	env -u DATABASE_URL SECRET_KEY=check-only-key-not-used-to-sign-anything DEBUG=false $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m hotline.i18n check
	VENV_BIN=$(BIN) bin/test-suites

pytest-pg: $(STAMP)
	@if [[ "$${DATABASE_URL:-}" == postgres* ]]; then \
	  echo "== test suite on PostgreSQL ($${DATABASE_URL%%@*}@…)"; $(BIN)/pytest; \
	else \
	  dir=$$(mktemp -d /tmp/hotline-pg.XXXXXX); \
	  if url=$$(bin/pg-throwaway start $$dir); then \
	    echo "== test suite on a throwaway PostgreSQL cluster"; \
	    DATABASE_URL=$$url $(BIN)/pytest; rc=$$?; bin/pg-throwaway stop $$dir; rm -rf $$dir; exit $$rc; \
	  else \
	    echo "== PostgreSQL: no server could be started here; suite ran on SQLite only"; rm -rf $$dir; \
	  fi; \
	fi

# Refresh docs/screenshots/ from the browser tests (needs /usr/bin/chromium).
screenshots: $(STAMP) messages
	HOTLINE_SCREENSHOTS=1 $(BIN)/pytest tests/browser

# Refresh the vendored front-end files from their npm packages (needs npm and the registry).
vendor:
	bin/vendor-assets

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache
