# Every target sets itself up from nothing: a new machine needs only `make demo` or `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)

.PHONY: demo test lint format bench clean browser

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

## demo: install, settle the example scenario of every region (tables), then serve the API on a fresh demo database
demo: $(STAMP)
	@for f in examples/*.json; do echo; echo "== $$f"; $(BIN)/sanchong scenario $$f || exit 1; done
	@echo; echo "== 演示服务 demo server (Ctrl-C 结束 to stop)"
	@$(BIN)/sanchong demo

## bench: HTTP settlements/s and p50/p99 on SQLite and PostgreSQL; batch vs online vs copy floor (writes var/bench/*.json)
bench: $(STAMP)
	$(BIN)/python bench/http_bench.py
	$(BIN)/python bench/batch_bench.py

## lint: ruff (lint and format check) and mypy (strict on engine and policy)
lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy

## browser: Debian's chromium and a Chinese font for the browser tests (tests/web), installed when missing
browser:
	@dpkg -s chromium fonts-wqy-zenhei >/dev/null 2>&1 || (apt-get update && apt-get install -y --no-install-recommends chromium fonts-wqy-zenhei)

## test: lint, then the whole test suite (including the staff pages in headless chromium)
test: lint browser
	$(BIN)/pytest

format: $(STAMP)
	$(BIN)/ruff format src tests
	$(BIN)/ruff check --fix src tests

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
