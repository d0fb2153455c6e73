"""Notebook 11: "Try it 1: SGD" to "Try it 5: Adam", each a class with the book's
``update(params, grads)``, written from the notebook's formulas and starters."""
import math

import numpy as np

import mnist_lib

from . import right, wrong

# --- Try it 1: "one step downhill, lr times the gradient, for every array" -------------------------


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key, value in params.items():
            value -= self.lr * grads[key]


class SGDStarter(SGD):
    def update(self, params, grads):
        pass  # your code here


class SGDNewArrays(SGD):
    def update(self, params, grads):
        for key in params:
            params[key] = params[key] - self.lr * grads[key]


class SGDUphill(SGD):
    def update(self, params, grads):
        for key in params:
            params[key] += self.lr * grads[key]


class SGDNoRate(SGD):
    def update(self, params, grads):
        for key in params:
            params[key] -= grads[key]


class SGDHardCoded(SGD):
    def update(self, params, grads):
        for key in params:
            params[key] -= 0.01 * grads[key]


class SGDRenamed:
    def __init__(self, learning_rate=0.01):
        self.lr = learning_rate

    def update(self, params, grads):
        for key in params:
            params[key] -= self.lr * grads[key]


class SGDScalesGrads(SGD):
    def update(self, params, grads):
        for key in params:
            grads[key] *= self.lr
            params[key] -= grads[key]


# --- Try it 2: "v = momentum * v - lr * grad, then params[key] += v; one v per key" ---------------

class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr, self.momentum = lr, momentum
        self.v = None

    def update(self, params, grads):
        if self.v is None:
            self.v = {key: np.zeros_like(value) for key, value in params.items()}
        for key in params:
            self.v[key] *= self.momentum
            self.v[key] -= self.lr * grads[key]
            params[key] += self.v[key]


class MomentumPyTorchStyle:
    """PyTorch's form: a buffer of summed gradients, the learning rate applied at the step."""

    def __init__(self, lr=0.01, momentum=0.9):
        self.lr, self.momentum, self.buffer = lr, momentum, {}

    def update(self, params, grads):
        for key in params:
            self.buffer[key] = self.momentum * self.buffer.get(key, 0.0) + grads[key]
            params[key] -= self.lr * self.buffer[key]


class MomentumStarter(Momentum):
    def update(self, params, grads):
        pass  # your code here


class MomentumNewArrays(Momentum):
    def update(self, params, grads):
        if self.v is None:
            self.v = {key: np.zeros_like(value) for key, value in params.items()}
        for key in params:
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
            params[key] = params[key] + self.v[key]


class MomentumMinus(Momentum):
    def update(self, params, grads):
        if self.v is None:
            self.v = {key: np.zeros_like(value) for key, value in params.items()}
        for key in params:
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
            params[key] -= self.v[key]


class MomentumLocalVelocity(Momentum):
    def update(self, params, grads):
        for key in params:
            v = np.zeros_like(params[key])
            v = self.momentum * v - self.lr * grads[key]
            params[key] += v


class MomentumAverage(Momentum):
    def update(self, params, grads):
        if self.v is None:
            self.v = {key: np.zeros_like(value) for key, value in params.items()}
        for key in params:
            self.v[key] = self.momentum * self.v[key] - (1 - self.momentum) * self.lr * grads[key]
            params[key] += self.v[key]


class MomentumFixedNumbers(Momentum):
    def update(self, params, grads):
        if self.v is None:
            self.v = {key: np.zeros_like(value) for key, value in params.items()}
        for key in params:
            self.v[key] = 0.9 * self.v[key] - 0.01 * grads[key]
            params[key] += self.v[key]


class MomentumBeta:
    def __init__(self, lr=0.01, beta=0.9):
        self.lr, self.beta, self.v = lr, beta, None

    def update(self, params, grads):
        pass


class MomentumOneVelocity(Momentum):
    def update(self, params, grads):
        if self.v is None:
            self.v = np.zeros_like(params["W"])
        for key in params:
            self.v = self.momentum * self.v - self.lr * grads[key]
            params[key] += self.v


# --- Try it 3: "h += g * g, then params[key] -= lr * g / (np.sqrt(h) + 1e-7)" ----------------------

class AdaGrad:
    def __init__(self, lr=0.01):
        self.lr = lr
        self.h = None

    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(value) for key, value in params.items()}
        for key in params:
            self.h[key] += np.square(grads[key])
            params[key] -= self.lr / (np.sqrt(self.h[key]) + 1e-7) * grads[key]


class AdaGradEpsilon8(AdaGrad):  # PyTorch's epsilon, in the same place
    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(value) for key, value in params.items()}
        for key in params:
            self.h[key] = self.h[key] + grads[key] ** 2
            params[key] -= self.lr * grads[key] / (self.h[key] ** 0.5 + 1e-8)


class AdaGradStarter(AdaGrad):
    def update(self, params, grads):
        pass  # your code here


class AdaGradLastSquare(AdaGrad):
    def update(self, params, grads):
        for key in params:
            self.h = grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h) + 1e-7)


class AdaGradEpsilonInside(AdaGrad):
    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(value) for key, value in params.items()}
        for key in params:
            self.h[key] += grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / np.sqrt(self.h[key] + 1e-7)


class AdaGradNoRoot(AdaGrad):
    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(value) for key, value in params.items()}
        for key in params:
            self.h[key] += grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (self.h[key] + 1e-7)


class AdaGradNewArrays(AdaGrad):
    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(value) for key, value in params.items()}
        for key in params:
            self.h[key] += grads[key] * grads[key]
            params[key] = params[key] - self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)


class AdaGradRate:
    def __init__(self, learning_rate=0.01):
        self.lr, self.h = learning_rate, None

    def update(self, params, grads):
        pass


# --- Try it 4: "h = decay_rate * h + (1 - decay_rate) * g * g; the step as AdaGrad's" -------------

class RMSprop:
    def __init__(self, lr=0.01, decay_rate=0.99):
        self.lr, self.decay_rate = lr, decay_rate
        self.h = None

    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(value) for key, value in params.items()}
        for key in params:
            g = grads[key]
            self.h[key] += (1 - self.decay_rate) * (g * g - self.h[key])  # the same average
            params[key] -= self.lr * g / (np.sqrt(self.h[key]) + 1e-7)


class RMSpropStarter(RMSprop):
    def update(self, params, grads):
        pass  # your code here


class RMSpropSwapped(RMSprop):
    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(value) for key, value in params.items()}
        for key in params:
            self.h[key] = (1 - self.decay_rate) * self.h[key] + self.decay_rate * grads[key] ** 2
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)


class RMSpropNoFading(RMSprop):
    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(value) for key, value in params.items()}
        for key in params:
            self.h[key] += (1 - self.decay_rate) * grads[key] ** 2
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)


class RMSpropEpsilonInside(RMSprop):
    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(value) for key, value in params.items()}
        for key in params:
            self.h[key] = self.decay_rate * self.h[key] + (1 - self.decay_rate) * grads[key] ** 2
            params[key] -= self.lr * grads[key] / np.sqrt(self.h[key] + 1e-7)


class RMSpropNewArrays(RMSprop):
    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(value) for key, value in params.items()}
        for key in params:
            self.h[key] = self.decay_rate * self.h[key] + (1 - self.decay_rate) * grads[key] ** 2
            params[key] = params[key] - self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)


class RMSpropRho:
    def __init__(self, lr=0.01, rho=0.99):
        self.lr, self.rho, self.h = lr, rho, None

    def update(self, params, grads):
        pass


# --- Try it 5: Adam, "m and v as moving averages, then the corrected step" ------------------------

class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr, self.beta1, self.beta2 = lr, beta1, beta2
        self.iter = 0
        self.m = self.v = None

    def update(self, params, grads):
        if self.m is None:
            self.m = {key: np.zeros_like(value) for key, value in params.items()}
            self.v = {key: np.zeros_like(value) for key, value in params.items()}
        self.iter += 1
        t = self.iter
        for key in params:
            g = grads[key]
            self.m[key] = self.beta1 * self.m[key] + (1 - self.beta1) * g
            self.v[key] = self.beta2 * self.v[key] + (1 - self.beta2) * g ** 2
            m_hat = self.m[key] / (1 - self.beta1 ** t)  # the paper's form
            v_hat = self.v[key] / (1 - self.beta2 ** t)
            params[key] -= self.lr * m_hat / (np.sqrt(v_hat) + 1e-8)


class AdamStarter(Adam):
    def update(self, params, grads):
        pass  # your code here


class AdamUncorrected(Adam):
    def update(self, params, grads):
        if self.m is None:
            self.m = {key: np.zeros_like(value) for key, value in params.items()}
            self.v = {key: np.zeros_like(value) for key, value in params.items()}
        for key in params:
            self.m[key] = self.beta1 * self.m[key] + (1 - self.beta1) * grads[key]
            self.v[key] = self.beta2 * self.v[key] + (1 - self.beta2) * grads[key] ** 2
            params[key] -= self.lr * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)


class AdamCountsInTheLoop(Adam):
    def update(self, params, grads):
        if self.m is None:
            self.m = {key: np.zeros_like(value) for key, value in params.items()}
            self.v = {key: np.zeros_like(value) for key, value in params.items()}
        for key in params:
            self.iter += 1
            lr_t = self.lr * math.sqrt(1 - self.beta2 ** self.iter) / (1 - self.beta1 ** self.iter)
            self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])
            self.v[key] += (1 - self.beta2) * (grads[key] ** 2 - self.v[key])
            params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)


class AdamEpsilonInside(Adam):
    def update(self, params, grads):
        if self.m is None:
            self.m = {key: np.zeros_like(value) for key, value in params.items()}
            self.v = {key: np.zeros_like(value) for key, value in params.items()}
        self.iter += 1
        for key in params:
            self.m[key] = self.beta1 * self.m[key] + (1 - self.beta1) * grads[key]
            self.v[key] = self.beta2 * self.v[key] + (1 - self.beta2) * grads[key] ** 2
            m_hat = self.m[key] / (1 - self.beta1 ** self.iter)
            v_hat = self.v[key] / (1 - self.beta2 ** self.iter)
            params[key] -= self.lr * m_hat / np.sqrt(v_hat + 1e-7)


class AdamCountFromZero(Adam):
    def update(self, params, grads):
        if self.m is None:
            self.m = {key: np.zeros_like(value) for key, value in params.items()}
            self.v = {key: np.zeros_like(value) for key, value in params.items()}
        lr_t = self.lr * math.sqrt(1 - self.beta2 ** self.iter) / (1 - self.beta1 ** self.iter)
        self.iter += 1
        for key in params:
            self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])
            self.v[key] += (1 - self.beta2) * (grads[key] ** 2 - self.v[key])
            params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)


class AdamNewArrays(Adam):
    def update(self, params, grads):
        before = dict(params)
        super().update(before, grads)  # works on the dict's arrays, then rebinds them
        for key in params:
            params[key] = before[key] + 0.0


class AdamBetas:
    def __init__(self, lr=0.001, betas=(0.9, 0.999)):
        self.lr, self.betas = lr, betas

    def update(self, params, grads):
        pass


ANSWERS = [
    right("11", "sgd", SGD, "value -= lr * grad"),
    right("11", "sgd", mnist_lib.SGD, "the library's SGD"),
    wrong("11", "sgd", "no-update", SGDStarter, "the starter",
          says="one step: update did not change params"),
    wrong("11", "sgd", "rebinds-arrays", SGDNewArrays, "params[key] = params[key] - ...",
          says="makes a new array"),
    wrong("11", "sgd", "uphill", SGDUphill, "+="),
    wrong("11", "sgd", "forgot-lr", SGDNoRate, "no learning rate"),
    wrong("11", "sgd", "fixed-lr", SGDHardCoded, "0.01 written in"),
    wrong("11", "sgd", "renamed-settings", SGDRenamed, "learning_rate=",
          says="unexpected keyword argument 'lr'"),
    wrong("11", "sgd", "changes-input", SGDScalesGrads, "grads scaled in place",
          says="changed its input gradients"),

    right("11", "momentum", Momentum, "v *= momentum; v -= lr * g"),
    right("11", "momentum", MomentumPyTorchStyle, "PyTorch's buffer form"),
    right("11", "momentum", mnist_lib.Momentum, "the library's Momentum"),
    wrong("11", "momentum", "no-update", MomentumStarter, "the starter"),
    wrong("11", "momentum", "rebinds-arrays", MomentumNewArrays, "params[key] = params[key] + v"),
    wrong("11", "momentum", "momentum-sign", MomentumMinus, "params -= v"),
    wrong("11", "momentum", "velocity-forgotten", MomentumLocalVelocity, "v made inside update",
          says="five steps"),
    wrong("11", "momentum", "velocity-averaged", MomentumAverage, "(1 - momentum) * lr * g"),
    wrong("11", "momentum", "fixed-settings", MomentumFixedNumbers, "0.9 and 0.01 written in"),
    wrong("11", "momentum", "renamed-settings", MomentumBeta, "beta instead of momentum"),
    wrong("11", "momentum", "one-velocity", MomentumOneVelocity, "one v for every array"),

    right("11", "adagrad", AdaGrad, "lr / (sqrt(h) + eps) * g"),
    right("11", "adagrad", AdaGradEpsilon8, "epsilon 1e-8"),
    wrong("11", "adagrad", "no-update", AdaGradStarter, "the starter"),
    wrong("11", "adagrad", "h-not-summed", AdaGradLastSquare, "h = g * g"),
    wrong("11", "adagrad", "epsilon-inside-sqrt", AdaGradEpsilonInside, "sqrt(h + eps)",
          says="two steps with gradients of about 1e-05"),
    wrong("11", "adagrad", "no-square-root", AdaGradNoRoot, "divided by h"),
    wrong("11", "adagrad", "rebinds-arrays", AdaGradNewArrays, "params[key] = ..."),
    wrong("11", "adagrad", "renamed-settings", AdaGradRate, "learning_rate="),

    right("11", "rmsprop", RMSprop, "h += (1 - rho) * (g * g - h)"),
    right("11", "rmsprop", mnist_lib.RMSprop, "the library's RMSprop"),
    wrong("11", "rmsprop", "no-update", RMSpropStarter, "the starter"),
    wrong("11", "rmsprop", "decay-swapped", RMSpropSwapped, "weights swapped"),
    wrong("11", "rmsprop", "h-never-fades", RMSpropNoFading, "h += (1 - rho) * g * g"),
    wrong("11", "rmsprop", "epsilon-inside-sqrt", RMSpropEpsilonInside, "sqrt(h + eps)"),
    wrong("11", "rmsprop", "rebinds-arrays", RMSpropNewArrays, "params[key] = ..."),
    wrong("11", "rmsprop", "renamed-settings", RMSpropRho, "rho instead of decay_rate"),

    right("11", "adam", Adam, "the paper's m_hat and v_hat"),
    right("11", "adam", mnist_lib.Adam, "the library's Adam"),
    wrong("11", "adam", "no-update", AdamStarter, "the starter"),
    wrong("11", "adam", "no-bias-correction", AdamUncorrected, "no correction"),
    wrong("11", "adam", "step-counted-per-array", AdamCountsInTheLoop, "iter += 1 in the loop"),
    wrong("11", "adam", "epsilon-inside-sqrt", AdamEpsilonInside, "sqrt(v_hat + eps)"),
    wrong("11", "adam", "step-count-from-zero", AdamCountFromZero, "lr_t before iter += 1",
          says="ZeroDivisionError"),
    wrong("11", "adam", "rebinds-arrays", AdamNewArrays, "params[key] = ..."),
    wrong("11", "adam", "renamed-settings", AdamBetas, "betas=(0.9, 0.999)"),
]
