# dxtrack — two commands: `make demo` and `make test`. Everything else is set up by them.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup demo serve test test-fast test-scaleout bench bench-national lint fmt browser office ocr clean

setup:
	@bash scripts/bootstrap.sh

# The demo as production runs it: gunicorn, `dxtrack worker` and `dxtrack scheduler` (Ctrl-C stops all).
demo: setup office ocr
	@HOST=$(HOST) PORT=$(PORT) bash scripts/demo.sh

# Django's development server (reloads on edits); background work runs in-process here.
serve: setup
	@$(BIN)/dxtrack runserver $(HOST):$(PORT)

browser:
	@bash scripts/ensure_chromium.sh

office:
	@bash scripts/ensure_office.sh

# Tesseract with Debian's Vietnamese data, for scanned plans (docs/adr/00XX-ocr-for-scanned-plans.md).
ocr:
	@bash scripts/ensure_ocr.sh

# One pytest worker per core (pytest-xdist, a test database each; tests that share a costly start
# stay on one worker). Python writes its bytecode caches even where PYTHONDONTWRITEBYTECODE is set:
# without them every run (and every worker) compiles Django and the test modules again (~8 s CPU).
PYTEST_WORKERS ?= -n auto --dist loadgroup
PYTEST := env -u PYTHONDONTWRITEBYTECODE $(BIN)/pytest

test: setup browser office ocr
	@$(PYTEST) $(PYTEST_WORKERS) $(PYTEST_ARGS)

test-fast: setup
	@$(PYTEST) $(PYTEST_WORKERS) -m "not browser" $(PYTEST_ARGS)

# Two gunicorn servers and a worker on PostgreSQL + Redis (DATABASE_URL and DXTRACK_TEST_REDIS_URL set).
test-scaleout: setup
	@$(BIN)/pytest -m scaleout $(PYTEST_ARGS)

# `make bench ONLY=assistant` (or ONLY=assistant,publishing) runs only those; the others' figures stay.
bench: setup
	@$(BIN)/python -m bench.run $(if $(ONLY),--only $(ONLY))

# The national data set (about 10 million values, generated once) and its benchmarks, on
# PostgreSQL: about 15 minutes, so not part of `make bench` unless DXTRACK_NATIONAL_SCALE is set.
bench-national: setup
	@$(BIN)/python -m bench.national

lint: setup
	@$(BIN)/ruff check .
	@$(BIN)/ruff format --check dxtrack bench scripts
	@$(BIN)/lint-imports

fmt: setup
	@$(BIN)/ruff format dxtrack bench scripts
	@$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .tools var .pytest_cache .ruff_cache
