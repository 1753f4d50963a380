# Bangkom: `make run` brings the portal up with demo data; `make test` runs the whole suite.
# Both set up everything they need on a fresh machine (virtualenv, packages, database, browser).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 5000
PYTEST_ARGS ?=
CATALOG := app/translations/id/LC_MESSAGES/messages
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)

.PHONY: run worker test setup setup-production system db browser lint migrations-check bench translations catalog clean

run: db  ## the portal on the embedded SQLite database with demo data
	@echo "Bangkom on http://$(HOST):$(PORT)  (demo logins: see README.md)"
	$(FLASK) run --host $(HOST) --port $(PORT)

worker: db  ## a Celery worker with the scheduler (beat) on REDIS_URL (see README, Background jobs)
	@test -n "$$REDIS_URL$$JOBS_BROKER_URL" || { echo "set REDIS_URL (e.g. redis://127.0.0.1:6379/0): without a broker jobs run inside the web process"; exit 2; }
	$(BIN)/celery -A app.jobs.worker worker --beat --concurrency $${WORKER_CONCURRENCY:-2} --loglevel INFO

test: setup browser  ## the whole suite (set DATABASE_URL to run it on PostgreSQL)
	$(BIN)/pytest $(PYTEST_ARGS)

setup: system $(STAMP) $(CATALOG).mo

# Debian packages the portal needs besides Python: Pango and fonts for WeasyPrint's PDFs,
# poppler-utils (pdftoppm, pdftotext) for the tests that read them. dpkg-query answers in
# milliseconds when they are all there; apt-get runs only for what is missing, and only as root.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core poppler-utils
system:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing $$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) \
	      || echo "could not install $$missing: PDF documents and their tests will fail"; \
	  else echo "missing Debian packages (apt-get install $$missing): PDF documents need them"; fi; \
	fi

setup-production: system  ## runtime dependencies only (no demo data, test or lint tools) in .venv
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/pybabel -q compile -d app/translations -D messages -l id

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

db: setup  ## migrate the database and load the demo once
	$(FLASK) db upgrade
	$(FLASK) demo seed --if-empty

browser:  ## Debian's Chromium for the browser tests (never a downloaded browser)
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "chromium could not be installed: browser tests will be skipped"; \
	  else echo "chromium is not installed (apt-get install chromium): browser tests will be skipped"; fi; }

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check app tests bench tools
	$(BIN)/mypy app
	$(BIN)/lint-imports --no-logo

migrations-check: setup  ## an empty database through every migration, then model/migration drift
	rm -rf .ci-db && mkdir -p .ci-db
	DATABASE_URL=sqlite:///$(CURDIR)/.ci-db/check.sqlite3 $(FLASK) db upgrade
	DATABASE_URL=sqlite:///$(CURDIR)/.ci-db/check.sqlite3 $(FLASK) db check
	rm -rf .ci-db

bench: setup  ## throughput ratios against the bare endpoint (see bench/README.md)
	$(BIN)/python bench/http_bench.py

# Texts: `make translations` extracts every text of app/ (babel.cfg) into build/messages.pot and
# merges it into the Indonesian catalog, the source of truth: new texts arrive with an empty or
# fuzzy (guessed) msgstr to fill in, texts gone from the code are dropped. The POT creation date
# is left out so that the catalog only changes when its texts do.
translations: $(STAMP)  ## extract the texts of app/ and merge them into messages.po
	mkdir -p build
	$(BIN)/pybabel -q extract -F babel.cfg --ignore-dirs=".* __pycache__" --add-location=file \
	  --sort-output --project=Bangkom --version=$(VERSION) -o build/messages.pot app
	$(BIN)/pybabel -q update -i build/messages.pot -d app/translations -D messages -l id \
	  --ignore-obsolete
	sed -i '/^"POT-Creation-Date: /d' $(CATALOG).po
	$(MAKE) --no-print-directory catalog

catalog: $(CATALOG).mo  ## compile messages.po (setup, run and test do it; .mo files are not committed)

$(CATALOG).mo: $(CATALOG).po | $(STAMP)
	$(BIN)/pybabel -q compile -d app/translations -D messages -l id --statistics

clean:
	rm -rf $(VENV) .ci-db bench/out
