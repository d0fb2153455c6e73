"""Logic gates as perceptrons: full truth tables."""
import pytest

from mnist_lib.perceptron import AND, NAND, OR, XOR, perceptron

INPUTS = [(0, 0), (1, 0), (0, 1), (1, 1)]
TRUTH_TABLES = {
    AND: [0, 0, 0, 1],
    NAND: [1, 1, 1, 0],
    OR: [0, 1, 1, 1],
    XOR: [0, 1, 1, 0],
}


@pytest.mark.parametrize("gate", TRUTH_TABLES, ids=lambda g: g.__name__)
def test_truth_table(gate):
    got = [gate(x1, x2) for x1, x2 in INPUTS]
    assert got == TRUTH_TABLES[gate], f"{gate.__name__} on {INPUTS}: {got}"


@pytest.mark.parametrize("gate", TRUTH_TABLES, ids=lambda g: g.__name__)
def test_gates_return_python_ints(gate):
    assert all(type(gate(x1, x2)) is int for x1, x2 in INPUTS)


def test_perceptron_threshold_is_strict():
    assert perceptron(1, 1, (0.5, 0.5), -1.0) == 0  # w.x + b == 0 is not > 0
    assert perceptron(1, 1, (0.5, 0.5), -0.9) == 1
    assert perceptron(0, 0, (0.5, 0.5), 0.1) == 1
