"""Notebook 13: "Try it 1: weight decay", "Try it 2: a Dropout layer", "Try it 3: early stopping",
"Try it 4: log-uniform draws"."""
import numpy as np

import mnist_lib

from . import right, wrong

# --- Try it 1: "the loss gains 0.5 * lam * sum(W**2), every dW gains lam * W; biases alone" -------


def with_weight_decay(loss, grads, params, lam):
    new_grads = {}
    for key, grad in grads.items():
        if key.startswith("W"):
            loss = loss + 0.5 * lam * np.sum(params[key] ** 2)
            new_grads[key] = grad + lam * params[key]
        else:
            new_grads[key] = grad
    return loss, new_grads


def with_weight_decay_comprehension(loss, grads, params, lam):
    weights = [key for key in params if key[0] == "W"]
    penalty = 0.5 * lam * sum((params[key] * params[key]).sum() for key in weights)
    return loss + penalty, {key: g + lam * params[key] if key in weights else g
                            for key, g in grads.items()}


def decay_everything(loss, grads, params, lam):
    return (loss + 0.5 * lam * sum(np.sum(p ** 2) for p in params.values()),
            {key: grads[key] + lam * params[key] for key in grads})


def decay_without_half(loss, grads, params, lam):
    weights = [key for key in params if key.startswith("W")]
    return (loss + lam * sum(np.sum(params[k] ** 2) for k in weights),
            {key: g + lam * params[key] if key in weights else g for key, g in grads.items()})


def decay_of_absolute_values(loss, grads, params, lam):
    weights = [key for key in params if key.startswith("W")]
    return (loss + 0.5 * lam * sum(np.sum(np.abs(params[k])) for k in weights),
            {key: g + lam * params[key] if key in weights else g for key, g in grads.items()})


def decay_gradients_only(loss, grads, params, lam):
    return loss, {key: g + lam * params[key] if key.startswith("W") else g
                  for key, g in grads.items()}


def decay_doubled_gradient(loss, grads, params, lam):
    weights = [key for key in params if key.startswith("W")]
    return (loss + 0.5 * lam * sum(np.sum(params[k] ** 2) for k in weights),
            {key: g + 2 * lam * params[key] if key in weights else g for key, g in grads.items()})


def decay_loss_only(loss, grads, params, lam):
    weights = [key for key in params if key.startswith("W")]
    return loss + 0.5 * lam * sum(np.sum(params[k] ** 2) for k in weights), dict(grads)


def decay_in_place(loss, grads, params, lam):
    for key in params:
        if key.startswith("W"):
            loss += 0.5 * lam * np.sum(params[key] ** 2)
            grads[key] += lam * params[key]
    return loss, grads


ANSWERS_DECAY = [
    right("13", "weight_decay", with_weight_decay, "a loop over the keys"),
    right("13", "weight_decay", with_weight_decay_comprehension, "a dict comprehension"),
    wrong("13", "weight_decay", None, lambda loss, grads, params, lam: None, "the starter",
          says="returned None"),
    wrong("13", "weight_decay", "decays-biases", decay_everything, "every array decayed"),
    wrong("13", "weight_decay", "no-half", decay_without_half, "lam * sum(W**2)"),
    wrong("13", "weight_decay", "penalty-not-squared", decay_of_absolute_values, "sum(|W|)"),
    wrong("13", "weight_decay", "forgot-the-penalty", decay_gradients_only, "the loss unchanged"),
    wrong("13", "weight_decay", "gradient-doubled", decay_doubled_gradient, "2 * lam * W"),
    wrong("13", "weight_decay", "forgot-the-gradient", decay_loss_only, "the gradients unchanged"),
    wrong("13", "weight_decay", "changes-input", decay_in_place, "grads[key] += ...",
          says="changed its input grads"),
]

# --- Try it 2: "drop dropout_ratio of the values in training, a new mask each pass" --------------


class Dropout:
    """Inverted dropout: the kept values are scaled up in training, nothing happens in use."""

    def __init__(self, dropout_ratio=0.5):
        self.dropout_ratio = dropout_ratio
        self.mask = None

    def forward(self, x, train_flg=True):
        if not train_flg:
            return x
        keep = 1.0 - self.dropout_ratio
        self.mask = (np.random.rand(*x.shape) < keep) / keep
        return x * self.mask

    def backward(self, dout):
        return dout * self.mask


class DropoutBook(Dropout):
    def forward(self, x, train_flg=True):
        if train_flg:
            self.mask = np.random.rand(*x.shape) > self.dropout_ratio
            return x * self.mask
        return x * (1.0 - self.dropout_ratio)


class DropoutGenerator(DropoutBook):  # a Generator of its own
    def __init__(self, dropout_ratio=0.5):
        super().__init__(dropout_ratio)
        self.rng = np.random.default_rng()

    def forward(self, x, train_flg=True):
        if train_flg:
            self.mask = self.rng.random(x.shape) >= self.dropout_ratio
            return x * self.mask
        return x * (1.0 - self.dropout_ratio)


class DropoutKeepsRatio(DropoutBook):
    def forward(self, x, train_flg=True):
        if train_flg:
            self.mask = np.random.rand(*x.shape) < self.dropout_ratio
            return x * self.mask
        return x * (1.0 - self.dropout_ratio)


class DropoutMaskOnce(DropoutBook):
    def forward(self, x, train_flg=True):
        if train_flg:
            if self.mask is None:
                self.mask = np.random.rand(*x.shape) > self.dropout_ratio
            return x * self.mask
        return x * (1.0 - self.dropout_ratio)


class DropoutPlainBackward(DropoutBook):
    def backward(self, dout):
        return dout


class DropoutFreshMaskBackward(DropoutBook):
    def backward(self, dout):
        return dout * (np.random.rand(*dout.shape) > self.dropout_ratio)


class DropoutAlways(DropoutBook):
    def forward(self, x, train_flg=True):
        return super().forward(x, True)


class DropoutUnscaled(DropoutBook):
    def forward(self, x, train_flg=True):
        return super().forward(x, True) if train_flg else x


class DropoutScaledTwice(Dropout):
    def forward(self, x, train_flg=True):
        return super().forward(x, True) if train_flg else x * (1.0 - self.dropout_ratio)


class DropoutInPlace(DropoutBook):
    def forward(self, x, train_flg=True):
        if train_flg:
            self.mask = np.random.rand(*x.shape) > self.dropout_ratio
            x *= self.mask
            return x
        return x * (1.0 - self.dropout_ratio)


ANSWERS_DROPOUT = [
    right("13", "dropout", Dropout, "inverted dropout"),
    right("13", "dropout", DropoutBook, "the book's form"),
    right("13", "dropout", DropoutGenerator, "a Generator's masks"),
    right("13", "dropout", mnist_lib.Dropout, "the library's Dropout"),
    wrong("13", "dropout", "keeps-the-ratio", DropoutKeepsRatio, "rand < ratio",
          says="it dropped 79"),
    wrong("13", "dropout", "mask-drawn-once", DropoutMaskOnce, "the first mask kept"),
    wrong("13", "dropout", "backward-ignores-mask", DropoutPlainBackward, "return dout"),
    wrong("13", "dropout", "new-mask-in-backward", DropoutFreshMaskBackward, "a new mask in backward"),
    wrong("13", "dropout", "dropped-in-use", DropoutAlways, "dropping in use too"),
    wrong("13", "dropout", "not-scaled-in-use", DropoutUnscaled, "x in use, book's training"),
    wrong("13", "dropout", "scaled-twice", DropoutScaledTwice, "inverted and scaled in use"),
    wrong("13", "dropout", "changes-input", DropoutInPlace, "x *= mask"),
]

# --- Try it 3: "stop patience checks after the best so far; best is the best up to there" --------


def early_stopping(val_acc, patience):
    best = 0
    for i, acc in enumerate(val_acc):
        if acc > val_acc[best]:
            best = i
        elif i - best >= patience:
            return best, i
    return best, len(val_acc) - 1


def early_stopping_counter(val_acc, patience):
    best, best_acc, waited = 0, -1.0, 0
    for i, acc in enumerate(val_acc):
        if acc > best_acc:
            best, best_acc, waited = i, acc, 0
        else:
            waited += 1
            if waited == patience:
                return best, i
    return best, len(val_acc) - 1


def early_stopping_starter(val_acc, patience):
    return int(np.argmax(val_acc)), len(val_acc) - 1


def early_stopping_ties(val_acc, patience):
    best = 0
    for i, acc in enumerate(val_acc):
        if acc >= val_acc[best]:
            best = i
        elif i - best >= patience:
            return best, i
    return best, len(val_acc) - 1


def early_stopping_late(val_acc, patience):
    best, waited = 0, 0
    for i, acc in enumerate(val_acc):
        if acc > val_acc[best]:
            best, waited = i, 0
        else:
            waited += 1
            if waited > patience:
                return best, i
    return best, len(val_acc) - 1


def early_stopping_best_of_all(val_acc, patience):
    stop = early_stopping(val_acc, patience)[1]
    return int(np.argmax(val_acc)), stop


def early_stopping_last(val_acc, patience):
    stop = early_stopping(val_acc, patience)[1]
    return stop, stop


ANSWERS_EARLY = [
    right("13", "early_stopping", early_stopping, "index of the best so far"),
    right("13", "early_stopping", early_stopping_counter, "a counter of checks waited"),
    wrong("13", "early_stopping", None, early_stopping_starter, "the starter",
          says="should be (2, 5), got (7, 7)"),
    wrong("13", "early_stopping", "tie-counts-as-progress", early_stopping_ties, ">="),
    wrong("13", "early_stopping", "one-check-too-late", early_stopping_late, "waited > patience"),
    wrong("13", "early_stopping", "best-of-all-checks", early_stopping_best_of_all,
          "argmax of every check"),
    wrong("13", "early_stopping", "stop-is-not-best", early_stopping_last, "the last check"),
]

# --- Try it 4: "10 to the power of an exponent drawn evenly, from the rng given" -----------------


def log_uniform(low, high, size, rng):
    return 10 ** rng.uniform(np.log10(low), np.log10(high), size)


def log_uniform_natural(low, high, size, rng):
    return np.exp(rng.uniform(np.log(low), np.log(high), size=size))


ANSWERS_LOG = [
    right("13", "log_uniform", log_uniform, "10 ** uniform exponents"),
    right("13", "log_uniform", log_uniform_natural, "np.exp of natural logs"),
    wrong("13", "log_uniform", "uniform-not-log", lambda low, high, size, rng: rng.uniform(low, high, size),
          "uniform between low and high", says="got 1.0%"),
    wrong("13", "log_uniform", "exponent-not-raised",
          lambda low, high, size, rng: rng.uniform(np.log10(low), np.log10(high), size),
          "the exponents"),
    wrong("13", "log_uniform", "natural-and-base-10-mixed",
          lambda low, high, size, rng: np.exp(rng.uniform(np.log10(low), np.log10(high), size)),
          "np.exp of base-10 exponents"),
    wrong("13", "log_uniform", "ignores-rng",
          lambda low, high, size, rng: 10 ** np.random.uniform(np.log10(low), np.log10(high), size),
          "np.random", says="two generators seeded alike gave different draws"),
]

ANSWERS = ANSWERS_DECAY + ANSWERS_DROPOUT + ANSWERS_EARLY + ANSWERS_LOG
