# yqplan — run `make help` for the targets.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PARAMS ?= params/demo.yaml

.DEFAULT_GOAL := help
.PHONY: help env report test lab notebooks bench faults clean

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[1m%-8s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name yqplan --display-name "Python (yqplan)" >/dev/null
	@# byte-compile now: a shell with PYTHONDONTWRITEBYTECODE would recompile yqplan on every command
	$(BIN)/python -m compileall -q yqplan >/dev/null
	@touch $@

env: $(STAMP) ## create or update the virtualenv in .venv (done by the other targets too)

report: $(STAMP) ## run the main job on the bundled demonstration data; HTML under reports/
	$(BIN)/yqplan report --params $(PARAMS)

test: $(STAMP) ## run every test
	$(BIN)/python -m pytest

notebooks: $(STAMP) ## rewrite notebooks/*.ipynb from their sources notebooks/*.py (jupytext)
	$(BIN)/jupytext --to ipynb --update notebooks/[0-9]*.py

lab: $(STAMP) ## start JupyterLab on notebooks/ with the project's kernel
	$(BIN)/jupyter lab --notebook-dir=notebooks

bench: $(STAMP) ## run the benchmark scripts in bench/ (needs ../shared/data)
	@for f in bench/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

faults: $(STAMP) ## random-kill and lock-race campaign on the store (prints trials, states seen, losses)
	$(BIN)/python bench/fault_campaign.py

clean: ## remove generated files (reports, demo archive, store, caches); keeps .venv
	rm -rf reports/runs reports/latest data/demo data/demo-store data/store .pytest_cache build yqplan.egg-info
