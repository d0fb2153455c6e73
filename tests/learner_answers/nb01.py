"""Notebook 01: "Try it: NAND", "Try it: find weights for OR", "Try it: compose XOR"."""
import numpy as np

from mnist_lib import perceptron as gates

from . import right, wrong


def perceptron(x1, x2, w, b):
    """The notebook's perceptron, as a learner copies it from section 2."""
    total = w[0] * x1 + w[1] * x2 + b
    return 1 if total > 0 else 0


# --- Try it: NAND ("change AND's numbers until the check passes") --------------------------------

def nand_flipped(x1, x2):
    return perceptron(x1, x2, (-0.5, -0.5), 0.7)


def nand_from_logic(x1, x2):
    return int(not (x1 and x2))


def nand_starter(x1, x2):  # AND's numbers, left as they were
    return perceptron(x1, x2, (0.5, 0.5), -0.7)


def nand_only_bias_flipped(x1, x2):
    return perceptron(x1, x2, (0.5, 0.5), 0.7)


def nand_only_weights_flipped(x1, x2):
    return perceptron(x1, x2, (-0.5, -0.5), -0.7)


def nand_returns_comparison(x1, x2):
    return -0.5 * x1 - 0.5 * x2 + 0.7 > 0


# --- Try it: find weights for OR -----------------------------------------------------------------

# --- Try it: compose XOR -------------------------------------------------------------------------

def xor_composed(x1, x2):
    return gates.AND(gates.NAND(x1, x2), gates.OR(x1, x2))


def xor_by_difference(x1, x2):
    return int(x1 != x2)


def xor_from_and_or(x1, x2):  # "one or the other but not both", spelled out
    return gates.OR(gates.AND(x1, gates.NAND(x1, x2)), gates.AND(x2, gates.NAND(x1, x2)))


def xor_starter(x1, x2):
    return gates.OR(x1, x2)


def xor_last_gate_nand(x1, x2):  # the two layers right, the wrong gate on top
    return gates.NAND(gates.NAND(x1, x2), gates.OR(x1, x2))


def xor_and_only(x1, x2):
    return gates.AND(x1, x2)


def xor_nand_only(x1, x2):
    return gates.NAND(x1, x2)


def xor_last_gate_or(x1, x2):
    return gates.OR(gates.NAND(x1, x2), gates.OR(x1, x2))


def xor_returns_bool(x1, x2):
    return x1 != x2


ANSWERS = [
    right("01", "nand", nand_flipped, "signs of AND flipped"),
    right("01", "nand", nand_from_logic, "not (x1 and x2) as an int"),
    right("01", "nand", gates.NAND, "the library's NAND"),
    right("01", "nand", lambda x1, x2: np.int64(1 - x1 * x2), "1 - x1*x2 as a NumPy int"),
    wrong("01", "nand", "opposite-of-nand", nand_starter, "AND's numbers left",
          says=("NAND(0, 0) should be 1, got 0", "NAND(1, 1) should be 0, got 1")),
    wrong("01", "nand", "always-fires", nand_only_bias_flipped, "only the bias flipped",
          says="NAND(1, 1) should be 0, got 1"),
    wrong("01", "nand", "never-fires", nand_only_weights_flipped, "only the weights flipped"),
    wrong("01", "nand", "returns-bool", nand_returns_comparison, "returns the comparison",
          says="NAND(1, 1) should be the number 0, got False, a True/False value"),
    wrong("01", "nand", None, lambda x1, x2: None, "prints instead of returning",
          says="NAND(0, 0) is None: did you forget to return a value?"),

    right("01", "or_weights", ((0.5, 0.5), -0.2), "AND's weights, bias raised"),
    right("01", "or_weights", ([1, 1], 0), "bias 0, the edge that still works"),
    right("01", "or_weights", (np.array([0.3, 0.9]), -0.25), "unequal weights"),
    wrong("01", "or_weights", "one-input-not-enough", ((0.5, 0.5), -0.7), "AND's numbers left",
          says="OR(1, 0) should be 1, got 0: 0.5*1 + 0.5*0 - 0.7 = -0.2, which is not > 0"),
    wrong("01", "or_weights", "total-exactly-zero", ((0.5, 0.5), -0.5), "bias exactly -0.5",
          says="0.5*1 + 0.5*0 - 0.5 = 0, which is not > 0"),
    wrong("01", "or_weights", "bias-above-zero", ((0.5, 0.5), 0.01), "bias just above 0",
          says="OR(0, 0) should be 0, got 1: 0.5*0 + 0.5*0 + 0.01 = 0.01, which is > 0"),
    wrong("01", "or_weights", "bias-above-zero", ((1, 1), 0.5), "bias 0.5"),
    wrong("01", "or_weights", None, ((1, 1, 1), -0.5), "a weight per row of the table",
          says="w should hold 2 numbers (one weight per input), got shape (3,)"),
    wrong("01", "or_weights", None, ((1, 1), [-0.5, -0.5]), "a bias per input",
          says="b should be a single number, got shape (2,)"),

    right("01", "xor", xor_composed, "AND of NAND and OR"),
    right("01", "xor", xor_by_difference, "x1 != x2 as an int"),
    right("01", "xor", xor_from_and_or, "one but not both, spelled out"),
    wrong("01", "xor", "or-not-xor", xor_starter, "the starter's OR", says="XOR(1, 1) should be 0, got 1"),
    wrong("01", "xor", "xnor-not-xor", xor_last_gate_nand, "NAND on top"),
    wrong("01", "xor", "and-not-xor", xor_and_only, "AND alone"),
    wrong("01", "xor", "nand-not-xor", xor_nand_only, "NAND alone"),
    wrong("01", "xor", "constant-output", xor_last_gate_or, "OR on top"),
    wrong("01", "xor", "returns-bool", xor_returns_bool, "returns x1 != x2"),
]
