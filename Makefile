# Two commands: `make lab` (set up, then open the notebooks) and `make test` (set up, then test all).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install lab test grid-test browser-test bench classroom-test clean

install: $(STAMP)

# Re-installs only when requirements.txt or pyproject.toml changed since the last install.
$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

# JupyterLab refuses to start as root unless told it may (containers, some classroom servers).
# Its kernels get the course's BLAS thread count (blas_threads.py), so that training numbers match
# the stored outputs; `make test` and `make bench` read the same count themselves.
lab: $(STAMP)
	$(BIN)/python blas_threads.py $(BIN)/jupyter lab --notebook-dir=notebooks \
		$(if $(filter 0,$(shell id -u)),--allow-root)

# Unit tests and every notebook under nbval (a couple of minutes at most), spread over up to four
# cores (pytest-xdist; each notebook stays in one worker) with one BLAS thread per worker, since
# two workers of two threads each on two cores wait on each other for minutes. The hub's Python
# side comes first: the progress service's and the hub configuration's unit tests import jupyterhub.
PYTEST_PARALLEL := $(BIN)/python blas_threads.py --threads 1 \
	$(BIN)/python -m pytest -n auto --maxprocesses 4 --dist loadfile
test: $(STAMP) $(VENV)/.classroom-installed
	$(PYTEST_PARALLEL) $(PYTEST_ARGS)

# The learning-rate lab's verdicts on a grid of 54 settings, against their definitions and the
# reference table (tests/verdict_grid.txt), as this CPU computes them and again as another CPU
# would (another OpenBLAS kernel, one thread): a few minutes, so not part of `make test`.
grid-test: $(STAMP)
	$(BIN)/python -m pytest tests/test_verdict_grid.py -m grid
	OPENBLAS_CORETYPE="$${OPENBLAS_CORETYPE:-Haswell}" \
		$(BIN)/python blas_threads.py --threads 1 $(BIN)/python -m pytest tests/test_verdict_grid.py -m grid

# JupyterLab in Debian's chromium: the learning-rate lab, notebooks 04 and 09 as slides, the
# draw-a-digit lab; and the class's progress page on JupyterHub (so the hub's side is installed first).
browser-test: $(STAMP) $(VENV)/.classroom-installed classroom/node_modules/.package-lock.json
	$(BIN)/python -m pytest tests -m browser

# Prints the table and writes bench/results.json, which git ignores (bench/README.md).
bench: $(STAMP)
	$(BIN)/python bench/benchmark.py

# A simulated class of 10 on JupyterHub (classroom/README.md); installs the hub's side first.
classroom-test: $(VENV)/.classroom-installed classroom/node_modules/.package-lock.json
	$(BIN)/python -m pytest -s tests/test_classroom.py -m classroom

$(VENV)/.classroom-installed: $(STAMP) classroom/requirements.txt
	$(BIN)/python -m pip install --quiet -r classroom/requirements.txt
	@touch $@

classroom/node_modules/.package-lock.json: classroom/package-lock.json
	cd classroom && npm ci --no-audit --no-fund

clean:
	rm -rf $(VENV) .pytest_cache
