# accord: `make demo` runs the main job, `make test` the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PEER := .venv-negmas
PEER_PACKAGE := negmas==0.16.0
PEER_STAMP := $(PEER)/.installed

.PHONY: demo test lint bench peer clean messages

$(BIN)/python:
	@echo "Setting up Python in $(VENV)/ (first run only)"
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	@echo "Installing accord and its test tools into $(VENV)/ (after a change to pyproject.toml)"
	@$(BIN)/python -m pip install --quiet -e '.[test,lint,load]'
	@touch $(STAMP)

demo: $(STAMP)
	@ACCORD=$(BIN)/accord scripts/demo.sh

# ACCORD_SKIP_PEER=1 (named in the README) neither installs NegMAS nor fails its cross-checks: they skip
test: $(STAMP) $(if $(ACCORD_SKIP_PEER),,$(PEER_STAMP))
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

# the workbench's catalogue of words: every marked string into src/accord/web/locale/messages.pot, and
# every language's catalogue brought up to date (docs/translating.md)
messages: $(STAMP)
	$(BIN)/python scripts/messages.py

# the peer (NegMAS 0.16, AGPL) lives in its own environment; accord never imports it. The
# NegMAS cross-checks in the tests and the side-by-side table of make bench run it in a subprocess.
peer: $(PEER_STAMP)

$(PEER_STAMP):
	$(PYTHON) -m venv $(PEER)
	$(PEER)/bin/python -m pip install --quiet $(PEER_PACKAGE)
	touch $(PEER_STAMP)

bench: $(STAMP) $(PEER_STAMP)
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/engine.py --peer
	$(BIN)/python bench/scenario_io.py
	$(BIN)/python bench/leaks.py
	$(BIN)/python bench/robustness.py
	$(BIN)/python bench/estimate.py
	$(BIN)/python bench/briefing.py
	$(BIN)/python bench/ingest.py --libraries
	$(BIN)/python bench/load.py --workers 2 --think 1
	$(BIN)/python bench/load.py --workers 2 --think 0

clean:
	rm -rf $(VENV) $(PEER) .pytest_cache .mypy_cache .ruff_cache .hypothesis
