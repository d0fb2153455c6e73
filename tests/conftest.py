"""What the unit tests share (the project-wide set-up is in the root conftest.py).

- MNIST, loaded once per test run as a learner loads it: ``load_mnist()`` through the user's
  cache, the one the notebooks use (``mnist``, ``mnist_raw``, ``small``, and ``net``, a network
  trained on it). Tests take slices of these arrays and never write into them. The tests of the
  cache itself build their own caches, each in an empty folder: ``fresh_cache``.
- ``feedback``: runs an exercise check, returns its verdict and what it printed, and asserts that
  it passed, or failed saying what it should; ``feedback.check`` runs an exercise of the check
  engine (``mnist_lib.checks.EXERCISES``) and returns its whole result.
- The notebooks: a test that takes ``notebook`` runs once per numbered notebook (a ``Path``);
  ``notebooks`` is the whole list, in order.
- Figures are drawn off screen, and every figure a test opens is closed after it.
"""
from __future__ import annotations

import contextlib
import io
import sys
from pathlib import Path

import matplotlib
import pytest

from mnist_lib import TwoLayerNet, load_mnist, train
from mnist_lib.checks import CheckResult, run_check

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


# --- MNIST ----------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def mnist():
    """``((x_train, t_train), (x_test, t_test))``, loaded once per test run."""
    return load_mnist()


@pytest.fixture(scope="session")
def mnist_raw():
    """``load_mnist(normalize=False)``: the pixels as uint8 0..255 ``(N, 784)``, int64 labels."""
    return load_mnist(normalize=False)


@pytest.fixture(scope="session")
def small(mnist):
    """The first 5000 training images and 1000 test images: ``((x, t), (x_test, t_test))``."""
    (x, t), (xt, tt) = mnist
    return (x[:5000], t[:5000]), (xt[:1000], tt[:1000])


@pytest.fixture(scope="session")
def net(mnist):
    """A TwoLayerNet 784-50-10 trained for 2 epochs on 20,000 MNIST images (seeded)."""
    (x_train, t_train), _ = mnist
    network = TwoLayerNet(784, 50, 10, weight_init_std="he", seed=0)
    train(network, (x_train[:20000], t_train[:20000]), lr=0.5, epochs=2, eval_every=10**9)
    return network


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    """An empty cache folder of the test's own (MNIST_LIB_CACHE names it; it does not exist yet)."""
    folder = tmp_path / "mnist_cache"
    monkeypatch.setenv("MNIST_LIB_CACHE", str(folder))
    return folder


# --- exercise checks ------------------------------------------------------------------------------

class Feedback:
    """Runs an exercise check (``mnist_lib.checks``) and judges what it printed."""

    @staticmethod
    def run(check, *answer) -> tuple[bool, str]:
        """``check(*answer)``: ``(passed, printed text)``."""
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            passed = check(*answer)
        return bool(passed), out.getvalue()

    @staticmethod
    def check(exercise, answer) -> tuple[CheckResult, str]:
        """``run_check(exercise, answer)``: ``(the result, printed text)``."""
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            result = run_check(exercise, answer)
        return result, out.getvalue()

    def passes(self, check, *answer) -> str:
        """Assert that the check passes the answer, without a single ✗; returns what it printed."""
        passed, text = self.run(check, *answer)
        assert passed, text
        assert "All tests passed" in text and "✗" not in text, text
        return text

    def fails(self, check, *answer, says=()) -> str:
        """Assert that the check fails the answer, printing every fragment of ``says``; returns
        what it printed."""
        passed, text = self.run(check, *answer)
        assert not passed, text
        assert "All tests passed" not in text, text
        for part in [says] if isinstance(says, str) else says:
            assert part in text, f"expected {part!r} in the feedback, it printed:\n{text}"
        return text


@pytest.fixture
def feedback() -> Feedback:
    return Feedback()


# --- notebooks and figures ------------------------------------------------------------------------

def pytest_generate_tests(metafunc):
    """A test that takes ``notebook`` runs once per numbered notebook, named by its file."""
    if "notebook" in metafunc.fixturenames:
        metafunc.parametrize("notebook", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])


@pytest.fixture(scope="session")
def notebooks() -> list[Path]:
    """The numbered notebooks ``notebooks/NN_*.ipynb``, in order."""
    return NOTEBOOKS


@pytest.fixture(autouse=True)
def close_figures():
    """Close every figure a test opened (pyplot keeps them all until closed)."""
    yield
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
