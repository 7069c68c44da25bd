# village-ledger: `make demo` checks the sample township and renders its reports; `make test` runs the tests.
# Both set everything up first: a virtual environment in .venv and, where missing, the system
# packages (CJK fonts, the libraries WeasyPrint needs, Chromium for the browser tests).

VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= out
PYTHON ?= python3

.PHONY: setup system-deps demo test lint bench docs clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

system-deps:
	@sh scripts/system-deps.sh

setup: system-deps $(BIN)/.installed

demo: setup
	@sh scripts/demo.sh "$(BIN)" "$(OUT)"

test: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest -q -n auto

# the rule tables, the rule catalogue and the guide's chart, policy and command reference
docs: setup
	$(BIN)/python scripts/generate_docs.py

bench: setup
	$(BIN)/python bench/run.py

clean:
	rm -rf $(OUT) .pytest_cache .ruff_cache
