# PI Champion: `make run` serves the platform with a demo organisation; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export HOST ?= 127.0.0.1
export PORT ?= 8000

.PHONY: run test lint bench e2e install

$(BIN)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "PI Champion needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

install: $(BIN)/.installed

run: install
	@DEBUG=$${DEBUG:-1} $(BIN)/champion manage migrate --no-input -v 0
	@DEBUG=$${DEBUG:-1} $(BIN)/champion demo
	@DEBUG=$${DEBUG:-1} TASKS_BACKEND=$${TASKS_BACKEND:-database} $(BIN)/champion serve

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	DEBUG=1 $(BIN)/mypy
	$(BIN)/lint-imports --no-cache

test: install
	@scripts/ensure-chromium
	@scripts/ensure-xmlsec1
	$(MAKE) lint
	DEBUG=1 $(BIN)/champion manage check --fail-level WARNING
	DEBUG=1 $(BIN)/champion manage makemigrations --check --dry-run
	$(BIN)/champion content check
	@scripts/pytest-strict

e2e: install
	@scripts/ensure-chromium
	@scripts/pytest-strict -m browser

bench: install
	$(BIN)/python bench/run.py
