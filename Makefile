# The two commands: `make run` and `make test`. Everything else is a step
# they need, or a tool for developers.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run demo test lint format check-python messages bench screenshots clean

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found %s)" % sys.version.split()[0])'

$(STAMP): pyproject.toml constraints.txt | check-python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Sets up the database with the bundled framework and the demo
# organisation, then serves on http://$(HOST):$(PORT).
demo: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_framework
	DEBUG=1 $(BIN)/python manage.py load_demo
	DEBUG=1 $(BIN)/python manage.py load_demo_catalogue
	DEBUG=1 $(BIN)/python manage.py load_demo_levels
	DEBUG=1 $(BIN)/python manage.py load_demo_conversations

run: demo
	@echo "Serving on http://$(HOST):$(PORT)/"
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install lint
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The performance budgets (bench/README.md) on a generated municipality: in
# bench/bench.sqlite3, or in the database of DATABASE_URL when it is set.
# BENCH_ARGS passes options, e.g. BENCH_ARGS="--people 2000".
bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Developer tool: needs GNU gettext. The compiled .mo files are committed so
# that running the product does not.
messages: install
	DEBUG=1 $(BIN)/python manage.py makemessages --locale nb --no-obsolete --ignore '$(VENV)/*'
	DEBUG=1 $(BIN)/python manage.py compilemessages --locale nb --ignore '$(VENV)/*'

# The main pages at desktop and phone width, for the README. Needs
# Chromium at /usr/bin/chromium.
screenshots: install
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/browser/screenshots.py

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles
	rm -rf bench/*.sqlite3* bench/hr bench/generated.json
