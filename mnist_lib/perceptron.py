"""Logic gates as perceptrons: ``1 if w1*x1 + w2*x2 + b > 0 else 0``, as in the book's chapter 2."""
from __future__ import annotations

import numpy as np

__all__ = ["perceptron", "AND", "NAND", "OR", "XOR"]


def perceptron(x1: float, x2: float, w: tuple[float, float], b: float) -> int:
    """A two-input perceptron: 1 when ``w[0]*x1 + w[1]*x2 + b > 0``, else 0."""
    return int(np.dot(w, (x1, x2)) + b > 0)


def AND(x1: float, x2: float) -> int:
    """1 only when both inputs are 1 (weights 0.5, 0.5, bias -0.7)."""
    return perceptron(x1, x2, (0.5, 0.5), -0.7)


def NAND(x1: float, x2: float) -> int:
    """NOT AND: 0 only when both inputs are 1 (AND's weights and bias with their signs flipped)."""
    return perceptron(x1, x2, (-0.5, -0.5), 0.7)


def OR(x1: float, x2: float) -> int:
    """1 when at least one input is 1 (weights 0.5, 0.5, bias -0.2)."""
    return perceptron(x1, x2, (0.5, 0.5), -0.2)


def XOR(x1: float, x2: float) -> int:
    """1 when exactly one input is 1: a 2-layer perceptron, ``AND(NAND(x1, x2), OR(x1, x2))``."""
    return AND(NAND(x1, x2), OR(x1, x2))
