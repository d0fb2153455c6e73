"""Exit tickets: three to five short questions at the end of every notebook, checked like exercises.

Each question is a :class:`Question`: its text, its answer (a choice's letter, "b", or a number),
the choices of a multiple-choice question, one sentence saying why the answer is right (for the
teacher's page), and its wrong answers: each a :class:`Wrong`, with a mistake id and the hint it
earns, so that a wrong choice is named like any catalogued mistake. :func:`ticket` turns a
notebook's questions into exercises of the check engine (ids ``exit_1``, ``exit_2``...), which
are checked, recorded and listed in :data:`mnist_lib.checks.EXERCISES` like every other one.

In a notebook::

    answers = {1: "b", 2: 784, 3: None}      # None: not answered yet
    check_exit_ticket("00", answers)

To give a new notebook its ticket: add its questions to :data:`TICKETS` (the notebook's number as
the key), then run ``python scripts/exit_tickets.py`` (it writes the ticket's cells at the end of
the notebook) and ``python scripts/teaching_tables.py`` (the teacher's page lists the questions
with their answers); ``tests/learner_answers/tickets.py`` needs three wrong answers and a right
one for each question.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .core import Case, CheckResult, Exercise, run_check, when

__all__ = ["Wrong", "Question", "TICKETS", "EXERCISES", "ticket", "is_ticket", "check_exit_ticket",
           "TicketResult", "markdown", "code"]

LETTERS = "abcde"


@dataclass(frozen=True)
class Wrong:
    """A wrong answer the ticket knows: ``value`` (a letter or a number), the mistake's ``id`` and
    the ``hint`` the learner gets for it."""

    value: str | float
    id: str
    hint: str


@dataclass(frozen=True)
class Question:
    """One exit-ticket question.

    ``topic``: a few words, for the column of the teacher's table; ``text``: the question
    (Markdown); ``answer``: the right choice's letter, or the number; ``choices``: the texts of
    choices a, b, c... (none: the answer is a number); ``why``: the answer explained in a sentence;
    ``wrong``: the wrong answers the ticket names; ``rtol``: for a number, how close counts as
    right (relative; 0: exactly).
    """

    topic: str
    text: str
    answer: str | float
    why: str
    wrong: tuple[Wrong, ...]
    choices: tuple[str, ...] = ()
    rtol: float = 0.0

    def __post_init__(self):
        if self.choices:
            letters = LETTERS[:len(self.choices)]
            if self.answer not in letters or any(w.value not in letters for w in self.wrong):
                raise ValueError(f"{self.topic!r}: the answer and the wrong answers must be among "
                                 f"the choices {list(letters)}")
        elif isinstance(self.answer, str) or any(isinstance(w.value, str) for w in self.wrong):
            raise ValueError(f"{self.topic!r}: a question without choices has a number as answer")
        if self.answer in [w.value for w in self.wrong]:
            raise ValueError(f"{self.topic!r}: the answer is listed as a wrong answer")

    def expects(self) -> str:
        """What to write, for the starter cell's comment."""
        if self.choices:
            letters = [f'"{c}"' for c in LETTERS[:len(self.choices)]]
            return ", ".join(letters[:-1]) + f" or {letters[-1]}"
        return "a number"


def _choice(got) -> str | None:
    """A learner's choice as a letter ("B", " b ", "(b)" and "b)" are all "b"), or None."""
    if not isinstance(got, str):
        return None
    text = got.strip().lower().strip("()").strip()
    return text if len(text) == 1 and text in LETTERS else None


def _number(got) -> float | None:
    if isinstance(got, (bool, np.bool_)) or not isinstance(got, (int, float, np.integer, np.floating)):
        return None
    return float(got)


def _close(got: float, want: float, rtol: float) -> bool:
    return math.isclose(got, want, rel_tol=rtol, abs_tol=0.0) if rtol else got == want


def _judge(question: Question):
    letters = LETTERS[:len(question.choices)]

    def judge(got, case: Case) -> list[str]:
        if question.choices:
            choice = _choice(got)
            if choice is None or choice not in letters:
                return [f"{got!r} is not one of the choices: write one letter, "
                        f"{', '.join(repr(c) for c in letters)}"]
            return [] if choice == question.answer else [f"({choice}) is not the answer"]
        if isinstance(got, str):
            return [f"{got!r} is text: write the number itself, without quotes"]
        number = _number(got)
        if number is None:
            return [f"the answer should be a number, got {got!r}"]
        return [] if _close(number, question.answer, question.rtol) else [f"{got!r} is not the answer"]
    return judge


def _recognises(question: Question, value):
    """The recogniser of one wrong answer: the learner gave ``value``."""
    if question.choices:
        return lambda attempt: _choice(attempt.got) == value
    return lambda attempt: ((n := _number(attempt.got)) is not None
                            and _close(n, float(value), question.rtol or 1e-9))


def _the_answer(answer):
    return answer


def ticket(notebook: str, questions: tuple[Question, ...]) -> tuple[Exercise, ...]:
    """The exercises of one notebook's exit ticket, ``exit_1``, ``exit_2``..."""
    if not 3 <= len(questions) <= 5:
        raise ValueError(f"notebook {notebook}: an exit ticket has 3 to 5 questions, got {len(questions)}")
    return tuple(
        Exercise(notebook=notebook, id=f"exit_{k}", title=f"exit ticket {k}: {q.topic}",
                 function=f"question {k}",
                 cases=(Case(label=f"question {k}", expected=q.answer, run=_the_answer,
                             judge=_judge(q)),),
                 mistakes=tuple(when(w.id, w.hint, _recognises(q, w.value)) for w in q.wrong))
        for k, q in enumerate(questions, start=1))


# --- the questions ----------------------------------------------------------------------------------

TICKETS: dict[str, tuple[Question, ...]] = {
    "00": (
        Question(
            "numbers per image",
            "How many numbers does `load_mnist()` give for one image (one row of `x_train`)?",
            784, "each image is 28 × 28 pixels, flattened into one row of 784 numbers",
            (Wrong(28, "one-side-only", "28 is one side of the image: its 28 × 28 pixels are "
                   "flattened into one row"),
             Wrong(10, "classes-not-pixels", "10 counts the classes, the digits 0-9; a row of "
                   "x_train holds one number per pixel"),
             Wrong(60000, "images-not-pixels", "60,000 counts the training images, the rows of "
                   "x_train; one image is one row"))),
        Question(
            "black ink", "In `x_train`, what value does a pixel of black ink have?", "b",
            "load_mnist() scales the pixels into [0, 1]: 0 is white paper, 1 black ink",
            (Wrong("a", "ink-is-zero", "0 is white paper: load_mnist() scales every pixel into "
                   "[0, 1], from white paper to black ink"),
             Wrong("c", "raw-bytes", "255 is a pixel as the file stores it, one byte; "
                   "load_mnist() divides it by 255 (normalize=False keeps the bytes)"),
             Wrong("d", "side-not-value", "28 is the side of the image in pixels, not the value "
                   "of a pixel")),
            choices=("0", "1", "255", "28")),
        Question(
            "labels", "What does `t_train` hold?", "b",
            "t stands for target: the digit each training image shows, as a person wrote it",
            (Wrong("a", "labels-are-pixels", "x_train holds the pixels; t_train holds one label "
                   "per image"),
             Wrong("c", "t-is-test", "the t of t_train stands for target, the label: the test "
                   "images are x_test, with their labels t_test"),
             Wrong("d", "labels-are-predictions", "the labels come with the data set: the digit a "
                   "person wrote, which the network must learn to predict")),
            choices=("the pixels of the training images",
                     "the digit each training image shows, a number from 0 to 9",
                     "the test images", "a network's predictions")),
    ),
    "01": (
        Question(
            "a perceptron's output",
            "A perceptron has $w_1 = 0.5$, $w_2 = 0.5$, $b = -0.7$. What does it output for "
            "$x_1 = 1$, $x_2 = 0$?",
            0, "the total 0.5 · 1 + 0.5 · 0 − 0.7 = −0.2 is not above 0 (this perceptron is AND)",
            (Wrong(1, "fires-on-any-input", "add up the total, w1·x1 + w2·x2 + b: it is not above 0"),
             Wrong(-0.2, "total-not-output", "that is the weighted total; the perceptron outputs 1 "
                   "when the total is above 0, and 0 otherwise"),
             Wrong(0.5, "bias-forgotten", "the bias counts too: the total is w1·x1 + w2·x2 + b, "
                   "and the output is 1 or 0"))),
        Question(
            "why XOR needs two layers", "Why can no single perceptron compute XOR?", "b",
            "a perceptron's 1s and 0s are split by one straight line, and no line separates "
            "XOR's (0, 1), (1, 0) from (0, 0), (1, 1)",
            (Wrong("a", "weights-too-small", "no size of weights helps: a perceptron's decision "
                   "boundary is always one straight line"),
             Wrong("c", "xor-needs-three-inputs", "XOR takes two inputs, like AND and OR; what it "
                   "needs is a second layer"),
             Wrong("d", "cannot-output-zero", "a perceptron outputs 0 whenever its total is not "
                   "above 0 (AND does, for three of its four inputs)")),
            choices=("its weights would have to be larger than 1",
                     "XOR's 1s and 0s cannot be separated by one straight line",
                     "XOR needs three inputs", "a perceptron cannot output 0")),
        Question(
            "XOR from gates", "Which two-layer perceptron computes XOR?", "a",
            "NAND and OR are both 1 exactly when the inputs differ, and AND combines them",
            (Wrong("b", "always-one", "try all four inputs: OR(AND, NAND) is 1 for every one of "
                   "them, since AND and NAND are opposites"),
             Wrong("c", "wrong-at-zero-zero", "try (0, 0): AND and OR are both 0, and NAND(0, 0) "
                   "is 1, where XOR gives 0"),
             Wrong("d", "same-as-or", "AND(OR, OR) is just OR: it gives 1 for (1, 1), where XOR "
                   "gives 0")),
            choices=("`AND(NAND(x1, x2), OR(x1, x2))`", "`OR(AND(x1, x2), NAND(x1, x2))`",
                     "`NAND(AND(x1, x2), OR(x1, x2))`", "`AND(OR(x1, x2), OR(x1, x2))`")),
    ),
    "02": (
        Question(
            "sigmoid(0)", "What is `sigmoid(0)`? (Two decimals are enough.)", 0.5,
            "1 / (1 + e⁰) = 1 / 2: the sigmoid is exactly halfway at 0",
            (Wrong(0, "sigmoid-is-step", "the sigmoid is smooth: it does not jump from 0 to 1 "
                   "like the step function; compute 1 / (1 + e⁰)"),
             Wrong(1, "exp-of-zero", "e⁰ is 1, but the sigmoid is 1 / (1 + e⁻ˣ)"),
             Wrong(0.73, "sigmoid-of-one", "0.73 is sigmoid(1); at 0 compute 1 / (1 + e⁰)")),
            rtol=0.01),
        Question(
            "why non-linear",
            "Why do the hidden layers need a non-linear activation function such as ReLU?", "a",
            "layers that are all linear collapse into one linear layer, however many there are",
            (Wrong("b", "for-speed", "an activation adds work, not speed"),
             Wrong("c", "to-bound-outputs", "ReLU has no upper bound and works well: what matters "
                   "is that it is not a straight line"),
             Wrong("d", "softmax-confusion", "making outputs sum to 1 is softmax's job, at the "
                   "output layer only")),
            choices=("without it, the layers collapse into a single linear layer",
                     "it makes the network faster", "it keeps the outputs between 0 and 1",
                     "it makes the outputs sum to 1")),
        Question(
            "softmax of equal scores",
            "`softmax(np.array([0.0, 0.0, 0.0, 0.0]))` gives four probabilities. What is the "
            "first one?",
            0.25, "equal scores share the probability equally: e⁰ / (4 e⁰) = 1/4",
            (Wrong(0, "zero-score-zero-probability", "a score of 0 is not a probability of 0: "
                   "softmax exponentiates the scores first"),
             Wrong(1, "exp-not-divided", "softmax divides each exponential by the sum of all four"),
             Wrong(0.5, "two-classes", "count the scores: equal scores share the probability "
                   "equally among all of them")),
            rtol=0.01),
        Question(
            "the output layer for digits",
            "Which activation function fits the output layer of a network that reads the ten "
            "digits?",
            "c", "softmax turns ten scores into ten probabilities that sum to 1",
            (Wrong("a", "identity-for-classes", "the identity suits regression, where the output "
                   "is a number to predict; one of ten classes needs probabilities"),
             Wrong("b", "sigmoid-for-classes", "the sigmoid answers one yes/no question; for one "
                   "digit out of ten, the ten probabilities must sum to 1"),
             Wrong("d", "relu-at-output", "ReLU belongs to the hidden layers: its outputs are not "
                   "probabilities")),
            choices=("the identity", "the sigmoid", "softmax", "ReLU")),
    ),
    "03": (
        Question(
            "the size of a product",
            "`A` has shape (2, 3) and `B` has shape (3, 4). How many numbers does `A @ B` hold?",
            8, "(2, 3) @ (3, 4) gives shape (2, 4): 2 × 4 = 8 numbers",
            (Wrong(24, "counts-multiplications", "2 × 3 × 4 counts the multiplications; count the "
                   "numbers of the result, from its shape"),
             Wrong(6, "shape-of-a", "6 is the size of A; A @ B keeps A's rows and takes B's "
                   "columns"),
             Wrong(12, "shape-of-b", "12 is the size of B; A @ B keeps A's rows and takes B's "
                   "columns"))),
        Question(
            "a layer's product",
            "`X` has shape (5, 4): five inputs of 4 values. `W` has shape (3, 4): one row of 4 "
            "weights for each of 3 neurons. Which gives the layer's outputs, one row per input "
            "and one column per neuron?",
            "b", "W.T has shape (4, 3), one column per neuron, the layout X @ W needs",
            (Wrong("a", "inner-sizes-differ", "X @ W fails: the inner sizes, 4 and 3, differ"),
             Wrong("c", "order-reversed", "W @ X fails too: (3, 4) @ (5, 4), the inner sizes 4 "
                   "and 5 differ"),
             Wrong("d", "reshape-not-transpose", "reshape gives the shape (4, 3) but regroups the "
                   "numbers in reading order, mixing up the neurons' weights")),
            choices=("`X @ W`", "`X @ W.T`", "`W @ X`", "`X @ W.reshape(4, 3)`")),
        Question(
            "parameters of a layer",
            "A layer has 784 inputs and 50 neurons. How many numbers do its `W` and `b` hold "
            "together?",
            39250, "W has 784 × 50 = 39,200 weights and b has 50 biases, one per neuron",
            (Wrong(39200, "forgets-bias", "that is W alone: each neuron also has a bias"),
             Wrong(834, "adds-sizes", "784 + 50 adds the sizes; W holds one weight per input for "
                   "each neuron"),
             Wrong(39984, "bias-per-input", "b has one number per neuron, not per input"))),
    ),
    "04": (
        Question(
            "weights of the sample network",
            "The sample network is 784-50-100-10. How many weights do `W1`, `W2` and `W3` hold "
            "together (no biases)?",
            45200, "784 × 50 + 50 × 100 + 100 × 10 = 39,200 + 5,000 + 1,000",
            (Wrong(45360, "counts-biases", "the biases are not weights: count W1, W2 and W3 only"),
             Wrong(944, "adds-sizes", "784 + 50 + 100 + 10 adds the layer sizes; each W holds "
                   "inputs × neurons weights"),
             Wrong(39200000, "multiplies-all-sizes", "multiplying all the sizes counts paths "
                   "through the network; add up inputs × neurons, layer by layer"))),
        Question(
            "the shape of a batch's output",
            "A batch of 100 images goes through the 784-50-100-10 network. What shape comes out?",
            "b", "the batch keeps its 100 rows; the last layer gives 10 scores per image",
            (Wrong("a", "batch-dropped", "the batch keeps its 100 rows through every layer"),
             Wrong("c", "rows-and-columns-swapped", "one row per image: the first number counts "
                   "the images"),
             Wrong("d", "input-shape", "(100, 784) is what goes in; each layer changes the "
                   "width")),
            choices=("`(10,)`", "`(100, 10)`", "`(10, 100)`", "`(100, 784)`")),
        Question(
            "batches and accuracy",
            "The test accuracy computed one image at a time, and in batches of 100:", "b",
            "a batch computes the same products, row by row; one call per batch saves the "
            "per-image overhead",
            (Wrong("a", "batches-approximate", "a batch computes exactly the same products as one "
                   "image at a time"),
             Wrong("c", "batches-learn", "nothing is learnt in a forward pass: the same weights "
                   "give the same predictions"),
             Wrong("d", "same-speed", "the arithmetic is the same, but the Python overhead is "
                   "paid once per batch instead of once per image")),
            choices=("batches give a lower accuracy, much faster",
                     "the same accuracy; batches are much faster",
                     "batches give a higher accuracy", "the same accuracy, at the same speed")),
    ),
    "05": (
        Question(
            "cross-entropy of one image",
            "The network gives the true class of an image probability 0.5. What is its "
            "cross-entropy loss, with the natural log? (Two decimals are enough.)",
            0.6931, "−log(0.5) = log 2 ≈ 0.69",
            (Wrong(0.5, "probability-not-loss", "0.5 is the probability; the loss is −log of it"),
             Wrong(-0.6931, "sign-forgotten", "cross-entropy is −log y: the minus sign makes the "
                   "loss positive"),
             Wrong(0.301, "log-base-10", "that is log base 10; cross-entropy uses the natural "
                   "log, np.log")),
            rtol=0.01),
        Question(
            "why not train on accuracy", "Why does training follow the loss, not the accuracy?",
            "b", "a small change of a weight rarely changes a prediction: accuracy's slope is 0 "
            "almost everywhere, the loss's is not",
            (Wrong("a", "accuracy-is-slow", "accuracy is as cheap to compute as the loss; look at "
                   "its slope"),
             Wrong("c", "loss-is-bounded", "cross-entropy is not bounded: a confident mistake "
                   "costs a lot"),
             Wrong("d", "accuracy-needs-test", "accuracy can be measured on any images, "
                   "training images too")),
            choices=("accuracy is slower to compute",
                     "accuracy changes in steps, so its slope is 0 almost everywhere; the loss "
                     "is smooth",
                     "the loss is always between 0 and 1", "accuracy needs the test set")),
        Question(
            "true-class probabilities",
            "`y` holds 3 rows of probabilities and `t = np.array([2, 0, 1])` their labels. "
            "Which picks the probability of each row's true class?",
            "b", "row n, column t[n]: the rows np.arange(3) paired with the labels",
            (Wrong("a", "all-pairs", "y[:, t] takes columns 2, 0 and 1 of every row: a 3 × 3 "
                   "table, not one value per row"),
             Wrong("c", "rows-by-label", "y[t] picks whole rows, numbered by the labels"),
             Wrong("d", "largest-not-true", "the largest probability is the prediction, which "
                   "may be wrong; the loss needs the true class's probability")),
            choices=("`y[:, t]`", "`y[np.arange(3), t]`", "`y[t]`", "`np.max(y, axis=1)`")),
    ),
    "06": (
        Question(
            "one step of gradient descent",
            "Gradient descent on $f(x) = x^2$, from $x = 5$ with learning rate 0.1: where is "
            "$x$ after one step?",
            4, "x − η f'(x) = 5 − 0.1 · 2 · 5 = 4",
            (Wrong(4.9, "forgets-slope", "the step is the learning rate times the slope f'(x), "
                   "not the learning rate alone"),
             Wrong(6, "climbs", "gradient descent goes against the slope: x − η f'(x)"),
             Wrong(4.5, "slope-is-x", "the slope of x² is 2x")),
            rtol=1e-6),
        Question(
            "the size of h",
            "Why does the central difference use $h \\approx 10^{-4}$ rather than "
            "$h = 10^{-50}$?",
            "a", "in float64, x + 1e-50 == x: both function values are equal and the difference "
            "is 0",
            (Wrong("b", "tiny-h-slow", "the size of h does not change the work"),
             Wrong("c", "large-h", "a large h makes the formula inaccurate"),
             Wrong("d", "cannot-store", "float64 stores 1e-50 (down to about 1e-308); look at "
                   "x + 1e-50")),
            choices=("with h = 1e-50, x + h rounds to x and the difference is 0",
                     "h = 1e-50 makes it slower", "the central difference needs h above 1",
                     "NumPy cannot store 1e-50")),
        Question(
            "the cost of a numerical gradient",
            "How many loss evaluations does the central-difference gradient of a network with "
            "1,000 parameters take?",
            2000, "two per parameter: at w + h and at w − h",
            (Wrong(1000, "one-per-parameter", "the central difference evaluates the loss twice "
                   "for each parameter"),
             Wrong(1, "one-evaluation", "each parameter is nudged on its own"),
             Wrong(2, "two-in-total", "each parameter is nudged on its own, both ways"))),
    ),
    "07": (
        Question(
            "a multiply node backward",
            "A multiply node computes $z = x \\cdot y$ with $x = 3$, $y = 4$. The gradient "
            "$\\partial L / \\partial z = 2$ arrives from the right. What is "
            "$\\partial L / \\partial x$?",
            8, "multiply swaps its inputs: ∂L/∂x = ∂L/∂z · y = 2 · 4",
            (Wrong(6, "no-swap", "multiply swaps its inputs: the gradient for x uses y"),
             Wrong(2, "passes-unchanged", "passing the gradient on unchanged is what an add node "
                   "does"),
             Wrong(24, "multiplies-all", "the local derivative of x · y with respect to x is y "
                   "alone"))),
        Question(
            "the shape of dW",
            "In an Affine layer, the gradient `dW` of the loss with respect to `W` has the shape "
            "of:",
            "a", "each gradient has the shape of its variable: dW = X.T @ dY is W's shape, so "
            "W -= lr * dW fits",
            (Wrong("b", "shape-of-x", "that is dX's shape; each gradient has the shape of its own "
                   "variable"),
             Wrong("c", "shape-of-output", "that is dY's shape, the gradient arriving from the "
                   "right"),
             Wrong("d", "scalar-gradient", "the loss is one number, but its gradient has one entry "
                   "per weight")),
            choices=("W", "the input X", "the output Y", "a single number")),
        Question(
            "softmax with cross-entropy backward",
            "For a batch of N samples, the backward pass of softmax with cross-entropy gives:",
            "a", "prediction minus target, divided by N because the loss is the batch's mean",
            (Wrong("b", "forgets-batch-mean", "the loss is the mean over the batch: its gradient "
                   "is divided by N"),
             Wrong("c", "sign-flipped", "prediction minus target, not the other way: with T − Y "
                   "every step would climb the loss"),
             Wrong("d", "sigmoid-derivative", "Y(1 − Y) is the sigmoid's local derivative")),
            choices=("$(Y - T) / N$", "$Y - T$, whatever the batch size", "$(T - Y) / N$",
                     "$Y \\cdot (1 - Y)$")),
    ),
    "08": (
        Question(
            "choosing the learning rate",
            "Which images do you compare learning rates on?", "b",
            "validation images, split off the training set: the network never trains on them, "
            "and the test set stays for the final report",
            (Wrong("a", "choose-on-training", "training accuracy rewards memorising the training "
                   "images"),
             Wrong("c", "choose-on-test", "the test set is the final exam, used once: choosing "
                   "with it makes its score dishonest"),
             Wrong("d", "any-set-will-do", "the sets answer different questions: one trains, one "
                   "chooses, one reports")),
            choices=("the training images", "the validation images", "the test images",
                     "any of them")),
        Question(
            "close accuracies",
            "After training, the training accuracy is 97.0 % and the validation accuracy "
            "96.8 %. What does that say?",
            "a", "over-fitting shows as a gap, training accuracy well above validation accuracy",
            (Wrong("b", "close-means-overfit", "over-fitting shows as a gap between the two"),
             Wrong("c", "close-means-large-lr", "a too-large learning rate shows in the loss, "
                   "which stalls or diverges"),
             Wrong("d", "test-equals-validation", "validation estimates the test accuracy; it "
                   "does not fix it")),
            choices=("the network is not over-fitting", "the network is over-fitting",
                     "the learning rate is too large",
                     "the test accuracy will be exactly 96.8 %")),
        Question(
            "a loss that becomes nan",
            "A run's loss becomes `nan` after a few iterations. The learning rate is most "
            "likely:",
            "a", "far too large a learning rate makes every step overshoot, until the numbers "
            "overflow: the run diverges",
            (Wrong("b", "small-lr-nan", "too small a learning rate crawls: the loss falls slowly, "
                   "it does not explode"),
             Wrong("c", "nan-is-fine", "nan means the arithmetic overflowed: the weights are lost"),
             Wrong("d", "blame-the-data", "the data is the same for every learning rate; runs "
                   "with smaller ones train")),
            choices=("far too large", "too small", "just right: nan is harmless",
                     "irrelevant: the data must be wrong")),
    ),
    "09": (
        Question(
            "the edge on x²",
            "Gradient descent on $f(x) = x^2$: above which learning rate does it diverge?",
            1, "each step multiplies x by 1 − 2η, which is larger than 1 in size when η > 1",
            (Wrong(0.5, "zigzag-edge", "above 0.5 it zig-zags across the minimum, and still "
                   "converges"),
             Wrong(2, "factor-two", "each step multiplies x by 1 − 2η: find where its size "
                   "passes 1"),
             Wrong(0.1, "too-careful", "0.1 converges, slowly; look for where |1 − 2η| = 1")),
            rtol=1e-6),
        Question(
            "the narrow valley",
            "On $f(x, y) = x^2 / 20 + y^2$, what limits the learning rate?", "a",
            "the steep direction: y² diverges above η = 1 while x²/20 would accept 20",
            (Wrong("b", "flat-limits", "the flat direction would accept a much larger step"),
             Wrong("c", "start-limits", "the start changes how far there is to go, not which "
                   "steps converge"),
             Wrong("d", "no-limit", "too large a step diverges along y")),
            choices=("the steep direction, y", "the flat direction, x", "the starting point",
                     "nothing: any learning rate converges")),
        Question(
            "the verdict",
            "After a too-large step, most ReLU units of a network output 0 for every validation "
            "image and the validation accuracy stays near chance; the loss does not blow up. The "
            "lab's verdict:",
            "a", "stalled: dead ReLU units give no gradient, so training stops near chance",
            (Wrong("b", "stall-is-crawl", "crawled is too small a learning rate: the loss still "
                   "falls, steadily"),
             Wrong("c", "stall-is-diverge", "diverged is a loss that blows up (inf, nan, or "
                   "above three times its first value): train stops that run"),
             Wrong("d", "stall-is-fine", "an accuracy near chance is not training")),
            choices=("stalled", "crawled", "diverged", "trained")),
        Question(
            "the best learning rate", "Where is the best learning rate?", "a",
            "a few times below the edge: at the edge, the last digits of the arithmetic decide",
            (Wrong("b", "at-the-edge", "at the edge, chance decides between training and "
                   "diverging"),
             Wrong("c", "as-small-as-possible", "too small a learning rate crawls"),
             Wrong("d", "above-the-edge", "above the edge the run diverges")),
            choices=("a few times below the edge", "exactly at the edge", "as small as possible",
                     "just above the edge")),
    ),
    "10": (
        Question(
            "the confusion matrix",
            "In a confusion matrix (row: the true digit, column: the prediction), where are the "
            "correct readings?",
            "a", "a correct reading has the same row and column: the diagonal",
            (Wrong("b", "first-row", "the first row holds the images of 0s, "
                   "read right or wrong"),
             Wrong("c", "last-column", "the last column holds everything read as 9"),
             Wrong("d", "off-diagonal", "off the diagonal, the true digit and the prediction "
                   "differ")),
            choices=("on the diagonal", "in the first row", "in the last column",
                     "off the diagonal")),
        Question(
            "a 7 read as 3",
            "A clear 7 drawn to fill the canvas, shrunk ten times to 28 × 28, is read as a 3. "
            "Why?",
            "a", "its heavy top bar puts its centre of mass above the centre, where MNIST's 7s "
            "never are",
            (Wrong("b", "needs-more-training", "the same network reads it right after to_mnist: "
                   "the drawing, not the network, was unlike MNIST"),
             Wrong("c", "ink-lost", "each of the 28 × 28 pixels averages a 10 × 10 block: the "
                   "ink is all there"),
             Wrong("d", "canvas-size", "after shrinking, its size is right; look at where its "
                   "ink sits")),
            choices=("its centre of mass sits about 3 pixels above the centre: to the network it "
                     "is a digit drawn too high",
                     "the network has not trained enough", "shrinking loses most of the ink",
                     "the network cannot read drawings from a canvas")),
        Question(
            "how a digit is read",
            "How does the hidden layer read a drawn 7?", "a",
            "a pattern of a few dozen units, at different strengths, which the output layer "
            "weighs for each digit",
            (Wrong("b", "one-unit-per-digit", "many digits share a stroke, so no unit is "
                   "'the 7 unit'"),
             Wrong("c", "all-equal", "ReLU units whose strokes are absent stay at 0"),
             Wrong("d", "template-units", "the weights show strokes and blobs, not whole "
                   "digits")),
            choices=("a pattern of a few dozen units fires, at different strengths",
                     "one unit fires, the 7 unit", "every unit fires equally",
                     "the unit whose weights look like a 7 fires")),
    ),
    "11": (
        Question(
            "momentum's top speed",
            "Momentum with `momentum=0.9`, and a gradient that stays the same at every step: after "
            "many steps, each step is how many times plain SGD's step (with the same learning "
            "rate)?",
            10, "the velocity adds up 1 + 0.9 + 0.81 + ... = 1 / (1 − 0.9) = 10 plain steps",
            (Wrong(0.9, "factor-is-momentum", "0.9 is the share of the velocity kept from one step "
                   "to the next; add up what it keeps: 1 + 0.9 + 0.81 + ... = 1 / (1 − 0.9)"),
             Wrong(1.9, "second-step-only", "1.9 is the second step; the velocity keeps growing: "
                   "1 + 0.9 + 0.81 + ... = 1 / (1 − 0.9)"),
             Wrong(0.1, "friction-inverted", "0.1 = 1 − 0.9 is what the velocity loses at each "
                   "step; the steps add up to 1 / (1 − 0.9) plain steps")),
            rtol=0.01),
        Question(
            "Adam's first step",
            "Adam with `lr=0.001`: at its first update, one weight's gradient is 1000 and "
            "another's 0.001. How far does each weight move?",
            "a", "after the bias correction m is the gradient and √v its size, so every weight "
            "moves by lr, whatever its gradient",
            (Wrong("b", "step-is-lr-times-gradient", "that is SGD's step; Adam divides m by √v, "
                   "and both grow with the gradient, so their ratio is about 1"),
             Wrong("c", "lr-over-gradient", "Adam does not divide the learning rate by the "
                   "gradient: it divides m by √v, which both grow with the gradient, so their "
                   "ratio is about 1"),
             Wrong("d", "zero-start-no-step", "m and v start at 0, but the bias correction "
                   "divides them by the share they have reached (1 − β₁ and 1 − β₂ at the first "
                   "step): they become the gradient and its square")),
            choices=("both by about 0.001", "by 1 and by 0.000001: the learning rate times the "
                     "gradient", "by 0.000001 and by 1: the learning rate divided by the gradient",
                     "neither: m and v start at 0")),
        Question(
            "shrinking steps",
            "Which optimiser's steps shrink towards 0 as a run goes on, even while the gradient "
            "stays the same?",
            "c", "AdaGrad's h sums every squared gradient, so it only grows and the steps "
            "lr · g / √h shrink all along the run",
            (Wrong("a", "sgd-shrinks", "SGD's step is lr times the gradient: a gradient of the "
                   "same size gives a step of the same size"),
             Wrong("b", "momentum-shrinks", "momentum's steps grow where the gradient keeps its "
                   "direction, up to ten times SGD's"),
             Wrong("d", "rmsprop-shrinks", "RMSprop's h is a moving average: it forgets old "
                   "gradients, so its steps settle to a steady size")),
            choices=("SGD", "Momentum", "AdaGrad", "RMSprop")),
        Question(
            "Adam's learning rates",
            "In section 8's table (four hidden layers of 100, 200 iterations), at which learning "
            "rates did Adam's run diverge?",
            "a", "Adam moves every weight by about lr per step, so at 0.1 all 110,000 weights move "
            "by 0.1 at once; SGD, whose steps are lr times small gradients, still trains there",
            (Wrong("b", "adam-like-sgd", "only 1 is where SGD diverged; Adam moves every weight by "
                   "about lr at every step, so at 0.1 it diverged too"),
             Wrong("c", "adam-any-rate", "Adam adapts each weight's step, but the step is still "
                   "about lr: at 0.1 and 1 its runs diverged"),
             Wrong("d", "small-rate-diverges", "too small a learning rate crawls: the loss falls "
                   "slowly, it does not blow up")),
            choices=("0.1 and 1", "only 1", "none: Adam adapts its steps", "0.0001, the smallest")),
    ),
    "12": (
        Question(
            "He's scale",
            "A layer of ReLU units has 200 inputs. What standard deviation does He "
            "initialisation give its weights?",
            0.1, "He's √(2/n) = √(2/200) = 0.1: ReLU keeps half of the signal, so the variance "
            "is doubled",
            (Wrong(0.0707, "xavier-for-relu", "that is Xavier's √(1/n), for the sigmoid; ReLU "
                   "keeps only half of the signal, so He doubles the variance: √(2/n)"),
             Wrong(0.01, "variance-not-std", "2/200 = 0.01 is the variance (and the book's old "
                   "fixed scale); the standard deviation is its square root"),
             Wrong(10, "fraction-upside-down", "more inputs need smaller weights: √(2/n), not "
                   "√(n/2)")),
            rtol=0.01),
        Question(
            "small initial weights",
            "A ReLU network with five layers of 100 units starts with weights of standard "
            "deviation 0.01. What happens to the signal, layer after layer?",
            "a", "each layer multiplies its spread by √(100 · 0.01² / 2) ≈ 0.07, so after five "
            "layers almost nothing is left, and the gradients are as tiny",
            (Wrong("b", "small-weights-grow", "each layer multiplies the spread by √(n σ² / 2) "
                   "= √(100 · 0.0001 / 2) ≈ 0.07, which is below 1"),
             Wrong("c", "any-scale-keeps-size", "only He's √(2/100) ≈ 0.14 keeps the size; 0.01 "
                   "is 14 times smaller, and each layer multiplies the shortfall"),
             Wrong("d", "relu-saturates", "ReLU does not saturate: a large input passes on "
                   "unchanged; units stuck near 0 and 1 are the sigmoid's trouble with large "
                   "weights")),
            choices=("it shrinks by about 0.07 per layer, and the network does not learn",
                     "it grows without bound", "it keeps its size",
                     "the units saturate at 0 and 1")),
        Question(
            "batch normalisation in use",
            "A network with batch normalisation reads one single image in use "
            "(`train_flg=False`). Which mean and variance normalise it?",
            "a", "an image's answer must not depend on the images that come with it, so in use "
            "the layer normalises with what it averaged over the whole of training",
            (Wrong("b", "batch-stats-in-use", "a batch of one image has variance 0: every "
                   "normalised value would be 0, and the answer would not depend on the image"),
             Wrong("c", "first-batch-stats", "the moving averages change at every training step: "
                   "they follow the whole of training, not its first batch"),
             Wrong("d", "off-in-use", "the network learned with normalised inputs to its "
                   "activations: without normalising, its layers would see numbers of another "
                   "scale")),
            choices=("the moving averages kept during training", "the image's own: a batch of one",
                     "those of the first training batch", "none: batch normalisation is off in "
                     "use")),
        Question(
            "batch normalisation's parameters",
            "A `BatchNormalization` layer normalises 100 units. How many numbers does it learn "
            "(that is, how many does the optimiser update)?",
            200, "a γ and a β for every unit: 2 × 100; the moving averages are kept, not learned",
            (Wrong(100, "gamma-only", "every unit has a scale γ and a shift β"),
             Wrong(400, "running-stats-learned", "the moving mean and variance are kept, not "
                   "learned: no gradient moves them, only γ and β are in params"),
             Wrong(2, "one-gamma-per-layer", "γ and β are per unit: each of the 100 units gets "
                   "its own"))),
    ),
    "13": (
        Question(
            "over-fitting",
            "Which pair of curves shows over-fitting?", "a",
            "over-fitting is a gap: the network learns its training images by heart and does "
            "worse on images it never saw",
            (Wrong("b", "underfit-is-overfit", "low and close together is under-fitting: the "
                   "network has not learned enough yet"),
             Wrong("c", "close-is-overfit", "high and close together is the goal: the network "
                   "does as well on new images as on its training images"),
             Wrong("d", "diverged-is-overfit", "a loss that becomes nan means the run diverged: "
                   "the learning rate is too large")),
            choices=("training accuracy near 100 %, validation accuracy levelling off far "
                     "below",
                     "both accuracies low and close together",
                     "both accuracies high and close together", "a loss that becomes nan")),
        Question(
            "weight decay's gradient",
            "Weight decay with $\\lambda = 0.1$: a weight $W = 3$ has the gradient "
            "$\\partial L / \\partial W = 0.5$ without it. What is its gradient with it?",
            0.8, "the penalty λ/2 · W² adds λ · W = 0.3 to the gradient",
            (Wrong(0.5, "decay-not-added", "the penalty λ/2 · ΣW² is part of the loss, so its "
                   "gradient λW is added too"),
             Wrong(0.65, "half-kept", "the ½ of λ/2 · W² cancels the 2 of the derivative of W²: "
                   "the gradient gains λW, not λW/2"),
             Wrong(0.95, "penalty-not-gradient", "0.45 is the penalty itself, λ/2 · W²; the "
                   "gradient gains its derivative, λW"),
             Wrong(0.2, "decay-sign-flipped", "the penalty grows with W², so its gradient λW has "
                   "W's sign: the step against it pulls W towards 0")),
            rtol=1e-6),
        Question(
            "early stopping",
            "The validation accuracy at successive checks is 0.70, 0.75, 0.74, 0.76, 0.75, 0.75, "
            "0.74. With a patience of 2 checks, at which check (counting from 1) does training "
            "stop?",
            6, "check 4 is the best (0.76); checks 5 and 6 bring no progress, so training stops at "
            "check 6 and keeps the weights of check 4",
            (Wrong(4, "best-not-stop", "check 4 is the best, whose weights are kept; training "
                   "stops only after patience checks without progress"),
             Wrong(5, "patience-off-by-one", "a patience of 2 is two checks without progress: "
                   "checks 5 and 6"),
             Wrong(7, "never-stops", "patience 2: after the best check, two checks without "
                   "progress end the run"),
             Wrong(3, "stops-at-first-drop", "check 4 sets a new best after check 3's dip: the "
                   "patience counts from the latest best"))),
        Question(
            "log-uniform draws",
            "You draw 20 learning rates log-uniformly from 0.001 to 10. On average, how many "
            "fall below 0.01?",
            5, "0.001 to 10 spans 4 decades and log-uniform draws spread evenly over them: "
            "20 / 4 per decade",
            (Wrong(0, "uniform-draws", "that is what uniform draws would give (nine in ten "
                   "above 1); log-uniform draws spread evenly over the 4 decades"),
             Wrong(10, "middle-misplaced", "on a log scale the middle of 0.001 to 10 is 0.1: "
                   "below 0.01 is one decade of the four"),
             Wrong(4, "decades-not-draws", "4 counts the decades; the 20 draws share them "
                   "evenly")),
            rtol=0.01),
    ),
}

#: Every notebook's exit ticket, as exercises of the check engine, by notebook.
EXERCISES: dict[str, tuple[Exercise, ...]] = {nb: ticket(nb, qs) for nb, qs in TICKETS.items()}


def is_ticket(exercise: Exercise) -> bool:
    """True for an exit-ticket question (its exercise), False for a notebook's other exercises."""
    return any(exercise is e for ticket in EXERCISES.values() for e in ticket)


# --- in a notebook ----------------------------------------------------------------------------------

class TicketResult(tuple):
    """The results of one exit ticket, a :class:`CheckResult` per answered question (the check has
    printed them; in a notebook it shows nothing more)."""

    @property
    def passed(self) -> int:
        """How many questions were answered right."""
        return sum(bool(r) for r in self)

    def _ipython_display_(self) -> None:
        """Show nothing: the feedback is already on screen."""


def check_exit_ticket(notebook: str, answers: dict) -> TicketResult:
    """Check a notebook's exit ticket: ``answers`` maps each question's number (1, 2, ...) to the
    answer, a choice's letter ("b") or a number; None is "not answered yet" and is neither
    checked nor recorded. Prints one line per question, and the hint of a known wrong answer."""
    if notebook not in EXERCISES:
        raise ValueError(f"notebook must be one of {sorted(EXERCISES)}, got {notebook!r}")
    exercises = EXERCISES[notebook]
    if not isinstance(answers, dict):
        raise TypeError(f"answers must be a dict such as {{1: 'b', 2: 784}}, got {type(answers).__name__}")
    unknown = [k for k in answers if k not in range(1, len(exercises) + 1)]
    if unknown:
        raise ValueError(f"notebook {notebook}'s exit ticket has questions 1 to {len(exercises)}; "
                         f"answers has {unknown}")
    results = []
    for k, (exercise, question) in enumerate(zip(exercises, TICKETS[notebook]), start=1):
        answer = answers.get(k)
        if answer is None:
            print(f"Question {k}: no answer yet (write {question.expects()})")
            continue
        print(f"Question {k}:", end=" ")
        results.append(run_check(exercise, answer))
    return TicketResult(results)


# --- the ticket's cells ---------------------------------------------------------------------------

def markdown(notebook: str) -> str:
    """The Markdown cell that asks a notebook's exit-ticket questions."""
    lines = ["## Exit ticket", "",
             "Before you go: answer these questions in the cell below (a letter for a choice, a "
             "number for a number), then run it.", ""]
    for k, q in enumerate(TICKETS[notebook], start=1):
        lines.append(f"{k}. {q.text}")
        for letter, choice in zip(LETTERS, q.choices):
            lines.append(f"   - ({letter}) {choice}")
        lines.append("")
    return "\n".join(lines).rstrip("\n")


def code(notebook: str) -> str:
    """The code cell where the learner writes the answers and checks them."""
    lines = ["from mnist_lib.checks import check_exit_ticket", "", "answers = {"]
    for k, q in enumerate(TICKETS[notebook], start=1):
        lines.append(f"    {k}: None,  # {q.expects()}")
    lines += ["}", f'check_exit_ticket("{notebook}", answers)']
    return "\n".join(lines)
