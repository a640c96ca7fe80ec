# Two commands do all set-up on a fresh machine (Python 3.11, pip, apt):
#   make run    start the app on the embedded default database
#   make test   lint and run the whole test suite (installs Chromium for the browser test)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
PORT ?= 8501

.PHONY: run test lint bench chromium catalogues clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/ecograph app --port $(PORT)

chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
		echo "installing Debian's chromium for the browser test"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: $(STAMP) chromium lint
	$(BIN)/python -m pytest -q
	$(BIN)/python -m bench --quick

# after adding or changing a message: extract every marked message and bring each language's
# catalogue up to date (new entries empty, dropped ones removed); then translate the empty ones
catalogues: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -o graph/i18n/locale/ecograph.pot \
		--no-location --sort-output --project ecograph .
	$(BIN)/pybabel update -i graph/i18n/locale/ecograph.pot -d graph/i18n/locale -D ecograph \
		--no-wrap --ignore-pot-creation-date --ignore-obsolete --no-fuzzy-matching
	rm -f graph/i18n/locale/ecograph.pot

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
