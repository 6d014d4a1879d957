# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
STAMP   = $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)
PORT   ?= 8000

VNU     = .cache/node/node_modules/vnu-jar/build/dist/vnu.jar
APT     = DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends

.PHONY: run test lint build check install browser-deps bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

## make run: install, build the sample site, serve it with the survey service on
## http://127.0.0.1:$(PORT) (portal at /, surveys at /survey/, SQLite under instance/),
## rebuild on every content change, and print the demo staff account
run: install
	$(PY) -m survey.embedded --port $(PORT)

## make test: install test dependencies (incl. Debian chromium, fonts, the Nu HTML Checker),
## lint (ruff) and type-check (mypy) the code, and run the whole suite
test: install browser-deps lint
	$(PY) -m pytest

lint: install
	$(PY) -m ruff check portal survey build.py tests bench
	$(PY) -m mypy

# Browser tests use Debian's chromium (never a downloaded browser) and CJK fonts; the HTML
# checker is vnu-jar from npm, run with the machine's Java.
browser-deps: $(VNU)
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing="$$missing fonts-noto-cjk"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && $(APT) $$missing; \
	  else echo "请先安装：sudo apt-get install -y$$missing"; exit 1; fi; \
	fi

$(VNU):
	mkdir -p .cache/node
	cd .cache/node && npm install --no-save --no-audit --no-fund --silent vnu-jar@26

build: install
	$(PY) build.py build

check: install
	$(PY) build.py check

bench: install
	$(PY) bench/run.py
	$(PY) bench/survey_load.py

clean:
	rm -rf site .site.* instance .pytest_cache .mypy_cache .ruff_cache
