# Tradepost: `make run` to try it, `make test` to prove it, `make bench` to measure it.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
PYTEST_WORKERS ?= 2

.PHONY: run install dev test lint test-postgres test-sqlite bench docs clean

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

## test: lint, type-check, then the whole suite on PostgreSQL and on SQLite
test: lint test-postgres test-sqlite

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
