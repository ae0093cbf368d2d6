# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi.py

.PHONY: run test bench bench-fairness bench-resolve loadtest lint translations messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

## translations: compile every area's Indonesian catalog (app/translations, app/<area>/translations)
translations: $(VENV)/.runtime
	for dir in $$(find app -type d -name translations); do $(BIN)/pybabel compile -d $$dir || exit 1; done

## run: install, migrate, load the Pasuruan demo into an empty database, serve on http://127.0.0.1:5000
run: $(VENV)/.runtime translations
	$(BIN)/flask db upgrade
	$(BIN)/flask demo load --if-empty
	$(BIN)/flask run --host 127.0.0.1 --port 5000

## test: install the test dependencies and run the whole suite (browser tests skip without chromium)
test: $(VENV)/.dev translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## bench: run the scheduling benchmarks and write docs/benchmarks.md
bench: $(VENV)/.dev
	$(BIN)/python -m bench --out docs/benchmarks.md $(BENCH_ARGS)

## bench-fairness: the real b2b-jair events at max_break_spread 0, 1 and 3, into docs/benchmarks-fairness.md
bench-fairness: $(VENV)/.dev
	$(BIN)/python -m bench.fairness --out docs/benchmarks-fairness.md $(BENCH_ARGS)

## bench-resolve: re-solving published days after a booth loses tables, cancellations, late registrations
bench-resolve: $(VENV)/.dev
	$(BIN)/python -m bench.resolve --out docs/benchmarks-resolve.md $(BENCH_ARGS)

$(VENV)/.bench: requirements.txt requirements-bench.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-bench.txt
	touch $@ $(VENV)/.runtime

## loadtest: seed a province-size published event into a scratch PostgreSQL database on 127.0.0.1 (dropped after),
## serve it with gunicorn and run locust 60 s against it; LOADTEST_USERS, LOADTEST_TIME, ... in bench/loadtest/run.sh
loadtest: $(VENV)/.bench translations
	BIN=$(BIN) bash bench/loadtest/run.sh

lint: $(VENV)/.dev
	$(BIN)/ruff check .

## messages: list interface strings that no catalog translates yet (add them to your area's catalog)
messages: $(VENV)/.dev
	$(BIN)/python -m pytest -q tests/test_translations.py

clean:
	rm -rf $(VENV) .pytest_cache test-results
