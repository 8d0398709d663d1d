# Tradepost: `make run` to try it, `make test` to prove it, `make bench` to measure it.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
PYTEST_WORKERS ?= 2
# make test-clock: days to move the clock by, one run each (two years ahead, one year back)
CLOCK_SHIFT_DAYS ?= 730 -365
CHROMIUM := /usr/bin/chromium

.PHONY: run install dev test lint test-postgres test-sqlite test-clock bench docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	@touch $@

$(VENV)/.dev-installed: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e ".[dev]"
	@touch $@

install: $(VENV)/.installed

dev: $(VENV)/.dev-installed

## run: migrate the embedded SQLite database, load the demo once, serve on :8000 with a worker
run: install
	$(BIN)/tradepost migrate --noinput -v0
	$(BIN)/tradepost demo --if-empty
	@# The worker (webhooks, emails, periodic jobs) runs beside the server and stops with it.
	$(BIN)/tradepost worker & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
		$(BIN)/tradepost serve

## test: lint, type-check, the whole suite on PostgreSQL and on SQLite, the clock moved
test: lint test-postgres test-sqlite test-clock
	@# Without Chromium the browser tests skip, one line each in a long report: say so last.
	@[ -x $(CHROMIUM) ] || echo "make test: the browser tests (tests/dashboard/browser) did NOT run:" \
		"no Chromium at $(CHROMIUM). To run them: sudo apt-get install -y chromium && make test"

lint: dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	DATABASE_URL= $(BIN)/tradepost makemigrations --check --dry-run -v0

test-postgres: dev
	DATABASE_URL=$(TEST_DATABASE_URL) TRADEPOST_REQUIRE_DATABASE=postgresql \
		$(BIN)/pytest -n $(PYTEST_WORKERS) -p no:cacheprovider

test-sqlite: dev
	DATABASE_URL= TRADEPOST_REQUIRE_DATABASE=sqlite \
		$(BIN)/pytest -n $(PYTEST_WORKERS) -p no:cacheprovider

## test-clock: the time-sensitive tests (tests/time_sensitive.py) with the clock moved years away
test-clock: dev
	@for days in $(CLOCK_SHIFT_DAYS); do \
		echo "time-sensitive tests with the clock moved $$days days"; \
		DATABASE_URL=$(TEST_DATABASE_URL) TRADEPOST_REQUIRE_DATABASE=postgresql \
		TRADEPOST_TEST_CLOCK_SHIFT_DAYS=$$days \
			$(BIN)/pytest -n $(PYTEST_WORKERS) -p no:cacheprovider -m time_sensitive || exit 1; \
	done

## bench: 100k orders in PostgreSQL, then API throughput and list latency (see docs/operations.md)
bench: dev
	$(BIN)/python -m bench.run

## docs: regenerate docs/lifecycle.md and the tables of docs/disputes.md and docs/returns.md
docs: install
	$(BIN)/tradepost lifecycle_docs
	$(BIN)/tradepost disputes_docs
	$(BIN)/tradepost returns_docs

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
