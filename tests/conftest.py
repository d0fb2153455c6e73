"""Shared test set-up: one BLAS thread count (and idle timeout) for the test run and every notebook kernel it starts."""
import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "2")
os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", "20")  # as the Makefile sets it (see its comment)
