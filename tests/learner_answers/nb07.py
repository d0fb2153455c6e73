"""Notebook 07: "Try it 1: Sigmoid backward", "Try it 2: Affine backward, PyTorch's way round",
"Try it 3: find the bug"."""
import numpy as np

import mnist_lib

from . import right, wrong

# --- Try it 1: "multiply the gradient that arrives (dout) by the local derivative, using the output
# self.out that forward stored" --------------------------------------------------------------------


class Sigmoid:
    def forward(self, x):
        self.out = 1 / (1 + np.exp(-x))
        return self.out

    def backward(self, dout):
        return dout * self.out * (1 - self.out)


class SigmoidFromInput(Sigmoid):  # keeps x and works the derivative out again
    def forward(self, x):
        self.x = x
        return super().forward(x)

    def backward(self, dout):
        s = 1 / (1 + np.exp(-self.x))
        return dout * (s - s ** 2)


class SigmoidStarter(Sigmoid):
    def backward(self, dout):
        dx = None
        return dx


class SigmoidNoDout(Sigmoid):
    def backward(self, dout):
        return self.out * (1 - self.out)


class SigmoidOfInput(SigmoidFromInput):
    def backward(self, dout):
        return dout * self.x * (1 - self.x)


class SigmoidTwice(Sigmoid):
    def backward(self, dout):
        s = 1 / (1 + np.exp(-self.out))
        return dout * s * (1 - s)


class SigmoidTimesY(Sigmoid):
    def backward(self, dout):
        return dout * self.out


class SigmoidOneMinusY(Sigmoid):
    def backward(self, dout):
        return dout * (1 - self.out)


class SigmoidInPlace(Sigmoid):
    def backward(self, dout):
        dout *= self.out * (1 - self.out)
        return dout


class SigmoidNameSlip(Sigmoid):
    def backward(self, dout):
        return dout * self.y * (1 - self.y)


# --- Try it 2: W of shape (M, D), out = x @ W.T + b; "work from the shapes" ------------------------

def linear_backward(dout, cache):
    x, W = cache
    return dout @ W, dout.T @ x, dout.sum(axis=0)


def linear_backward_dot(dout, cache):
    x, W = cache
    return np.dot(dout, W), np.dot(x.T, dout).T, np.sum(dout, axis=0)


def linear_backward_einsum(dout, cache):
    x, W = cache
    return np.einsum("nm,md->nd", dout, W), np.einsum("nm,nd->md", dout, x), dout.sum(0)


def linear_book_dx(dout, cache):  # the book's dx, for W of shape (D, M)
    x, W = cache
    return dout @ W.T, x.T @ dout, dout.sum(axis=0)


def linear_book_dw(dout, cache):
    x, W = cache
    return dout @ W, x.T @ dout, dout.sum(axis=0)


def linear_mean_db(dout, cache):
    x, W = cache
    return dout @ W, dout.T @ x, dout.mean(axis=0)


def linear_db_per_row(dout, cache):
    x, W = cache
    return dout @ W, dout.T @ x, dout.sum(axis=1)


# --- Try it 3: the layer "trains, just slowly" --------------------------------------------------------

class Affine:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout):
        self.dW = self.x.T @ dout
        self.db = dout.sum(axis=0)
        return dout @ self.W.T


class AffineDot(Affine):
    def backward(self, dout):
        self.dW, self.db = np.dot(self.x.T, dout), np.sum(dout, axis=0)
        return np.dot(dout, self.W.T)


class AffineFromTheNotebook(Affine):  # the cell as it is: the bug still in it
    def backward(self, dout):
        self.dW = self.x.T @ dout
        self.db = dout.mean(axis=0)
        return dout @ self.W.T


class AffineReturnsGradients(Affine):
    def backward(self, dout):
        dW, db = self.x.T @ dout, dout.sum(axis=0)  # noqa: F841 (computed, not stored)
        return dout @ self.W.T


class AffineDwTransposed(Affine):
    def backward(self, dout):
        dx = super().backward(dout)
        self.dW = dout.T @ self.x
        return dx


class AffineDxWithoutTranspose(Affine):
    def backward(self, dout):
        super().backward(dout)
        return dout @ self.W


ANSWERS = [
    right("07", "sigmoid_layer", Sigmoid, "dout * out * (1 - out)"),
    right("07", "sigmoid_layer", SigmoidFromInput, "derivative from the stored input"),
    right("07", "sigmoid_layer", mnist_lib.Sigmoid, "the library's Sigmoid"),
    wrong("07", "sigmoid_layer", None, SigmoidStarter, "the starter",
          says="backward(dout) is None: did you forget to return a value?"),
    wrong("07", "sigmoid_layer", "forgot-dout", SigmoidNoDout, "no dout"),
    wrong("07", "sigmoid_layer", "uses-the-input", SigmoidOfInput, "x for y"),
    wrong("07", "sigmoid_layer", "sigmoid-twice", SigmoidTwice, "sigmoid of out"),
    wrong("07", "sigmoid_layer", "y-not-y-times-1-minus-y", SigmoidTimesY, "dout * y"),
    wrong("07", "sigmoid_layer", "1-minus-y-only", SigmoidOneMinusY, "dout * (1 - y)"),
    wrong("07", "sigmoid_layer", "changes-input", SigmoidInPlace, "dout *= ...",
          says="backward(dout) changed its input dout"),
    wrong("07", "sigmoid_layer", None, SigmoidNameSlip, "self.y for self.out",
          says="backward(dout) raised AttributeError"),

    right("07", "linear_backward", linear_backward, "from the shapes"),
    right("07", "linear_backward", linear_backward_dot, "np.dot and a transpose"),
    right("07", "linear_backward", linear_backward_einsum, "np.einsum"),
    wrong("07", "linear_backward", None, lambda dout, cache: (None, None, None), "the starter",
          says=("dx is None: did you forget to return a value?",
                "dW is None: did you forget to return a value?",
                "db is None: did you forget to return a value?")),
    wrong("07", "linear_backward", None, lambda dout, cache: None, "returns nothing",
          says="linear_backward returned None: return dx, dW, db"),
    wrong("07", "linear_backward", None, lambda dout, cache: (dout, dout), "two arrays",
          says="three arrays"),
    wrong("07", "linear_backward", "book-layout", linear_book_dx, "the book's dx",
          says="raised ValueError"),
    wrong("07", "linear_backward", "book-dw", linear_book_dw, "the book's dW",
          says="dW: expected shape (2, 3), got (3, 2)"),
    wrong("07", "linear_backward", "db-mean", linear_mean_db, "db as a mean"),
    wrong("07", "linear_backward", "gradient-shape", linear_db_per_row, "db summed over axis 1",
          says="db: expected shape (2,), got (4,)"),

    right("07", "affine_layer", Affine, "the fix"),
    right("07", "affine_layer", AffineDot, "np.dot"),
    right("07", "affine_layer", mnist_lib.Affine, "the library's Affine"),
    wrong("07", "affine_layer", "db-mean", AffineFromTheNotebook, "the cell as it is",
          says="self.db: 2 of 2 values differ"),
    wrong("07", "affine_layer", "gradient-not-stored", AffineReturnsGradients, "dW and db not stored",
          says="after backward the layer has no dW"),
    wrong("07", "affine_layer", "dw-transposed", AffineDwTransposed, "dout.T @ x"),
    wrong("07", "affine_layer", "dx-without-transpose", AffineDxWithoutTranspose, "dout @ W"),
]
