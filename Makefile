# The two commands a new user needs: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
# pytest-xdist: one worker per core, each test module (and its module-wide fixtures) on one worker.
PARALLEL ?= -n auto --dist loadscope

.PHONY: run test install lint format bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "safebase needs Python 3.11 or newer")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

run: install
	$(PY) -m safebase.web.manage migrate --noinput
	$(VENV)/bin/safebase serve

# The suite runs once on SQLite (everything), then the database-backed tests again on
# PostgreSQL. scripts/test-services.sh installs/starts Chromium and PostgreSQL where it can.
test: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m safebase.web.manage makemigrations --check --dry-run
	@# The two model checks retrain on one core each: side by side they take the time of one.
	@$(PY) scripts/check_safety_model.py & safety=$$!; \
	$(PY) scripts/train_coach_model.py --check; coach=$$?; \
	wait $$safety && [ $$coach -eq 0 ]
	@pg_url=$$(bash scripts/test-services.sh) || exit 1; \
	case "$$pg_url" in ""|postgres://*|postgresql://*) ;; \
	  *) echo "scripts/test-services.sh printed something other than a URL: $$pg_url" >&2; exit 1;; esac; \
	$(PY) -m pytest $(PARALLEL) -m "not timed" || exit 1; \
	$(PY) -m pytest -m timed || exit 1; \
	if [ -n "$$pg_url" ]; then \
	  echo "--- again on PostgreSQL ($$pg_url) ---"; \
	  DATABASE_URL=$$pg_url $(PY) -m pytest $(PARALLEL) tests/web tests/cli \
	    -m "not browser and not timed" || exit 1; \
	elif [ "$$CI" = "true" ]; then echo "PostgreSQL is required in CI" >&2; exit 1; \
	else echo "PostgreSQL not available here: the PostgreSQL run was skipped"; fi

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

bench: install
	$(PY) benchmarks/score_throughput.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts
