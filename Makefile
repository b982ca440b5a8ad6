# The README's commands. Every target is safe to run again: steps whose inputs have not
# changed are skipped.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
# Local runs and tests use DEBUG (a throw-away secret key, plain static files); production
# sets its own environment and never runs make.
export DEBUG ?= 1
HOST ?= 127.0.0.1:8000
# E-mailed links and share links point at the server `make run` starts.
export SITE_URL ?= http://$(HOST)
# Debian packages: Chromium for browser tests, Pango and fonts for WeasyPrint's PDFs,
# poppler-utils to look at PDFs as pictures.
APT_PACKAGES := chromium fonts-liberation libpango-1.0-0 libpangoft2-1.0-0 poppler-utils

.PHONY: run test test-fast install install-test system-deps static setup lint check-deploy backup restore loadtest loadtest-pg two-servers throughput speed peer-benchmark clean

run: install system-deps static .env setup
	$(PY) manage.py runserver $(HOST)

# Local settings that `manage.py` finds when run by hand too: debug mode and a lasting secret key
# (personal links are derived from it). Written once; production sets its own environment.
.env:
	@printf 'DEBUG=1\nSECRET_KEY=dev-%s\n' "$$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')" > $@
	@echo "Wrote .env (DEBUG=1 and a secret key for this checkout)"

# The suite runs in one process per core (pytest-xdist; each has its own test database and
# browser). With REDIS_URL it runs in one process, as every test empties the Redis database.
# `make test TEST_WORKERS=0` for one process, `PYTEST_ARGS="tests/reports -x"` to narrow it.
TEST_WORKERS ?= $(if $(REDIS_URL),0,$(shell nproc))
test: install-test system-deps static
	$(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# Day-to-day: everything but the browser and fuzz tests (`make test` runs all of them).
test-fast: install-test static
	$(PY) -m pytest -n $(TEST_WORKERS) -m "not browser and not fuzz" $(PYTEST_ARGS)

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

$(VENV)/bin/python:
	python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PIP) install --quiet .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PIP) install --quiet ".[test]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

static: static/build/app.css

static/build/app.css: node_modules/.installed static/build.mjs $(wildcard static/src/*.scss)
	npm run --silent build

system-deps:
	@dpkg -s $(APT_PACKAGES) >/dev/null 2>&1 || { \
		echo "Installing $(APT_PACKAGES) from Debian"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES) >/dev/null; }

setup:
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_principles
	$(PY) manage.py ensure_superuser
	$(PY) manage.py create_demo

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/bandit -q -r lsp_framework principles assessments perf --severity-level high

# `check --deploy` with the settings production would have.
check-deploy: install static
	DEBUG=0 SECRET_KEY=$$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=') \
		ALLOWED_HOSTS=lsp.example.org $(PY) manage.py check --deploy --fail-level WARNING

# Backups: every table but the ones Django rebuilds (content types, permissions) and sessions,
# as compressed JSON that loads into SQLite or PostgreSQL alike. Restore into an empty,
# migrated database: `make restore BACKUP=backups/lsp-....json.gz`.
BACKUP_EXCLUDES := --exclude contenttypes --exclude auth.permission --exclude sessions
backup: install
	mkdir -p backups
	$(PY) manage.py dumpdata --natural-foreign $(BACKUP_EXCLUDES) \
		-o backups/lsp-$$(date -u +%Y%m%dT%H%M%SZ).json.gz
	@ls -1t backups/*.json.gz | head -n 1

restore: install
	@test -n "$(BACKUP)" || { echo "Usage: make restore BACKUP=backups/lsp-....json.gz"; exit 2; }
	$(PY) manage.py migrate --no-input
	$(PY) manage.py flush --no-input
	$(PY) manage.py loaddata "$(BACKUP)"

# 200 respondents at once against gunicorn on 127.0.0.1, on a scratch database of each kind.
LOADTEST_SQLITE := /tmp/lsp-loadtest.sqlite3
LOADTEST_PG := postgres://postgres@127.0.0.1:5432/lsp_loadtest
loadtest: install system-deps static
	rm -f $(LOADTEST_SQLITE) $(LOADTEST_SQLITE)-wal $(LOADTEST_SQLITE)-shm
	DATABASE_URL=sqlite:///$(LOADTEST_SQLITE) $(PY) manage.py migrate --no-input -v0
	DATABASE_URL=sqlite:///$(LOADTEST_SQLITE) $(PY) manage.py load_test --settings=perf.settings --respondents 200

loadtest-pg: install system-deps static
	psql -q -h 127.0.0.1 -U postgres -d test -c "DROP DATABASE IF EXISTS lsp_loadtest" -c "CREATE DATABASE lsp_loadtest"
	DATABASE_URL=$(LOADTEST_PG) $(PY) manage.py migrate --no-input -v0
	DATABASE_URL=$(LOADTEST_PG) $(PY) manage.py load_test --settings=perf.settings --respondents 200

# Two gunicorns on one PostgreSQL, one Redis and one task worker, each respondent's requests split
# between them at random (perf/management/commands/two_servers.py); the database is dropped after.
# `make two-servers TWO_SERVERS_ARGS="--respondents 20"` for a short run.
TWO_SERVERS_DB := lsp_two_servers
TWO_SERVERS_ARGS ?= --respondents 200
two-servers: install system-deps static
	psql -q -h 127.0.0.1 -U postgres -d test -c "DROP DATABASE IF EXISTS $(TWO_SERVERS_DB)" -c "CREATE DATABASE $(TWO_SERVERS_DB)"
	export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(TWO_SERVERS_DB) \
		REDIS_URL=$${TWO_SERVERS_REDIS:-redis://127.0.0.1:6379/13} TASK_BACKEND=database; \
	$(PY) manage.py migrate --no-input -v0 && \
	$(PY) manage.py two_servers --settings=perf.settings $(TWO_SERVERS_ARGS); status=$$?; \
	psql -q -h 127.0.0.1 -U postgres -d test -c "DROP DATABASE IF EXISTS $(TWO_SERVERS_DB) WITH (FORCE)"; \
	exit $$status

# A questionnaire page's requests per second against a bare view's, with wrk (Debian's `wrk`),
# on gunicorn with 2 workers x 4 threads, 10 seconds each, on a scratch SQLite database.
THROUGHPUT_SQLITE := /tmp/lsp-throughput.sqlite3
throughput: install static
	@command -v wrk >/dev/null || { echo "Install wrk first: apt-get install -y wrk"; exit 2; }
	rm -f $(THROUGHPUT_SQLITE) $(THROUGHPUT_SQLITE)-wal $(THROUGHPUT_SQLITE)-shm
	DATABASE_URL=sqlite:///$(THROUGHPUT_SQLITE) $(PY) manage.py migrate --no-input -v0
	DATABASE_URL=sqlite:///$(THROUGHPUT_SQLITE) $(PY) manage.py throughput --settings=perf.settings

# Every figure of the README's speed section in one run, one script after another on a quiet
# machine: the report cold and warm with its PDF, the questionnaire page against a bare view under
# wrk, 200 respondents on PostgreSQL (with the national model's headroom), two servers (errors,
# lost answers, a reader's PDF wait) and the peer comparison.
SPEED_SQLITE := /tmp/lsp-speed.sqlite3
speed: install system-deps static
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
	$(MAKE) --no-print-directory peer-benchmark
	$(MAKE) --no-print-directory throughput
	$(MAKE) --no-print-directory loadtest-pg
	$(MAKE) --no-print-directory two-servers

# Our report data for 1,000 respondents, counted (cold), against the per-question counts of the
# peer django-survey-and-report on the same kind of data (perf/peer/bench.py), in the peer's own
# virtual environment. Prints both medians and the ratio last.
PEER_VENV := /tmp/lsp-peer-venv
$(PEER_VENV)/.installed:
	python3 -m venv $(PEER_VENV)
	$(PEER_VENV)/bin/pip install --quiet "django-survey-and-report==1.5.0" "Django>=5.2,<5.3"
	touch $@
peer-benchmark: install $(PEER_VENV)/.installed
	rm -f $(SPEED_SQLITE) $(SPEED_SQLITE)-wal $(SPEED_SQLITE)-shm
	DATABASE_URL=sqlite:///$(SPEED_SQLITE) $(PY) manage.py migrate --no-input -v0
	@ours=$$(DATABASE_URL=sqlite:///$(SPEED_SQLITE) $(PY) manage.py benchmark_report \
		--settings=perf.settings --respondents 1000 | tee /dev/stderr \
		| awk '/^report data, counted/ {sub("ms", "", $$(NF-2)); print $$(NF-2)}'); \
	peer=$$($(PEER_VENV)/bin/python perf/peer/bench.py | tee /dev/stderr \
		| sed -n 's/.*median \([0-9]*\) ms/\1/p'); \
	test -n "$$ours" -a -n "$$peer" || { echo "peer-benchmark: a figure is missing"; exit 1; }; \
	awk -v o="$$ours" -v p="$$peer" 'BEGIN {printf "Report data, cold, 1,000 respondents: ours %d ms, the peer'"'"'s per-question counts %d ms: %.1fx faster\n", o, p, p / o}'

clean:
	rm -rf $(VENV) node_modules static/build staticfiles
