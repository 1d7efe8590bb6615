# Two commands on a fresh machine: `make run` (service on SQLite with demo data) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint bench clean

$(BIN)/.installed: pyproject.toml tests/identity/oidc/package-lock.json tests/adr/package-lock.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[service,dev]'
	npm ci --prefix tests/identity/oidc --no-audit --no-fund  # the OpenID Connect provider of tests/service/identity
	npm ci --prefix tests/adr --no-audit --no-fund --ignore-scripts  # Spectral, the ADR linter (tests/adr); no install scripts
	touch $@

run: export BIBOB_DATABASE_URL ?= sqlite:///var/bibob.sqlite3
run: $(BIN)/.installed
	mkdir -p var
	$(BIN)/bibob migrate
	$(BIN)/bibob demo --host $(HOST) --port $(PORT)
	$(BIN)/bibob user demo --host $(HOST) --port $(PORT)
	$(BIN)/bibob serve --host $(HOST) --port $(PORT)

test: $(BIN)/.installed
	$(BIN)/python -m pytest

lint: $(BIN)/.installed
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

letter-examples: $(BIN)/.installed  # docs/letters/*.pdf and .png (needs pdftoppm from poppler-utils)
	$(BIN)/python scripts/letter_examples.py

bench: $(BIN)/.installed
	for script in bench/*.py; do $(BIN)/python -P $$script || exit 1; done  # -P: bench/http.py must not hide the stdlib http

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
