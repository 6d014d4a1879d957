# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
STAMP   = $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)
PORT   ?= 8000

.PHONY: run test build check install bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

## make run: install, build the sample site and serve it on http://127.0.0.1:$(PORT)
run: install
	$(PY) build.py build
	$(PY) build.py serve --port $(PORT)

## make test: install test dependencies and run the whole suite
test: install
	$(PY) -m pytest

build: install
	$(PY) build.py build

check: install
	$(PY) build.py check

bench: install
	$(PY) bench/run.py

clean:
	rm -rf site .site.* instance .pytest_cache
