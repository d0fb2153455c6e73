"""Notebook 12: "Try it 1: the scale of the initial weights", "Try it 2: batch normalisation,
forward", "Try it 3: batch normalisation, backward"."""
import math

import numpy as np

import mnist_lib

from . import right, wrong

# --- Try it 1: "Xavier's sqrt(1 / fan_in) for the sigmoid, He's sqrt(2 / fan_in) for ReLU" --------


def init_std(fan_in, activation):
    gain = 2.0 if activation == "relu" else 1.0
    return math.sqrt(gain / fan_in)


def init_std_numpy(fan_in, activation):
    return np.sqrt({"relu": 2, "sigmoid": 1}[activation] / fan_in)


ANSWERS_INIT = [
    right("12", "init_std", init_std, "a gain per activation"),
    right("12", "init_std", init_std_numpy, "a dict of gains"),
    wrong("12", "init_std", "variance-not-std",
          lambda fan_in, activation: (2 if activation == "relu" else 1) / fan_in, "no square root"),
    wrong("12", "init_std", "gains-swapped",
          lambda fan_in, activation: math.sqrt((1 if activation == "relu" else 2) / fan_in),
          "He for the sigmoid"),
    wrong("12", "init_std", "relu-gain-for-both", lambda fan_in, activation: math.sqrt(2 / fan_in),
          "He for both"),
    wrong("12", "init_std", "sigmoid-gain-for-both", lambda fan_in, activation: 1 / math.sqrt(fan_in),
          "Xavier for both"),
    wrong("12", "init_std", "fan-in-upside-down",
          lambda fan_in, activation: math.sqrt(fan_in / (2 if activation == "relu" else 1)),
          "fan_in on top"),
    wrong("12", "init_std", "fixed-scale", lambda fan_in, activation: 0.01, "the book's 0.01"),
]

# --- Try it 2: "the batch's mean and variance in training, the moving averages in use" -----------


class BatchNorm:
    def __init__(self, gamma, beta, momentum=0.9):
        self.gamma, self.beta, self.momentum = gamma, beta, momentum
        self.running_mean = np.zeros_like(gamma)
        self.running_var = np.ones_like(gamma)

    def forward(self, x, train_flg=True):
        if train_flg:
            mean, var = x.mean(axis=0), x.var(axis=0)
            self.running_mean = self.momentum * self.running_mean + (1 - self.momentum) * mean
            self.running_var = self.momentum * self.running_var + (1 - self.momentum) * var
        else:
            mean, var = self.running_mean, self.running_var
        self.xc = x - mean
        self.std = np.sqrt(var + 1e-5)  # PyTorch's epsilon
        self.xn = self.xc / self.std
        return self.gamma * self.xn + self.beta


class BatchNormStarter(BatchNorm):
    def forward(self, x, train_flg=True):
        return x  # your code here


class BatchNormEveryRow(BatchNorm):
    def forward(self, x, train_flg=True):
        mean, var = x.mean(axis=1, keepdims=True), x.var(axis=1, keepdims=True)
        return self.gamma * (x - mean) / np.sqrt(var + 1e-7) + self.beta


class BatchNormNoGamma(BatchNorm):
    def forward(self, x, train_flg=True):
        return (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + 1e-7)


class BatchNormNoRoot(BatchNorm):
    def forward(self, x, train_flg=True):
        return self.gamma * (x - x.mean(axis=0)) / (x.var(axis=0) + 1e-7) + self.beta


class BatchNormStd(BatchNorm):  # np.std(x, ddof=1), as statistics classes teach
    def forward(self, x, train_flg=True):
        return self.gamma * (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0, ddof=1) + 1e-7) + self.beta


class BatchNormNoEpsilon(BatchNorm):
    def forward(self, x, train_flg=True):
        return self.gamma * (x - x.mean(axis=0)) / x.std(axis=0) + self.beta


class BatchNormFrozenAverages(BatchNorm):
    def forward(self, x, train_flg=True):
        mean, var = (x.mean(axis=0), x.var(axis=0)) if train_flg else (self.running_mean,
                                                                         self.running_var)
        return self.gamma * (x - mean) / np.sqrt(var + 1e-7) + self.beta


class BatchNormSwappedMomentum(BatchNorm):
    def forward(self, x, train_flg=True):
        if train_flg:
            mean, var = x.mean(axis=0), x.var(axis=0)
            self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * mean
            self.running_var = (1 - self.momentum) * self.running_var + self.momentum * var
        else:
            mean, var = self.running_mean, self.running_var
        return self.gamma * (x - mean) / np.sqrt(var + 1e-7) + self.beta


class BatchNormAlwaysTheBatch(BatchNorm):
    def forward(self, x, train_flg=True):
        return super().forward(x, train_flg=True)


class BatchNormNoFlag(BatchNorm):
    def forward(self, x):
        return super().forward(x, train_flg=True)


ANSWERS_FORWARD = [
    right("12", "batchnorm_forward", BatchNorm, "epsilon 1e-5"),
    right("12", "batchnorm_forward", mnist_lib.BatchNormalization, "the library's layer"),
    wrong("12", "batchnorm_forward", None, BatchNormStarter, "the starter",
          says="forward(x) in training: "),
    wrong("12", "batchnorm_forward", "wrong-axis", BatchNormEveryRow, "axis=1"),
    wrong("12", "batchnorm_forward", "no-scale-and-shift", BatchNormNoGamma, "no gamma and beta"),
    wrong("12", "batchnorm_forward", "divides-by-variance", BatchNormNoRoot, "divided by var"),
    wrong("12", "batchnorm_forward", "unbiased-variance", BatchNormStd, "ddof=1"),
    wrong("12", "batchnorm_forward", "no-epsilon", BatchNormNoEpsilon, "x.std()",
          says="a feature that does not vary gave nan"),
    wrong("12", "batchnorm_forward", "running-statistics-not-updated", BatchNormFrozenAverages,
          "averages never updated"),
    wrong("12", "batchnorm_forward", "momentum-swapped", BatchNormSwappedMomentum, "0.1 old + 0.9 new"),
    wrong("12", "batchnorm_forward", "batch-statistics-in-use", BatchNormAlwaysTheBatch,
          "the batch's statistics in use"),
    wrong("12", "batchnorm_forward", "train-flg-missing", BatchNormNoFlag, "forward(self, x)"),
]

# --- Try it 3: "dbeta, dgamma, then dx through the normalisation, the variance and the mean" -----


class BatchNormBackward(BatchNorm):
    def backward(self, dout):
        n = len(dout)
        self.dbeta = dout.sum(axis=0)
        self.dgamma = (dout * self.xn).sum(axis=0)
        dxn = self.gamma * dout
        dvar = np.sum(dxn * self.xc, axis=0) * -0.5 / self.std ** 3   # the book's chain, step by step
        dmean = -np.sum(dxn, axis=0) / self.std - 2 * dvar * self.xc.mean(axis=0)
        return dxn / self.std + dvar * 2 * self.xc / n + dmean / n


class BatchNormNoStoredGradients(BatchNorm):
    def backward(self, dout):
        dxn = self.gamma * dout
        return (dxn - dxn.mean(axis=0) - self.xn * (dxn * self.xn).mean(axis=0)) / self.std


class BatchNormMeanDbeta(BatchNormBackward):
    def backward(self, dout):
        dx = super().backward(dout)
        self.dbeta = dout.mean(axis=0)
        return dx


class BatchNormDgammaOfX(BatchNormBackward):
    def forward(self, x, train_flg=True):
        self.x = x
        return super().forward(x, train_flg)

    def backward(self, dout):
        dx = super().backward(dout)
        self.dgamma = np.sum(self.x * dout, axis=0)
        return dx


class BatchNormGradientPerImage(BatchNormBackward):
    def backward(self, dout):
        dx = super().backward(dout)
        self.dgamma = dout * self.xn
        return dx


class BatchNormConstantStatistics(BatchNormBackward):
    def backward(self, dout):
        super().backward(dout)
        return self.gamma * dout / self.std


class BatchNormMeanPathOnly(BatchNormBackward):
    def backward(self, dout):
        super().backward(dout)
        dxn = self.gamma * dout
        return (dxn - dxn.mean(axis=0)) / self.std


class BatchNormNoGammaInDx(BatchNormBackward):
    def backward(self, dout):
        super().backward(dout)
        return (dout - dout.mean(axis=0) - self.xn * (dout * self.xn).mean(axis=0)) / self.std


ANSWERS_BACKWARD = [
    right("12", "batchnorm_backward", BatchNormBackward, "the chain rule step by step"),
    right("12", "batchnorm_backward", mnist_lib.BatchNormalization, "the library's layer"),
    wrong("12", "batchnorm_backward", "gradient-not-stored", BatchNormNoStoredGradients,
          "dgamma and dbeta not kept", says="after backward the layer has no dgamma"),
    wrong("12", "batchnorm_backward", "dbeta-mean", BatchNormMeanDbeta, "dbeta as a mean"),
    wrong("12", "batchnorm_backward", "dgamma-uses-x", BatchNormDgammaOfX, "dgamma from x"),
    wrong("12", "batchnorm_backward", "gradient-per-image", BatchNormGradientPerImage,
          "dgamma not summed"),
    wrong("12", "batchnorm_backward", "ignores-batch-statistics", BatchNormConstantStatistics,
          "mean and variance as constants"),
    wrong("12", "batchnorm_backward", "forgot-the-variance-path", BatchNormMeanPathOnly,
          "the mean's path only"),
    wrong("12", "batchnorm_backward", "forgot-gamma", BatchNormNoGammaInDx, "dout for dxn"),
]

ANSWERS = ANSWERS_INIT + ANSWERS_FORWARD + ANSWERS_BACKWARD
