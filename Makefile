# The README's two commands: `make serve` (set up, build the sample site, serve it) and `make test`.
# Everything is installed into .venv; Chromium and fonts for the browser tests come from Debian's packages.
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
PYTHON  ?= python3
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := chromium fonts-wqy-zenhei poppler-utils nginx-light apache2 rsync

.PHONY: setup site serve test lint browser-deps bench

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

site: $(STAMP)
	$(BIN)/planpub build

serve: site
	$(BIN)/planpub serve

browser-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi
	@if [ -f package-lock.json ]; then npm ci --silent --no-audit --no-fund; fi

lint: $(STAMP)
	$(BIN)/ruff check planpub hooks tests benchmarks
	$(BIN)/mypy planpub
	$(BIN)/mypy hooks

test: $(STAMP) browser-deps lint
	$(BIN)/pytest -q

bench: $(STAMP) browser-deps
	$(BIN)/python benchmarks/build.py
	$(BIN)/python benchmarks/search.py
	$(BIN)/python benchmarks/weight.py
	$(BIN)/python benchmarks/hostile.py
