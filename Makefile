# Two commands set up a fresh machine: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO := demo

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

## demo: install, synthesize a ~200k-record register, screen it, print the summary
demo: $(STAMP)
	mkdir -p $(DEMO)
	$(BIN)/nadzor synth --records 200000 --seed 2022 --dirty --out $(DEMO)/register.csv
	$(BIN)/nadzor screen $(DEMO)/register.csv --out $(DEMO)/findings.csv \
		--rejects $(DEMO)/rejects.csv --summary $(DEMO)/summary.csv; \
		code=$$?; [ $$code -eq 0 ] || [ $$code -eq 3 ]
	@echo "Outputs are in $(DEMO)/: findings.csv, rejects.csv, summary.csv"

## test: the whole test suite, then the store tests again on PostgreSQL (NADZOR_TEST_POSTGRES)
test: $(STAMP)
	$(BIN)/pytest -q
	NADZOR_TEST_STORE=$${NADZOR_TEST_POSTGRES:-postgresql://postgres@127.0.0.1:5432/test} \
		$(BIN)/pytest -q -m store

## lint: ruff, mypy --strict on the pure packages, import contracts
lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

## bench: the 10-million-record benchmark (slow; run by hand)
bench: $(STAMP)
	$(BIN)/python benchmarks/screen_10m.py

clean:
	rm -rf $(DEMO) .pytest_cache .mypy_cache .ruff_cache
