# The two commands a new user needs: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := platform_core.settings

.PHONY: run test fuzz browser-checks lint format bench bench-chat bench-fanout bench-pages bench-data bench-search bench-import lock messages clean mutants

$(STAMP): requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is required") if sys.version_info < (3, 11) else None'
	$(BIN)/python -m pip --version >/dev/null 2>&1 || $(PYTHON) -m venv --clear $(VENV)
	@# python-ldap (directory sign-in) has no wheel: it builds against OpenLDAP's and SASL's headers.
	@if [ ! -f /usr/include/ldap.h ] || [ ! -f /usr/include/sasl/sasl.h ]; then \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    echo "installing OpenLDAP's headers for python-ldap (libldap2-dev libsasl2-dev)"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get install -y -qq libldap2-dev libsasl2-dev >/dev/null \
	      || { apt-get update -qq && apt-get install -y -qq libldap2-dev libsasl2-dev >/dev/null; }; \
	  else echo "python-ldap needs OpenLDAP's headers: apt-get install build-essential libldap2-dev libsasl2-dev"; exit 1; fi; \
	fi
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	touch $(STAMP)

var:
	mkdir -p var

# Test-only JavaScript (axe-core for the accessibility sweep), pinned in package-lock.json and
# injected into the test browser only: never served by the app.
NODE_STAMP := node_modules/.package-lock.json
# Without npm the accessibility sweep skips (fails under REQUIRE_SERVICES=1, as in .ci/run).
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null; then \
	  npm ci --ignore-scripts --no-audit --no-fund && touch $(NODE_STAMP); \
	else echo "npm not found: the accessibility sweep will skip (apt-get install npm)"; fi

# Laptop defaults: DEBUG on, SQLite in var/, in-process channel layer, local-memory cache.
run: $(STAMP) var
	DEBUG=$${DEBUG-1} $(BIN)/python manage.py migrate --noinput -v0
	DEBUG=$${DEBUG-1} $(BIN)/python manage.py seed_demo --if-empty
	@echo ""
	@echo "  揭榜挂帅 platform: http://$(HOST):$(PORT)/"
	@echo "  Demo logins, password demo12345 (new demo accounts only):"
	@echo "    admin (union admin) · poster (enterprise poster) · leader1, leader2 (studio leaders)"
	@echo "    member1 … member4 (members) · expert1, expert2 (experts)"
	@echo "  Stop with Ctrl-C."
	@echo ""
	@# The periodic job (deadlines, reminders) runs beside daphne and stops with it: on Ctrl-C, when
	@# daphne exits, or when the whole process group is terminated (each process takes the SIGTERM).
	@# Mails (notifications, password resets) go to files in var/mail/, their links to this server.
	DEBUG=$${DEBUG-1} SITE_URL=$${SITE_URL-http://$(HOST):$(PORT)} $(BIN)/python manage.py run_periodic & periodic=$$!; \
	trap 'kill -TERM $$periodic 2>/dev/null; wait $$periodic' EXIT INT TERM; \
	DEBUG=$${DEBUG-1} SITE_URL=$${SITE_URL-http://$(HOST):$(PORT)} $(BIN)/daphne -b $(HOST) -p $(PORT) platform_core.asgi:application

test: $(STAMP) var $(NODE_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/mypy
	$(BIN)/pytest $(PYTEST_ARGS)

# The browser sweeps alone: the XSS and accessibility walk and the keyboard journeys
# (docs/testing.md, "Browser sweeps"). Set DATABASE_URL and REDIS_URL as for `make test`.
browser-checks: $(STAMP) var $(NODE_STAMP)
	$(BIN)/pytest -m browser_checks $(PYTEST_ARGS)

# The API fuzz alone (also part of `make test`): Schemathesis over every operation as six roles,
# with its stateful phase (docs/testing.md "API fuzzing"). FUZZ_SCALE=10 runs ten times as many cases.
fuzz: $(STAMP) var
	$(BIN)/pytest -s -p no:cacheprovider tests/api/test_fuzz.py $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Every benchmark with its baselines, side by side (docs/performance.md). Needs PostgreSQL and Redis.
bench: $(STAMP) var
	$(BIN)/python -m bench.chat $(CHAT_ARGS)
	$(BIN)/python -m bench.pages $(PAGES_ARGS)
	$(BIN)/python -m bench.data --measure-only $(DATA_ARGS)
	$(BIN)/python -m bench.imports

# Persisted chat against a bare websockets server, a minimal hub and a plain INSERT loop, plus slow
# clients and reconnect storms (about 10 minutes). BENCH_DATABASE_URL (default: a bench_chat
# database on 127.0.0.1, created if missing), BENCH_REDIS_URL (default redis://127.0.0.1:6379/14).
bench-chat: $(STAMP) var
	$(BIN)/python -m bench.chat $(BENCH_ARGS)

# The hub alone against the textbook Channels pattern, events published straight to Redis.
bench-fanout: $(STAMP) var
	$(BIN)/python -m bench.fanout $(BENCH_ARGS)

# Spreadsheet imports: check and import 5,000 rows of people, units and studios (docs/union.md).
bench-import: $(STAMP) var
	$(BIN)/python -m bench.imports $(BENCH_ARGS)

# Pages and API lists against logged-in /api/v1/me/, one daphne, 16 connections (about 4 minutes).
bench-pages: $(STAMP) var
	$(BIN)/python -m bench.pages $(BENCH_ARGS)

# Data at scale: generates 100,000 achievements, 10,000 challenges and 1,000,000 messages once
# (minutes, kept in the jb_bench_data database), then measures; `make bench` only measures.
bench-data: $(STAMP) var
	$(BIN)/python -m bench.data $(BENCH_ARGS)

# Showcase search at 100,000 achievements (docs/performance.md).
bench-search: $(STAMP) var
	$(BIN)/python -m bench.search $(BENCH_ARGS)

# Mutation checks of the permission modules ([tool.mutmut] in pyproject.toml; docs/testing.md).
# A fresh run each time (mutants/ is rebuilt); MUTANTS="challenges.permissions.x_can_*" runs only
# the mutants whose names match. Prints the survivors: each is a missing test or an equivalent.
mutants: $(STAMP) var
	rm -rf mutants var/mutants-test.sqlite3*
	TEST_DATABASE_NAME=$(CURDIR)/var/mutants-test.sqlite3 $(BIN)/mutmut run --max-children $${MUTANT_WORKERS-1} $(MUTANTS)
	@echo "Survivors:"
	@$(BIN)/mutmut results | grep -v ': killed' || echo "    none"

# Re-lock after changing pyproject.toml.
lock: $(STAMP)
	$(BIN)/pip-compile --quiet --extra dev --generate-hashes --strip-extras --allow-unsafe -o requirements.lock pyproject.toml

# Needs GNU gettext. The compiled .mo files are committed, so run and test do not need it.
messages: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py makemessages -l zh_Hans -l en --ignore=.venv --ignore=var --ignore=tests --no-obsolete
	DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var/static node_modules
