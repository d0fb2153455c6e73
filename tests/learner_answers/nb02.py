"""Notebook 02: "Try it: ReLU for a whole array", "Sigmoid without overflow", "Softmax for a batch"."""
import math

import numpy as np

import mnist_lib

from . import right, wrong

# --- ReLU for a whole array: "returns a new array ... (without changing x itself)" ---------------


def relu_in_place(x):
    x[x < 0] = 0
    return x


def relu_one_number_at_a_time(x):  # right for a vector; a 2-D array hands max() whole rows
    return np.array([max(0, v) for v in x])


# --- Sigmoid without overflow ----------------------------------------------------------------------

def sigmoid_stable(x):
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_clipped(x):
    return 1 / (1 + np.exp(-np.clip(x, -500, 500)))


def sigmoid_log_sum_exp(x):
    return np.exp(-np.logaddexp(0, -x))


def sigmoid_where_unsafe(x):  # np.where picks the safe formula, but computes both everywhere
    return np.where(x >= 0, 1 / (1 + np.exp(-x)), np.exp(x) / (1 + np.exp(x)))


def sigmoid_math(x):
    return 1 / (1 + math.exp(-x))


def sigmoid_saving_memory(x):  # works on x itself, to save an array
    np.negative(x, out=x)
    np.clip(x, -500, 500, out=x)
    np.exp(x, out=x)
    x += 1
    return 1 / x


# --- Softmax for a batch ---------------------------------------------------------------------------

def softmax_rows(x):
    exp_x = np.exp(x - x.max(axis=-1, keepdims=True))
    return exp_x / exp_x.sum(axis=-1, keepdims=True)


def softmax_log_sum_exp(x):
    m = np.max(x, axis=-1, keepdims=True)
    return np.exp(x - m - np.log(np.sum(np.exp(x - m), axis=-1, keepdims=True)))


def softmax_starter(x):
    c = np.max(x)
    exp_x = np.exp(x - c)
    return exp_x / np.sum(exp_x)


def softmax_axis_0(x):
    exp_x = np.exp(x - np.max(x, axis=0, keepdims=True))
    return exp_x / np.sum(exp_x, axis=0, keepdims=True)


def softmax_no_keepdims(x):
    exp_x = np.exp(x - np.max(x, axis=-1))
    return exp_x / np.sum(exp_x, axis=-1)


def softmax_axis_1(x):
    exp_x = np.exp(x - np.max(x, axis=1, keepdims=True))
    return exp_x / np.sum(exp_x, axis=1, keepdims=True)


def softmax_no_max(x):
    exp_x = np.exp(x)
    return exp_x / np.sum(exp_x, axis=-1, keepdims=True)


def softmax_in_place(x):
    x -= np.max(x, axis=-1, keepdims=True)
    exp_x = np.exp(x)
    return exp_x / np.sum(exp_x, axis=-1, keepdims=True)


ANSWERS = [
    right("02", "relu", lambda x: np.maximum(0, x), "np.maximum"),
    right("02", "relu", lambda x: np.where(x > 0, x, 0.0), "np.where"),
    right("02", "relu", lambda x: x * (x > 0), "times a mask"),
    right("02", "relu", lambda x: np.clip(x, 0, None), "np.clip"),
    right("02", "relu", mnist_lib.relu, "the library's relu"),
    wrong("02", "relu", "python-max", lambda x: max(0, x), "the starter's max",
          says="raised ValueError: The truth value of an array"),
    wrong("02", "relu", "python-max", relu_one_number_at_a_time, "a loop over a vector"),
    wrong("02", "relu", "np-max", lambda x: np.max(0, x), "np.max for max", says="raised TypeError"),
    wrong("02", "relu", "minimum-not-maximum", lambda x: np.minimum(0, x), "np.minimum"),
    wrong("02", "relu", "returns-bool", lambda x: x > 0, "returns where x is positive"),
    wrong("02", "relu", "changes-input", relu_in_place, "zeroes x in place",
          says="relu(np.array([-2.0, -0.5, 0.0, 0.5, 3.0])) changed its input x"),
    wrong("02", "relu", None, np.abs, "absolute value",
          says="2 of 5 values differ; at index 0 expected 0, got 2"),

    right("02", "sigmoid", sigmoid_stable, "np.where on exp(-|x|)"),
    right("02", "sigmoid", sigmoid_clipped, "x clipped to +-500"),
    right("02", "sigmoid", sigmoid_log_sum_exp, "np.logaddexp"),
    right("02", "sigmoid", mnist_lib.sigmoid, "the library's sigmoid"),
    wrong("02", "sigmoid", "overflow", lambda x: 1 / (1 + np.exp(-x)), "the textbook formula",
          says="sigmoid(np.array([-1000.0])) made NumPy warn: overflow encountered in exp"),
    wrong("02", "sigmoid", "overflow", sigmoid_where_unsafe, "np.where on the two formulas"),
    wrong("02", "sigmoid", "gives-nan", lambda x: np.exp(x) / (1 + np.exp(x)), "e**x / (1 + e**x)",
          says="sigmoid(np.array([1000.0])) gave nan (not a number)"),
    wrong("02", "sigmoid", "sign-flipped", lambda x: 1 / (1 + np.exp(x)), "no minus sign",
          says="4 of 5 values differ; at index 0 expected 0.119203, got 0.880797"),
    wrong("02", "sigmoid", "math-exp", sigmoid_math, "math.exp", says="raised TypeError"),
    wrong("02", "sigmoid", "changes-input", sigmoid_saving_memory, "computes in x to save memory"),

    right("02", "softmax", softmax_rows, "max and sum per row"),
    right("02", "softmax", softmax_log_sum_exp, "log-sum-exp"),
    right("02", "softmax", mnist_lib.softmax, "the library's softmax"),
    wrong("02", "softmax", "whole-array", softmax_starter, "the starter's whole-array max and sum",
          says="each row should sum to 1, got row sums [0., 1.]"),
    wrong("02", "softmax", "down-the-columns", softmax_axis_0, "axis=0",
          says="each row should sum to 1"),
    wrong("02", "softmax", "no-keepdims", softmax_no_keepdims, "axis=-1 without keepdims",
          says="could not be broadcast"),
    wrong("02", "softmax", "axis-1", softmax_axis_1, "axis=1",
          says="softmax(np.array([0.0, 1.0, 2.0])) raised AxisError"),
    wrong("02", "softmax", "max-not-subtracted", softmax_no_max, "no maximum subtracted",
          says="softmax(np.array([1010.0, 1000.0, 990.0])) gave nan (not a number)"),
    wrong("02", "softmax", "changes-input", softmax_in_place, "subtracts the max in place"),
    wrong("02", "softmax", None, lambda x: softmax_rows(x).T, "transposed",
          says="expected shape (2, 3), got (3, 2)"),
]
