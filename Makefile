# giaudit — `make help` lists the targets.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SAMPLE ?= data/samples/jiangle-2024.txt
OUT    ?= reports

.DEFAULT_GOAL := help
.PHONY: help audit test test-devset lint bench lab env env-test browser clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.stamp-base: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[notebooks,pdf,docx]"
	@touch $@

$(VENV)/.stamp-test: pyproject.toml $(VENV)/.stamp-base
	$(BIN)/python -m pip install -q -e ".[notebooks,pdf,docx,xlsx,dask,test,parquet,ocr]"
	@touch $@

$(VENV)/.stamp-lab: pyproject.toml $(VENV)/.stamp-base
	$(BIN)/python -m pip install -q -e ".[lab]"
	@touch $@

env: $(VENV)/.stamp-base  ## create .venv with giaudit and the notebook extras

env-test: $(VENV)/.stamp-test  ## create .venv with the test extras

audit: env  ## audit the bundled sample and render its HTML write-up into reports/
	@mkdir -p $(OUT)
	$(BIN)/giaudit audit $(SAMPLE)
	@echo
	@path=$$($(BIN)/giaudit render $(SAMPLE) -o $(OUT)) && echo "Write-up: $$path"

browser:  ## Debian's chromium for the write-up tests (installed with apt-get when missing and run as root)
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	  { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || \
	  { echo "make test: the write-up tests need a browser: sudo apt-get install chromium" >&2; exit 2; }

test: env-test browser  ## run every test: pytest, then nbval on the notebooks
	$(BIN)/python -m pytest -q
	$(BIN)/python -m pytest -q --nbval-lax --nbval-current-env --nbval-sanitize-with notebooks/sanitize.cfg notebooks

DEVSET ?= ../shared/reports
BASE   ?= HEAD~1

test-devset: env-test  ## run the dev-set tests on ../shared/reports (real reports not in the repo)
	@test -d $(DEVSET) || { echo "make test-devset: $(DEVSET) not found; it holds the dev set of real reports (CI has it beside the clone)" >&2; exit 2; }
	$(BIN)/python -m pytest -q -m devset

lab: $(VENV)/.stamp-lab  ## open JupyterLab on the notebooks
	$(BIN)/jupyter lab notebooks

lint: env-test  ## ruff
	$(BIN)/ruff check giaudit tests benchmarks

bench: env-test  ## run the benchmarks and rewrite docs/benchmarks.md
	$(BIN)/python benchmarks/bench_parse.py --write docs/benchmarks.md
	$(BIN)/python benchmarks/bench_render.py --write docs/benchmarks.md
	$(BIN)/python benchmarks/bench_pdf.py --write docs/benchmarks.md
	$(BIN)/python benchmarks/bench_corpus.py --write docs/benchmarks.md
	$(BIN)/python benchmarks/bench_against.py $(BASE) --write docs/benchmarks.md
	$(BIN)/python benchmarks/objects.py --write docs/benchmarks.md
	$(BIN)/python benchmarks/columns_estimate.py --write docs/benchmarks.md

clean:  ## remove the environment and generated output
	rm -rf $(VENV) $(OUT) .pytest_cache .hypothesis
