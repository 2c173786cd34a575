# Two commands: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PORT

.PHONY: run test lint typecheck pytest bench lock clean

$(VENV)/.installed: pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "tracktwo needs Python 3.11 or newer")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $@

# The demo's sign-in is printed last, just before the server starts (serve does not migrate
# again, so nothing else comes between them).
run: $(VENV)/.installed
	$(VENV)/bin/tracktwo migrate --no-input
	@$(VENV)/bin/tracktwo demo --if-absent
	@$(VENV)/bin/tracktwo serve --port $(PORT) --no-migrate

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check tracktwo tests bench
	$(VENV)/bin/ruff format --check tracktwo tests bench

typecheck: $(VENV)/.installed
	$(VENV)/bin/mypy

pytest: $(VENV)/.installed
	$(PY) tests/run_suites.py

test: lint typecheck pytest

bench: $(VENV)/.installed
	$(PY) -m pip install --quiet -c requirements.lock -e '.[dev,bench]'

# Re-pin after changing pyproject.toml: installs into the venv and freezes it.
lock: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	$(PY) -m pip freeze --exclude-editable | grep -v '^tracktwo' > requirements.lock

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
