"""The exercise checks of notebooks 01 (perceptrons) and 02 (activation functions).

Each check must pass a correct answer and fail the typical wrong ones with a message that says
what is wrong. The correct answers here are written independently of mnist_lib (truth tables,
the definitions of sigmoid, ReLU and softmax); expected numbers come from ``math`` or from the
published softmax of [0, 1, 2].
"""
from __future__ import annotations

import math

import numpy as np
import pytest

import mnist_lib
from mnist_lib import perceptron as gates
from mnist_lib.checks import (check_nand, check_or_weights, check_relu, check_sigmoid,
                              check_softmax, check_xor)


# ----- 01 perceptrons --------------------------------------------------------------------------

def nand_truth_table(x1, x2):
    return 0 if (x1, x2) == (1, 1) else 1


def xor_truth_table(x1, x2):
    return 1 if x1 != x2 else 0


@pytest.mark.parametrize("gate", [nand_truth_table, gates.NAND,
                                  lambda x1, x2: int(-0.5 * x1 - 0.5 * x2 + 0.7 > 0),
                                  lambda x1, x2: np.int64(1 - x1 * x2)])
def test_check_nand_passes_correct_gates(feedback, gate):
    feedback.passes(check_nand, gate)


def test_check_nand_names_every_wrong_row_and_spots_and(feedback):
    feedback.fails(check_nand, gates.AND,
                   says=["NAND(0, 0) should be 1, got 0", "NAND(1, 1) should be 0, got 1",
                         "opposite of NAND's: flip the signs"])


def test_check_nand_one_wrong_row(feedback):
    text = feedback.fails(check_nand, gates.OR, says=["NAND(0, 0) should be 1, got 0"])
    assert "NAND(1, 1) should be 0, got 1" in text
    assert "NAND(1, 0)" not in text and "opposite" not in text


def test_check_nand_wants_integers_not_bools_floats_or_none(feedback):
    feedback.fails(check_nand, lambda x1, x2: not (x1 and x2),
                   says=["NAND(1, 1) returned False, a True/False value"])
    feedback.fails(check_nand, lambda x1, x2: 1.0 - x1 * x2, says=["NAND(0, 0) returned 1.0 (float)"])
    feedback.fails(check_nand, lambda x1, x2: None,
                   says=["NAND(0, 0) returned None: did you forget to `return`"])


def test_check_nand_reports_an_exception_instead_of_raising(feedback):
    def broken(x1, x2):
        return np.dot((0.5, 0.5, 0.5), (x1, x2)) > 0
    feedback.fails(check_nand, broken, says=["NAND(0, 0) raised ValueError"])


@pytest.mark.parametrize("w, b", [((0.5, 0.5), -0.2), ([1, 1], -0.5), (np.array([1.0, 1.0]), -0.99),
                                  ((2, 3), -1)])
def test_check_or_weights_passes_or_weights(feedback, w, b):
    feedback.passes(check_or_weights, w, b)


def test_check_or_weights_shows_the_weighted_sum(feedback):
    # 0.5*1 + 0.5*0 - 0.7 = -0.2: not > 0, so AND's weights give 0 where OR needs 1
    feedback.fails(check_or_weights, (0.5, 0.5), -0.7,
                   says=["OR(1, 0) should be 1, got 0: 0.5*1 + 0.5*0 - 0.7 = -0.2, which is not > 0",
                         "OR(0, 1) should be 1, got 0"])


def test_check_or_weights_a_sum_of_exactly_zero_is_not_enough(feedback):
    feedback.fails(check_or_weights, (0.5, 0.5), -0.5,
                   says=["0.5*1 + 0.5*0 - 0.5 = 0, which is not > 0"])


def test_check_or_weights_positive_bias_fires_at_zero(feedback):
    feedback.fails(check_or_weights, (0.5, 0.5), 0.2,
                   says=["OR(0, 0) should be 0, got 1: 0.5*0 + 0.5*0 + 0.2 = 0.2, which is > 0"])


def test_check_or_weights_shapes(feedback):
    feedback.fails(check_or_weights, (1, 1, 1), -0.5, says=["w should hold 2 numbers", "got shape (3,)"])
    feedback.fails(check_or_weights, (1, 1), [-0.5, -0.5],
                   says=["b should be a single number, got shape (2,)"])
    feedback.fails(check_or_weights, (1, 1), None, says=["should be ordinary numbers"])


@pytest.mark.parametrize("gate", [xor_truth_table, gates.XOR,
                                  lambda x1, x2: gates.AND(gates.NAND(x1, x2), gates.OR(x1, x2))])
def test_check_xor_passes_correct_gates(feedback, gate):
    feedback.passes(check_xor, gate)


def test_check_xor_failures(feedback):
    feedback.fails(check_xor, gates.OR, says=["XOR(1, 1) should be 0, got 1"])
    text = feedback.fails(check_xor, lambda x1, x2: gates.OR(gates.NAND(x1, x2), gates.AND(x1, x2)),
                          says=["XOR(0, 0) should be 0, got 1", "XOR(1, 1) should be 0, got 1"])
    assert "flip the signs" not in text  # that hint is for NAND only


# ----- 02 activation functions -----------------------------------------------------------------

def stable_sigmoid(x):
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def clipped_sigmoid(x):
    return 1 / (1 + np.exp(-np.clip(x, -500, 500)))


@pytest.mark.parametrize("f", [stable_sigmoid, clipped_sigmoid, mnist_lib.sigmoid])
def test_check_sigmoid_passes_overflow_free_sigmoids(feedback, f):
    feedback.passes(check_sigmoid, f)


def test_check_sigmoid_reports_overflow_of_the_textbook_formula(feedback):
    text = feedback.fails(check_sigmoid, lambda x: 1 / (1 + np.exp(-x)),
                          says=["sigmoid(np.array([-1000.0])) made NumPy warn: overflow encountered in exp",
                                "e = np.exp(-np.abs(x))"])
    assert "sigmoid(np.array([1000.0]))" not in text  # exp(-1000) only underflows to 0: no warning


def test_check_sigmoid_reports_nan(feedback):
    feedback.fails(check_sigmoid, lambda x: np.exp(x) / (1 + np.exp(x)),
                   says=["sigmoid(np.array([1000.0])) gave nan (not a number)"])


def test_check_sigmoid_wrong_sign_shows_the_first_wrong_value(feedback):
    expected = f"{1 / (1 + math.exp(2)):.6g}"      # sigmoid(-2) = 0.119203
    got = f"{1 / (1 + math.exp(-2)):.6g}"          # sigmoid(+2) = 0.880797
    feedback.fails(check_sigmoid, lambda x: 1 / (1 + np.exp(x)),
                   says=[f"4 of 5 values differ; at index 0 expected {expected}, got {got}"])


def test_check_sigmoid_other_mistakes(feedback):
    feedback.fails(check_sigmoid, lambda x: None, says=["is None: did you forget to return a value?"])
    feedback.fails(check_sigmoid, lambda x: 1 / (1 + math.exp(-x)), says=["raised TypeError"])

    def in_place(x):
        x[...] = stable_sigmoid(x)
        return x
    feedback.fails(check_sigmoid, in_place, says=["sigmoid changed its input array"])


@pytest.mark.parametrize("f", [lambda x: np.maximum(0, x), lambda x: np.where(x > 0, x, 0.0),
                               lambda x: x * (x > 0), mnist_lib.relu])
def test_check_relu_passes_correct_relus(feedback, f):
    feedback.passes(check_relu, f)


def test_check_relu_explains_pythons_max(feedback):
    feedback.fails(check_relu, lambda x: max(0, x),
                   says=["raised ValueError: The truth value of an array", "np.maximum(0, x)"])


def test_check_relu_explains_np_max(feedback):
    feedback.fails(check_relu, lambda x: np.max(0, x),
                   says=["raised TypeError", "np.max(x) finds the single largest"])


def test_check_relu_other_mistakes(feedback):
    feedback.fails(check_relu, lambda x: x > 0, says=["returned True/False values"])
    feedback.fails(check_relu, np.abs, says=["2 of 5 values differ; at index 0 expected 0, got 2"])
    feedback.fails(check_relu, lambda x: np.maximum(0, x)[:2], says=["expected shape (5,), got (2,)"])

    def in_place(x):
        x[x < 0] = 0
        return x
    text = feedback.fails(check_relu, in_place, says=["relu changed its input array"])
    assert text.count("changed its input") == 1


def stable_softmax(x):
    e = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


@pytest.mark.parametrize("f", [stable_softmax, mnist_lib.softmax])
def test_check_softmax_passes_stable_softmaxes(feedback, f):
    feedback.passes(check_softmax, f)


def test_softmax_of_0_1_2_is_the_published_value():
    published = [0.09003057, 0.24472847, 0.66524096]
    assert np.allclose(mnist_lib.softmax(np.array([0.0, 1.0, 2.0])), published, rtol=0, atol=5e-9)


def test_check_softmax_accepts_exactly_the_right_numbers(feedback):
    def table(x):  # softmax worked out by hand: e^-k / (1 + e^-1 + e^-2) and e^-10k / (1 + e^-10 + e^-20)
        rows = np.atleast_2d(x)
        out = []
        for row in rows:
            step = row[1] - row[0]
            z = 1 + math.exp(-abs(step)) + math.exp(-2 * abs(step))
            p = [math.exp(-2), math.exp(-1), 1.0] if step > 0 else [1.0, math.exp(-10), math.exp(-20)]
            out.append([v / z for v in p])
        return np.array(out).reshape(np.shape(x))
    feedback.passes(check_softmax, table)


def test_check_softmax_reports_overflow_and_nan(feedback):
    def naive(x):
        return np.exp(x) / np.sum(np.exp(x))
    feedback.fails(check_softmax, naive,
                   says=["softmax(np.array([1010.0, 1000.0, 990.0])) made NumPy warn: "
                         "overflow encountered in exp",
                         "gave nan (not a number)", "subtract the largest score"])


def test_check_softmax_row_sums_of_a_batch(feedback):
    def whole_array(x):  # the 1-D fix, applied to a whole batch
        e = np.exp(x - np.max(x))
        return e / np.sum(e)
    # row 0 is exp(-1010...) = 0 (underflow), row 1 takes all the probability
    feedback.fails(check_softmax, whole_array, says=["each row should sum to 1, got row sums [0., 1.]",
                                                     "axis=-1, keepdims=True"])

    def columns(x):
        e = np.exp(x - np.max(x, axis=0))
        return e / np.sum(e, axis=0)
    feedback.fails(check_softmax, columns, says=["each row should sum to 1"])


def test_check_softmax_explains_keepdims_and_axis(feedback):
    def no_keepdims(x):
        e = np.exp(x - np.max(x, axis=-1))
        return e / np.sum(e, axis=-1)
    feedback.fails(check_softmax, no_keepdims, says=["could not be broadcast", "keepdims=True"])

    def rows_only(x):
        e = np.exp(x - np.max(x, axis=1, keepdims=True))
        return e / np.sum(e, axis=1, keepdims=True)
    feedback.fails(check_softmax, rows_only, says=["softmax(np.array([0.0, 1.0, 2.0])) raised AxisError",
                                                   "axis=-1 (the last axis)"])


def test_check_softmax_in_place_and_shape(feedback):
    def in_place(x):
        x -= np.max(x, axis=-1, keepdims=True)
        e = np.exp(x)
        return e / np.sum(e, axis=-1, keepdims=True)
    text = feedback.fails(check_softmax, in_place, says=["softmax changed its input array"])
    assert text.count("changed its input") == 1
    feedback.fails(check_softmax, lambda x: stable_softmax(x).T,
                   says=["expected shape (2, 3), got (3, 2)"])
    feedback.fails(check_softmax, lambda x: None, says=["is None"])
