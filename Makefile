# dxtrack — two commands: `make demo` and `make test`. Everything else is set up by them.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup demo serve test test-fast bench lint fmt browser clean

setup:
	@bash scripts/bootstrap.sh

demo: setup
	@$(BIN)/dxtrack demo
	@$(BIN)/dxtrack runserver $(HOST):$(PORT) --noreload

serve: setup
	@$(BIN)/dxtrack runserver $(HOST):$(PORT)

browser:
	@bash scripts/ensure_chromium.sh

test: setup browser
	@$(BIN)/pytest $(PYTEST_ARGS)

test-fast: setup
	@$(BIN)/pytest -m "not browser" $(PYTEST_ARGS)

bench: setup
	@$(BIN)/python -m bench.run

lint: setup
	@$(BIN)/ruff check .
	@$(BIN)/ruff format --check dxtrack bench scripts

fmt: setup
	@$(BIN)/ruff format dxtrack bench scripts
	@$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .tools var .pytest_cache .ruff_cache
