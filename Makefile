# linkflyt — two commands matter: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
TASKS_VENV := .venv-tasks
PY := $(VENV)/bin/python
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: run test lint typecheck unit integration e2e bench lock clean fmt

$(VENV)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -r requirements.lock
	touch $@

$(TASKS_VENV)/.installed: requirements-tasks-emulator.lock
	$(PYTHON) -m venv $(TASKS_VENV)
	$(TASKS_VENV)/bin/pip install -q --disable-pip-version-check -r requirements-tasks-emulator.lock
	touch $@

deps: $(VENV)/.installed $(TASKS_VENV)/.installed

run: deps
	$(PY) -m scripts.stack

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(VENV)/.installed
	$(VENV)/bin/mypy

unit: $(VENV)/.installed
	$(PY) -m pytest tests/unit -q

test: deps lint typecheck
	$(PY) -m pytest -q tests

bench: deps
	$(PY) -m bench.intake

fmt: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

lock: $(VENV)/.installed
	(echo "# Full pinned set for the dev/test venv (.venv). Regenerate: make lock"; $(VENV)/bin/pip freeze) > requirements.lock

clean:
	rm -rf $(VENV) $(TASKS_VENV) var .pytest_cache .mypy_cache .ruff_cache
