# wallet-crm developer commands. `make run` and `make test` set up .venv by themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
TS := resources/i18n/wallet_crm_zh_CN.ts
QM := $(TS:.ts=.qm)
SMOKE_DIR := $(shell mktemp -u /tmp/wallet-crm-smoke.XXXXXX)

.PHONY: venv run test lint pytest bench reliability package deb icons translations translations-update clean screenshot

# Re-install when pyproject.toml changes (the stamp is older than it).
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@# -qq: setuptools' notice that every editable install prints ("Editable installation…") is not ours
	@# to fix; errors still show.
	$(BIN)/python -m pip install -qq -e ".[dev]"
	touch $(STAMP)

venv: $(STAMP)

$(QM): $(TS) $(STAMP)
	$(BIN)/pyside6-lrelease -silent $(TS) -qm $(QM)

translations: $(QM)

# After adding or changing user-visible strings: refresh the .ts, then translate in Qt Linguist.
translations-update: $(STAMP)
	$(BIN)/pyside6-lupdate -locations none -no-obsolete $$(find wallet_crm/ui -name '*.py' | sort) -ts $(TS)

run: $(STAMP) translations
	$(BIN)/wallet-crm

lint: $(STAMP)
	$(BIN)/ruff check wallet_crm tests bench reliability packaging
	$(BIN)/ruff format --check wallet_crm tests bench reliability packaging
	$(BIN)/mypy

pytest: $(STAMP) translations
	$(BIN)/pytest

test: lint pytest

# The benchmarks also need the peers they compare against (pandas); `make test` does not.
BENCH_STAMP := $(VENV)/.bench-stamp
$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install -qq -e ".[dev,bench]"
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BIN)/python -m bench

# Kills at random moments and fuzzing (hypothesis); prints a table, exits 1 when a row was lost.
reliability: $(STAMP)
	$(BIN)/python -m reliability

# The PyInstaller folder, its smoke test, then (where dpkg-deb exists) the .deb and its smoke test.
package: $(STAMP) translations
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN build.spec
	dist/wallet-crm/wallet-crm --version
	mkdir -p $(SMOKE_DIR)
	QT_QPA_PLATFORM=offscreen XDG_DATA_HOME=$(SMOKE_DIR) XDG_STATE_HOME=$(SMOKE_DIR) XDG_CONFIG_HOME=$(SMOKE_DIR) \
		dist/wallet-crm/wallet-crm --db $(SMOKE_DIR)/smoke.sqlite3 --page feedback --quit-after 1500
	dist/wallet-crm/wallet-crm --db $(SMOKE_DIR)/smoke.sqlite3 status
	dist/wallet-crm/wallet-crm --lang en --db $(SMOKE_DIR)/smoke.sqlite3 import --dry-run packaging/smoke/paypal.csv | grep -q "read as PayPal"
	rm -rf $(SMOKE_DIR)
	du -sh dist/wallet-crm
	$(MAKE) --no-print-directory deb

# dist/wallet-crm_<version>_<arch>.deb from the folder `make package` built, then installed into temporary
# roots and run (packaging/linux/). Skipped where dpkg-deb is missing, except in CI.
deb: $(STAMP)
	@if ! command -v dpkg-deb > /dev/null; then \
		if [ "$${CI:-}" = true ]; then echo "dpkg-deb not found: cannot build the .deb"; exit 1; fi; \
		echo "dpkg-deb not found: no .deb built (Debian and Ubuntu have it)"; exit 0; \
	fi; \
	started=$$(date +%s); \
	deb=$$(PYTHON=$(BIN)/python packaging/linux/build-deb.sh) && \
	echo "built $$deb in $$(( $$(date +%s) - started )) s" && \
	packaging/linux/smoke-deb.sh "$$deb"

# After editing resources/icons/wallet-crm.svg: redraw the PNGs and the .ico from it.
icons: $(STAMP)
	$(BIN)/python packaging/make_icons.py

# A screenshot of the main window under Xvfb (needs xvfb and fonts-noto-cjk).
screenshot: $(STAMP) translations
	xvfb-run -a -s "-screen 0 1280x800x24" $(BIN)/wallet-crm --lang zh_CN --screenshot docs/main-window.png --quit-after 2500

clean:
	rm -rf build dist .mypy_cache .ruff_cache .pytest_cache $(QM)
