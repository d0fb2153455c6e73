"""Shared test set-up: one BLAS thread count for the test run and for every notebook kernel it starts."""
import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "2")
