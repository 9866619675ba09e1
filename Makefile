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

.PHONY: run test test-fast lint install browser-deps redis loadtest bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/python -m selfassess.charts.bundle
	touch $(STAMP)

install: $(STAMP)

# The npm packages (html-validate for the HTML gate; nhsuk-frontend and sass for the assets),
# exactly as package-lock.json pins them; again only when the lock file changes.
NODE_STAMP := node_modules/.package-lock.json
$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $(NODE_STAMP)

## run: create the virtualenv, migrate, load the demo on first run, then serve on
## 127.0.0.1:5000 with the job consumer (emails, reminders) in the background, stopped on exit
run: $(STAMP)
	$(BIN)/flask db upgrade
	$(BIN)/flask demo load --if-empty
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

## test: install what the tests need, lint, and run every test; the run fails when a page it
## renders is not valid HTML (tests/html_gate.py) or axe-core finds an accessibility violation
## on a page type (tests/browser/test_accessibility.py)
test: $(STAMP) $(NODE_STAMP) browser-deps redis lint
	$(BIN)/python -m pytest -q $(PYTEST_PARALLEL)

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q $(PYTEST_PARALLEL) -m "not browser" -x

## loadtest: 50 users saving sections under gunicorn, SIGKILL midway, two servers (not in CI)
loadtest: $(STAMP) redis
	$(BIN)/python -m bench.loadtest

## bench: speed at national scale (issue #8): table + bench/results.json; BENCH_ARGS=--quick for a small run
bench: $(STAMP)
	$(BIN)/python -m bench.bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .hypothesis
