# Two commands: `make lab` (set up, then open the notebooks) and `make test` (set up, then test all).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# Two BLAS threads unless you set another count: training numbers then match the stored outputs
# to the last digit on machines like the one that stored them (elsewhere, within each cell's
# declared tolerance: see README, "What is reproducible").
export OPENBLAS_NUM_THREADS ?= 2
export OMP_NUM_THREADS ?= 2
export MKL_NUM_THREADS ?= 2

.PHONY: install lab test bench clean

install: $(STAMP)

# Re-installs only when requirements.txt or pyproject.toml changed since the last install.
$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

# JupyterLab refuses to start as root unless told it may (containers, some classroom servers).
lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/benchmark.py

clean:
	rm -rf $(VENV) .pytest_cache
