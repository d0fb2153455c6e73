"""Notebook 06: "Try it 1: central difference by hand", "Try it 2: a gradient with
`numerical_gradient`", "Try it 3: choose a learning rate"."""
import numpy as np

from mnist_lib import numerical_gradient

from . import right, wrong

# --- Try it 1: (f(x + h) - f(x - h)) / (2h), with the h the caller gives -------------------------


def central(f, x, h=1e-4):
    return (f(x + h) - f(x - h)) / (2 * h)


def central_halved(f, x, h=1e-4):
    return 0.5 * (f(x + h) - f(x - h)) / h


def central_starter(f, x, h=1e-4):
    return (f(x + h) - f(x)) / h


def central_h_set_inside(f, x, h=1e-4):
    h = 1e-4
    return (f(x + h) - f(x - h)) / (2 * h)


def central_without_h(f, x):
    return (f(x + 1e-4) - f(x - 1e-4)) / 2e-4


# --- Try it 2: f(x) = x[0]**2 + 3 * x[0] * x[1], and its gradient at (1, 2) ----------------------


def f(x):
    return x[0] ** 2 + 3 * x[0] * x[1]


def f_two_arguments(x0, x1):
    return x0 ** 2 + 3 * x0 * x1


ANSWERS = [
    right("06", "central_diff", central, "the formula"),
    right("06", "central_diff", central_halved, "0.5 * ... / h"),
    right("06", "central_diff", lambda f, x, h=1e-4: (f(x + h) - f(x - h)) / h / 2, "/ h / 2"),
    wrong("06", "central_diff", "forward-difference", central_starter, "the starter",
          says="central_diff(f, 5.0) for f(x) = 0.01x² + 0.1x should be 0.2, got 0.200001: that is "
               "the forward difference"),
    wrong("06", "central_diff", "divides-by-h", lambda f, x, h=1e-4: (f(x + h) - f(x - h)) / h,
          "divides by h"),
    wrong("06", "central_diff", "times-h", lambda f, x, h=1e-4: (f(x + h) - f(x - h)) / 2 * h,
          "/ 2 * h"),
    wrong("06", "central_diff", "difference-without-brackets",
          lambda f, x, h=1e-4: f(x + h) - f(x - h) / (2 * h), "no brackets around the difference"),
    wrong("06", "central_diff", "h-too-small", lambda f, x, h=1e-50: (f(x + h) - f(x - h)) / (2 * h),
          "h = 1e-50", says="x + h == x"),
    wrong("06", "central_diff", "ignores-h", central_h_set_inside, "h set inside"),
    wrong("06", "central_diff", "no-h-parameter", central_without_h, "no h parameter",
          says="raised TypeError"),

    right("06", "gradient", (f, np.array([8.0, 3.0])), "worked out by hand"),
    right("06", "gradient", (f, numerical_gradient(f, np.array([1.0, 2.0]))), "numerical_gradient"),
    right("06", "gradient", (f, [8, 3]), "a list of ints"),
    wrong("06", "gradient", None, (lambda x: None, None), "the starter",
          says="f(np.array([1.0, 2.0])) is None: did you forget to return a value?; f should "
               "compute x[0]**2 + 3 * x[0] * x[1]"),
    wrong("06", "gradient", None, (f, None), "grad left None", says="grad is None"),
    wrong("06", "gradient", "swapped", (f, np.array([3.0, 8.0])), "the two slopes swapped"),
    wrong("06", "gradient", "signs-flipped", (f, np.array([-8.0, -3.0])), "minus the gradient"),
    wrong("06", "gradient", "wrong-point", (f, np.array([7.0, 6.0])), "at (2, 1)"),
    wrong("06", "gradient", "value-not-gradient", (f, 7.0), "f's value", says="single number"),
    wrong("06", "gradient", "two-arguments", (f_two_arguments, None), "f of x0 and x1"),
    wrong("06", "gradient", None, (lambda x: x[0] ** 2 + x[1] ** 2, np.array([2.0, 4.0])),
          "another function", says="f should compute"),

    right("06", "descent_lr", 0.3, "0.3"),
    right("06", "descent_lr", 0.5, "0.5, one step"),
    right("06", "descent_lr", 0.15, "0.15, near the lower end"),
    right("06", "descent_lr", 0.85, "0.85, near the upper end"),
    right("06", "descent_lr", np.float64(1 / 3), "a NumPy float"),
    wrong("06", "descent_lr", "too-slow", 0.1, "the starter",
          says="after 20 steps with lr = 0.1 the point is at distance 0.0576461 from the minimum "
               "(0, 0): it is heading the right way but too slowly"),
    wrong("06", "descent_lr", "too-slow", 0.13, "just below the range"),
    wrong("06", "descent_lr", "zig-zags", 0.87, "just above the range"),
    wrong("06", "descent_lr", "oscillates", 1, "1"),
    wrong("06", "descent_lr", "diverges", 1.5, "1.5"),
    wrong("06", "descent_lr", "hardly-moves", 1e-10, "1e-10"),
    wrong("06", "descent_lr", "not-positive", -0.1, "a negative rate", says="lr should be a finite number greater than 0, got -0.1"),
    wrong("06", "descent_lr", "not-positive", 0, "zero"),
    wrong("06", "descent_lr", None, None, "left None", says="lr is None"),
    wrong("06", "descent_lr", None, "0.3", "in quotes", says="lr should be a number, got str '0.3'"),
]
