# giaudit — `make help` lists the targets.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SAMPLE ?= data/samples/jiangle-2024.txt
OUT    ?= reports

.DEFAULT_GOAL := help
.PHONY: help audit test lint bench env env-test clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.stamp-base: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	@touch $@

$(VENV)/.stamp-test: pyproject.toml $(VENV)/.stamp-base
	$(BIN)/python -m pip install -q -e ".[test,parquet]"
	@touch $@

env: $(VENV)/.stamp-base  ## create .venv with giaudit installed

env-test: $(VENV)/.stamp-test  ## create .venv with the test extras

audit: env  ## parse the bundled sample report and write its tables to reports/
	@mkdir -p $(OUT)
	$(BIN)/giaudit parse $(SAMPLE) > $(OUT)/jiangle-2024-tables.txt
	$(BIN)/giaudit parse $(SAMPLE) --json > $(OUT)/jiangle-2024.json
	@cat $(OUT)/jiangle-2024-tables.txt
	@echo
	@echo "Result: $(OUT)/jiangle-2024-tables.txt and $(OUT)/jiangle-2024.json"

test: env-test  ## run every test
	$(BIN)/python -m pytest -q

lint: env-test  ## ruff
	$(BIN)/ruff check giaudit tests benchmarks

bench: env-test  ## run the benchmarks and rewrite docs/benchmarks.md
	$(BIN)/python benchmarks/bench_parse.py --write docs/benchmarks.md

clean:  ## remove the environment and generated output
	rm -rf $(VENV) $(OUT) .pytest_cache .hypothesis
