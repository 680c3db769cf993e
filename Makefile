# The two commands of the README: `make run` and `make test`. Both build .venv when needed.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test check migrate demo bench weight clean lock backup restore-drill

# Dependencies come from the lock (requirements/dev.txt, hashes checked), the project itself after.
$(STAMP): pyproject.toml requirements/dev.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed (set PYTHON=...)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

## lock: recompile requirements/prod.txt and requirements/dev.txt from pyproject.toml (pip-tools, hashes)
lock:
	test -x $(VENV)-tools/bin/pip-compile || { $(PYTHON) -m venv $(VENV)-tools && $(VENV)-tools/bin/pip install --quiet pip-tools; }
	$(VENV)-tools/bin/pip-compile --quiet --generate-hashes --no-emit-index-url --no-emit-find-links --strip-extras \
		--allow-unsafe -o requirements/prod.txt pyproject.toml
	$(VENV)-tools/bin/pip-compile --quiet --generate-hashes --no-emit-index-url --no-emit-find-links --strip-extras \
		--allow-unsafe --extra dev -o requirements/dev.txt pyproject.toml

migrate: $(STAMP)
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo

## run: the web server, a Celery worker and beat on http://127.0.0.1:8000 (Ctrl-C stops all three)
run: demo
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho -f Procfile.dev start

## test: the whole suite (on PostgreSQL and Redis when DATABASE_URL and REDIS_URL are set).
## Its own var/ keeps the test worker off the broker folder of a running `make run`.
test: $(STAMP)
	HRUF_VAR_DIR="$(CURDIR)/var/test" $(BIN)/python -m pytest $(PYTEST_ARGS)

## bench: ten years of data on PostgreSQL (BENCH_DATABASE_URL, default hruf_bench on 127.0.0.1), served by
## gunicorn and driven by concurrent clients; page latencies against a bare view, query counts, throughput
## and sweep timings go to bench/results.md (not part of the tests; the data is kept for the next run)
bench: $(STAMP)
	$(BIN)/python -m bench.run $(BENCH_ARGS)

## backup: one encrypted backup of the database and the files into BACKUP_DIR (PostgreSQL; BACKUP_PASSPHRASE)
backup: $(STAMP)
	$(BIN)/python manage.py backup_create

## restore-drill: back up now, restore the latest backup into a fresh database (DRILL_DATABASE) and files
## folder (DRILL_FILES), check every table's rows and every file's checksum; prints the time and size
DRILL_DATABASE ?= hruf_restore_drill
DRILL_FILES ?= $(CURDIR)/var/restore-drill/files
restore-drill: $(STAMP)
	$(BIN)/python manage.py backup_create
	$(BIN)/python manage.py backup_restore --latest --database $(DRILL_DATABASE) --files $(DRILL_FILES) --force

## weight: each main page's weight, first and repeat load (needs Debian's chromium)
weight: $(STAMP)
	HRUF_VAR_DIR="$(CURDIR)/var/test" $(BIN)/python tests/browser/page_weight.py

# Typed: the services, the selectors and the shared rules (pyproject.toml [tool.mypy]).
TYPED := $(wildcard */services.py */selectors.py) hruf/otp/services.py hruf/concurrency.py hruf/sweeps.py \
	hruf/paging.py hruf/ids.py hruf/codes.py hruf/permissions.py hruf/action_rules.py hruf/recipients.py followup/models/plans.py \
	scans/ledger.py scans/ledger_sweeps.py hruf/heartbeats.py hruf/switch.py hruf/operations.py \
	hruf/backups.py reviews/commitments.py reviews/commitment_sweeps.py reviews/models/commitments.py \
	scans/clock.py followup/clock.py followup/outcome_sweeps.py hruf/encryption.py scans/retention.py \
	hruf/world_shapes.py scans/risk_map.py hruf/locales.py hruf/translated.py hruf/cache.py followup/tally.py hruf/figures_cache.py hruf/kept_gzip.py

check: $(STAMP)
	$(BIN)/ruff check hruf scans reviews followup exports briefings bench tests
	$(BIN)/mypy $(TYPED)
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) $(VENV)-tools var staticfiles
