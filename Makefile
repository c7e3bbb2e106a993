# Open Event on Django: `make run` serves it, `make test` tests it. Both create .venv on first use.
#
# pip runs again only when a requirements file changed (stamp files in .venv/).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
HOST   ?= 127.0.0.1
PORT   ?= 8000
# Extra arguments for pytest, e.g. `make test PYTEST_ARGS="-k admin"`.
PYTEST_ARGS ?=

.PHONY: run test venv venv-dev migrate admin demo web worker beat lint bench check

## run: migrate, create the admin and demo data, serve http://$(HOST):$(PORT)/ with a Celery worker
run: venv migrate demo
	$(PY) -m openevent.run --host $(HOST) --port $(PORT)

## test: the whole suite on two processes (fails when no test ran)
test: venv-dev
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

venv: $(VENV)/.installed-run

venv-dev: $(VENV)/.installed-dev

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-run: requirements.txt | $(PY)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements.txt
	touch $@

# requirements-dev.txt includes requirements.txt, so it satisfies `make run` too.
$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $@ $(VENV)/.installed-run

migrate: venv
	$(PY) manage.py migrate --noinput

## admin: create admin@example.org once and print the login
admin: migrate
	$(PY) manage.py ensure_admin --url http://$(HOST):$(PORT)

## demo: demo users and events (idempotent); the links in its mails point at http://$(HOST):$(PORT)
## unless SITE_URL says otherwise, as those of the server and worker (openevent/run.py)
demo: migrate
	SITE_URL="$${SITE_URL:-http://$(HOST):$(PORT)}" $(PY) manage.py demo

## web: the web server alone (no worker)
web: migrate
	$(PY) manage.py runserver $(HOST):$(PORT)

## worker: a Celery worker alone
worker: venv
	$(BIN)/celery -A openevent worker --pool=solo --loglevel=INFO

## beat: Celery beat alone (the periodic jobs; run one, beside `make run` or the workers)
beat: venv
	$(BIN)/celery -A openevent beat --loglevel=INFO

check: venv
	$(PY) manage.py check

## lint: pyflakes, pycodestyle errors and import order (rules in ruff.toml)
lint: venv-dev
	$(BIN)/ruff check .

## bench: every benchmark of bench/ (bench/all.py), each in a throwaway database, and one table
## of their figures with targets; e.g. `make bench BENCH_ARGS="--only events,load"`
BENCH_ARGS ?=
bench: venv-dev
	$(PY) bench/all.py $(BENCH_ARGS)
