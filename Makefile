# feelmove: `make run` serves the demo site, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export DEBUG ?= 1

.PHONY: run test lint bench bench-wordpress messages install clean

$(VENV)/.installed-run: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed-run

install: $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py ensure_admin
	$(BIN)/python manage.py ensure_demo_author
	@echo ""
	@echo "  feelmove: http://127.0.0.1:8000/   admin: http://127.0.0.1:8000/admin/"
	@echo ""
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(VENV)/.installed-test
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# The WordPress import: 1,000 posts and 20,000 comments into SQLite (see bench/README.md).
bench-wordpress: $(VENV)/.installed-test
	$(BIN)/python bench/wordpress.py $(BENCH_ARGS)

# Refresh the German catalogues after adding strings (needs GNU gettext), then compile them:
# django.po for templates and Python, djangojs.po for JavaScript (the admin's catalogue at
# /admin/jsi18n/ merges it over Django's own).
MESSAGES_IGNORE := -i ".venv/*" -i "bench/*" -i "tests/*" -i "staticfiles/*" -i "media/*"
messages: $(VENV)/.installed-test
	$(BIN)/python manage.py makemessages -l de --no-obsolete --add-location=never $(MESSAGES_IGNORE)
	$(BIN)/python manage.py makemessages -d djangojs -l de --no-obsolete --add-location=never $(MESSAGES_IGNORE)
	$(BIN)/python manage.py compilemessages -l de -i ".venv"

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
