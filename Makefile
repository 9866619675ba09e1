# Set-up and everyday commands. `make run` and `make test` are all a new machine needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export FLASK_APP := selfassess
# Test processes (pytest-xdist): one per CPU; each has its own SQLite file and, when
# TEST_DATABASE_URL is set, its own PostgreSQL database (<name>_gw0, <name>_gw1, ...).
# TEST_WORKERS=0 runs everything in one process.
TEST_WORKERS ?= auto
PYTEST_PARALLEL := -n $(TEST_WORKERS) --dist worksteal

.PHONY: run test test-fast lint install assets browser-deps redis loadtest bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/python -m selfassess.charts.bundle
	touch $(STAMP)

install: $(STAMP)

# Front-end assets: the NHS.UK frontend and our Sass, from the npm registry (package-lock.json,
# pinned), compiled into a git-ignored folder. Make rebuilds them only when an input changed.
NODE_STAMP := node_modules/.installed
ASSETS_DIR := selfassess/static/vendor/nhsuk
ASSETS := $(ASSETS_DIR)/.built
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

$(ASSETS): $(NODE_STAMP) $(wildcard selfassess/static/scss/*.scss)
	mkdir -p $(ASSETS_DIR)
	node_modules/.bin/sass --no-source-map --style=compressed --quiet-deps --load-path=node_modules \
	  selfassess/static/scss/selfassess.scss $(ASSETS_DIR)/selfassess.css
	cp node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.js $(ASSETS_DIR)/nhsuk-frontend.min.js
	rm -rf $(ASSETS_DIR)/assets && cp -r node_modules/nhsuk-frontend/dist/nhsuk/assets $(ASSETS_DIR)/assets
	touch $@

## assets: the NHS.UK frontend's CSS and JS with ours (npm ci, then Sass), skipped when unchanged
assets: $(ASSETS)

## run: create the virtualenv, migrate, load the demo on first run, then serve on
## 127.0.0.1:5000 with the job consumer (emails, reminders) in the background, stopped on exit
run: $(STAMP) $(ASSETS)
	$(BIN)/flask db upgrade
	$(BIN)/flask demo load --if-empty
	$(BIN)/flask templates compile
	$(BIN)/flask jobs run & jobs=$$!; trap 'kill $$jobs 2>/dev/null' EXIT INT TERM; \
	$(BIN)/flask run --host 127.0.0.1 --port 5000

## browser-deps: Debian's chromium for the browser tests (never a downloaded browser), and the
## Pango and HarfBuzz-subset libraries WeasyPrint draws PDF reports with
browser-deps:
	@{ command -v chromium >/dev/null 2>&1 && ldconfig -p | grep -q libpangoft2-1.0 && \
	   ldconfig -p | grep -q libharfbuzz-subset; } || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && \
	  $$SUDO apt-get install -y -qq chromium libpango-1.0-0 libpangoft2-1.0-0 \
	    libharfbuzz-subset0 >/dev/null; }

## redis: a local Redis for the shared sign-in throttle test (Debian's package when missing)
redis:
	@redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || { \
	  command -v redis-server >/dev/null 2>&1 || { \
	    if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq redis-server >/dev/null; \
	    else sudo apt-get update -qq && sudo apt-get install -y -qq redis-server >/dev/null; fi; }; \
	  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
	    --dir /tmp --logfile /tmp/selfassess-redis.log; sleep 1; }

## lint: ruff (checks and formatting), mypy (strict on the cores, see pyproject.toml) and bandit
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/bandit -q -c pyproject.toml -r selfassess

## test: install what the tests need (node_modules with html-validate too), lint, and run every
## test; the run fails when a page it renders is not valid HTML (tests/html_gate.py) or axe-core
## finds an accessibility violation on a page type (tests/browser/test_accessibility.py)
test: $(STAMP) $(ASSETS) browser-deps redis lint
	$(BIN)/python -m pytest -q $(PYTEST_PARALLEL)

test-fast: $(STAMP) $(ASSETS)
	$(BIN)/python -m pytest -q $(PYTEST_PARALLEL) -m "not browser" -x

## loadtest: 50 users saving sections under gunicorn, SIGKILL midway, two servers, then the
## deadline rush (200 users, 5 minutes); figures in bench/loadtest-results.json (not in CI)
loadtest: $(STAMP) redis
	$(BIN)/python -m bench.loadtest --json bench/loadtest-results.json

## bench: speed at national scale (issue #8): table + bench/results.json; BENCH_ARGS=--quick for a small run
bench: $(STAMP)
	$(BIN)/python -m bench.bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules selfassess/static/vendor .pytest_cache .ruff_cache .mypy_cache .hypothesis
