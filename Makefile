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
	$(PY) scripts/train_coach_model.py --check
	@# The safety model's check (minutes of encoding and a retrain, mostly on one core) runs
	@# beside the parallel suite, filling what the workers leave idle; its report is printed
	@# when both are done, and the timed tests start only after it, alone.
	@pg_url=$$(bash scripts/test-services.sh) || exit 1; \
	case "$$pg_url" in ""|postgres://*|postgresql://*) ;; \
	  *) echo "scripts/test-services.sh printed something other than a URL: $$pg_url" >&2; exit 1;; esac; \
	safety_log=$$(mktemp); \
	$(PY) scripts/check_safety_model.py > $$safety_log 2>&1 & safety=$$!; \
	$(PY) -m pytest $(PARALLEL) -m "not timed"; suite=$$?; \
	wait $$safety; safety_check=$$?; \
	echo "--- scripts/check_safety_model.py (ran beside the suite) ---"; \
	cat $$safety_log; rm -f $$safety_log; \
	[ $$suite -eq 0 ] && [ $$safety_check -eq 0 ] || exit 1; \
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
