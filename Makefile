# linkflyt — two commands matter: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
TASKS_VENV := .venv-tasks
CHECKOV_VENV := .venv-checkov
PY := $(VENV)/bin/python
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: restore-drill i18n run test lint typecheck unit integration e2e bench lock clean fmt deps infra-check simulate dpia

$(VENV)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -r requirements.lock
	touch $@

# Translation catalogs (issue 11): .po in the repo, .mo compiled here (shared/catalogs.py compiles a
# stale or missing one in memory, so a skipped step is slower, never wrong).
MO_FILES := $(patsubst %.po,%.mo,$(wildcard shared/locale/*/LC_MESSAGES/*.po))
shared/locale/%.mo: shared/locale/%.po $(VENV)/.installed
	$(VENV)/bin/pybabel -q compile -i $< -o $@ --use-fuzzy

# Extract the marked texts, merge them into every catalog, compile (README § Translations).
i18n: $(VENV)/.installed
	$(PY) -m scripts.i18n all

$(TASKS_VENV)/.installed: requirements-tasks-emulator.lock
	$(PYTHON) -m venv $(TASKS_VENV)
	$(TASKS_VENV)/bin/pip install -q --disable-pip-version-check -r requirements-tasks-emulator.lock
	touch $@

$(CHECKOV_VENV)/.installed: requirements-checkov.lock
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install -q --disable-pip-version-check -r requirements-checkov.lock
	touch $@

deps: $(VENV)/.installed $(TASKS_VENV)/.installed $(MO_FILES)

run: deps
	$(PY) -m scripts.stack

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache  # architecture contracts in pyproject.toml (issue 20)

typecheck: $(VENV)/.installed
	$(VENV)/bin/mypy

unit: $(VENV)/.installed
	$(PY) -m pytest tests/unit -q

# Offline infra checks (issue 5): formatting, the Google provider's schema (issue 12) and checkov;
# tests/unit/test_infra.py checks infra/ against the code.
infra-check: $(CHECKOV_VENV)/.installed $(VENV)/.installed
	terraform fmt -check -recursive infra
	$(PY) -m scripts.infra_schema
	$(CHECKOV_VENV)/bin/checkov -d infra --quiet --compact --skip-download --framework terraform

test: deps lint typecheck infra-check
	$(PY) -m pytest -q --durations=20 tests

# A simulated year of the demo centre on the real workflow and the Firestore emulator (issue 8).
simulate: deps
	$(PY) -m bench.year --days 365 --duplicates 0.2 --crashes 0.02 --json var/year.json --outbox var/year-outbox

# The data protection impact assessment (issue 19), in bokmål, from the code's own registry of
# what it stores (shared/registry.py): var/dpia/dpia.html and a tagged PDF beside it.
dpia: $(VENV)/.installed
	$(PY) -m scripts.dpia

bench: deps
	$(PY) -m bench.intake
	$(PY) -m bench.assembly
	$(PY) -m bench.report
	$(PY) -m bench.coldstart
	$(PY) -m bench.importing

fmt: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

lock: $(VENV)/.installed
	(echo "# Full pinned set for the dev/test venv (.venv). Regenerate: make lock"; $(VENV)/bin/pip freeze) > requirements.lock

clean:
	rm -rf $(VENV) $(TASKS_VENV) $(CHECKOV_VENV) var .pytest_cache .mypy_cache .ruff_cache

# Export the emulator's data after a short simulated period, restore it into a fresh emulator and
# check it with the simulated year's invariants (issue 19; README § Backups and restore).
restore-drill: deps
	$(PY) -m bench.restore_drill --days 30
