# Two commands set up a fresh machine: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO := demo

.PHONY: demo test lint bench bench-web messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

## demo: install, then on embedded defaults: demo users, a synthesized and screened
## register of each built-in rulebook (call-ups, pay and kit, facility inspections, Ukrainian
## call-ups) imported
## as cases, a few complaints; then serve on http://127.0.0.1:8000
demo: $(STAMP)
	mkdir -p $(DEMO)
	$(BIN)/nadzor synth --records 200000 --seed 2022 --dirty --out $(DEMO)/register.csv
	$(BIN)/nadzor screen $(DEMO)/register.csv --out $(DEMO)/findings.csv \
		--rejects $(DEMO)/rejects.csv --summary $(DEMO)/summary.csv; \
		code=$$?; [ $$code -eq 0 ] || [ $$code -eq 3 ]
	$(BIN)/nadzor synth --rulebook ru-2022-provision --records 20000 --seed 2022 --dirty \
		--out $(DEMO)/provision.csv
	$(BIN)/nadzor screen $(DEMO)/provision.csv --rulebook ru-2022-provision --as-of 2023-06-01 \
		--lang ru --out $(DEMO)/provision-findings.csv --rejects $(DEMO)/provision-rejects.csv; \
		code=$$?; [ $$code -eq 0 ] || [ $$code -eq 3 ]
	$(BIN)/nadzor synth --rulebook ru-2022-facilities --records 5000 --seed 2022 --dirty \
		--out $(DEMO)/inspections.csv
	$(BIN)/nadzor screen $(DEMO)/inspections.csv --rulebook ru-2022-facilities --lang ru \
		--out $(DEMO)/inspection-findings.csv --rejects $(DEMO)/inspection-rejects.csv; \
		code=$$?; [ $$code -eq 0 ] || [ $$code -eq 3 ]
	$(BIN)/nadzor synth --rulebook ua-2022 --records 20000 --seed 2022 --dirty \
		--out $(DEMO)/ua-register.csv
	$(BIN)/nadzor screen $(DEMO)/ua-register.csv --rulebook ua-2022 --lang uk \
		--out $(DEMO)/ua-findings.csv --rejects $(DEMO)/ua-rejects.csv; \
		code=$$?; [ $$code -eq 0 ] || [ $$code -eq 3 ]
	@echo "Screening outputs are in $(DEMO)/: findings, rejects and summary of each register"
	$(BIN)/nadzor init --demo --db sqlite:///$(DEMO)/nadzor.db
	$(BIN)/nadzor cases import $(DEMO)/findings.csv --source demo-register \
		--register $(DEMO)/register.csv --db sqlite:///$(DEMO)/nadzor.db
	$(BIN)/nadzor cases import $(DEMO)/provision-findings.csv --source demo-provision \
		--register $(DEMO)/provision.csv --db sqlite:///$(DEMO)/nadzor.db
	$(BIN)/nadzor cases import $(DEMO)/inspection-findings.csv --source demo-inspections \
		--register $(DEMO)/inspections.csv --db sqlite:///$(DEMO)/nadzor.db
	$(BIN)/nadzor cases import $(DEMO)/ua-findings.csv --source demo-ua-register \
		--register $(DEMO)/ua-register.csv --db sqlite:///$(DEMO)/nadzor.db
	@echo "Serving on http://127.0.0.1:8000/ (staff: /staff/, API docs: /api/v1/docs); Ctrl-C stops"
	$(BIN)/nadzor serve --db sqlite:///$(DEMO)/nadzor.db --host 127.0.0.1 --port 8000

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

## bench-web: load test of nadzor serve on PostgreSQL with 100k cases (needs wrk and a local
## PostgreSQL; NADZOR_LOAD_DB, default postgresql://postgres@127.0.0.1:5432/nadzor_load, is dropped)
bench-web: $(STAMP)
	$(BIN)/python benchmarks/load_web.py --db $${NADZOR_LOAD_DB:-postgresql://postgres@127.0.0.1:5432/nadzor_load}

## messages: compile the Russian translations (src/nadzor/web/locale) after editing django.po
messages:
	cd src/nadzor/web/locale/ru/LC_MESSAGES && msgfmt --check -o django.mo django.po
	cd src/nadzor/web/locale/uk/LC_MESSAGES && msgfmt --check -o django.mo django.po

clean:
	rm -rf $(DEMO) .pytest_cache .mypy_cache .ruff_cache
