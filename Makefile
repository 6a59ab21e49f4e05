# Two entry points for a fresh machine (see README.md):
#   make run   installs everything and starts the app on its embedded defaults
#   make test  installs everything (Chromium from Debian included) and runs all tests
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: install browser run test bench data

install: $(VENV)/.installed static/node_modules/.installed

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

# Leaflet and plugins come from the npm registry, served by the app itself (no CDN).
static/node_modules/.installed: static/package.json static/package-lock.json
	npm ci --prefix static --no-audit --no-fund --loglevel=error
	touch $@

# Debian's Chromium for the browser tests; poppler-utils (pdftotext) for report tests.
browser:
	@if [ ! -x /usr/bin/chromium ] || ! command -v pdftotext >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils; \
	fi

run: install
	$(PY) -m streamlit run dashboard.py --server.port $(PORT)

test: install browser
	$(PY) -m pytest

bench: install browser
	$(PY) -m bench.editor_latency

data: install
	$(PY) -m geo.build_data
