# The two commands of the README: `make run` serves the demo programme, `make test` runs every test.
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 5000
STAMP := $(VENV)/.installed

.PHONY: install run test lint test-sqlite test-postgres translations translations-update check screenshots clean mutation

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

translations: $(STAMP)
	$(VENV)/bin/pybabel -q compile -d hub/translations

# After changing interface strings: extract them, then translate the new entries in messages.po.
translations-update: $(STAMP)
	$(VENV)/bin/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
		-o hub/translations/messages.pot hub participants workshops irritants exports
	$(VENV)/bin/pybabel -q update -d hub/translations -i hub/translations/messages.pot --no-fuzzy-matching --ignore-obsolete

install: $(STAMP) translations

run: install
	$(VENV)/bin/hub db upgrade
	$(VENV)/bin/hub registry load
	$(VENV)/bin/hub demo
	@echo "Hub servi sur http://127.0.0.1:$(PORT), travaux de fond (rendu du rapport) par hub worker"
	# The worker renders published reports beside the web server, and stops with it.
	$(VENV)/bin/hub worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(VENV)/bin/gunicorn --workers 2 --bind 127.0.0.1:$(PORT) --access-logfile - 'hub:create_app()'

# SQLite always; PostgreSQL too when HUB_TEST_POSTGRES_URL names a database
# (CI sets HUB_REQUIRE_POSTGRES=1, so a missing database fails instead of being skipped).
test: install lint test-sqlite test-postgres

# ruff for style; lint-imports for the floors of DESIGN §5 and the method's purity (contracts in .importlinter).
lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache

test-sqlite:
	$(PY) -m pytest

test-postgres:
	@if [ -n "$$HUB_TEST_POSTGRES_URL" ]; then \
		echo "== Suite sur PostgreSQL =="; \
		HUB_TEST_DATABASE_URL="$$HUB_TEST_POSTGRES_URL" $(PY) -m pytest -m "not browser"; \
	elif [ "$$HUB_REQUIRE_POSTGRES" = "1" ]; then \
		echo "HUB_REQUIRE_POSTGRES=1 mais HUB_TEST_POSTGRES_URL est vide : PostgreSQL est requis."; exit 1; \
	else \
		echo "PostgreSQL non configuré (HUB_TEST_POSTGRES_URL) : suite PostgreSQL non lancée."; \
	fi

# A fresh database, migrated, must match the models: no migration is missing.
check: install
	@dir=$$(mktemp -d) && export DATABASE_URL="sqlite:///$$dir/check.db" && \
		$(VENV)/bin/hub db upgrade && $(VENV)/bin/hub db check && rm -rf "$$dir"

# The main page of each role, photographed in Chromium over the demo programme, for the README.
screenshots: install
	HUB_REQUIRE_BROWSER=1 HUB_SCREENSHOTS_DIR=$(CURDIR)/docs/screenshots $(PY) -m pytest -q tests/browser/test_screenshots.py

# Mutation testing of the method's pure modules against its fast tests (bench/mutation.py): not part of `make test`.
mutation: install
	$(PY) bench/mutation.py

clean:
	rm -rf $(VENV) instance .pytest_cache
