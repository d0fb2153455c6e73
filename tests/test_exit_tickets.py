"""Exit tickets: every numbered notebook ends with one, and every answer it expects is true.

- Each notebook's last cells are its ticket (the questions, the answer cell) and its progress
  table, as scripts/exit_tickets.py writes them from mnist_lib/checks/tickets.py.
- The answers are computed here again, with mnist_lib and NumPy, independently of the ticket: the
  number of pixels, a perceptron's output, XOR's gates, sigmoid(0), a layer's parameters, a batch's
  output shape, cross-entropy, a descent step, a multiply node's gradient, the edge on x², an
  optimiser's steps, He's scale, batch normalisation's parameters, weight decay's gradient...
- The ticket's check reads answers as a learner types them and refuses what is not an answer.
"""
from __future__ import annotations

import contextlib
import importlib.util
import io
import itertools
import math

import nbformat
import numpy as np
import pytest
from conftest import NOTEBOOKS, ROOT

import mnist_lib
from mnist_lib.checks import EXERCISES, check_exit_ticket
from mnist_lib.checks.tickets import LETTERS, TICKETS, Question, Wrong, ticket


def load_script():
    spec = importlib.util.spec_from_file_location("exit_tickets", ROOT / "scripts" / "exit_tickets.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def answer(notebook: str, k: int):
    return TICKETS[notebook][k - 1].answer


def chosen(notebook: str, k: int) -> str:
    """The text of the choice a ticket gives as its answer."""
    q = TICKETS[notebook][k - 1]
    return q.choices[LETTERS.index(q.answer)]


# --- every notebook ends with its ticket -----------------------------------------------------------

def test_every_numbered_notebook_has_a_ticket_of_three_to_five_questions():
    assert sorted(TICKETS) == [p.name[:2] for p in NOTEBOOKS]
    for notebook, questions in TICKETS.items():
        assert 3 <= len(questions) <= 5, notebook
        ids = [e.id for (nb, _), e in EXERCISES.items() if nb == notebook and e.id.startswith("exit_")]
        assert ids == [f"exit_{k}" for k in range(1, len(questions) + 1)]


def test_the_notebooks_end_with_the_ticket_and_the_progress_table(capsys):
    assert load_script().main(["--check"]) == 0, capsys.readouterr().out
    for path in NOTEBOOKS:
        if path.name[:2] not in TICKETS:
            continue
        nb = nbformat.read(path, as_version=4)
        last = nb.cells[-4:]
        assert [c.cell_type for c in last] == ["markdown", "code", "markdown", "code"], path.name
        assert last[0].source.startswith("## Exit ticket")
        assert f'check_exit_ticket("{path.name[:2]}", answers)' in last[1].source
        assert "progress.show(" in last[3].source
        assert "nbval-ignore-output" in last[3].metadata["tags"]  # the learner's own progress
        printed = "".join(o.get("text", "") for o in last[1].outputs)
        assert printed.count("no answer yet") == len(TICKETS[path.name[:2]]), path.name


def test_the_script_puts_the_cells_back_after_an_edit():
    script = load_script()
    nb = nbformat.read(NOTEBOOKS[3], as_version=4)
    number = NOTEBOOKS[3].name[:2]
    nb.cells[-3].source = "answers = {}"
    assert script.update(nb, number) is True
    assert nb.cells[-3].source == script.wanted(number)[1][1] and nb.cells[-3].outputs == []
    assert script.update(nb, number) is False


# --- the answers are true ---------------------------------------------------------------------------

def test_00(mnist):
    (x_train, t_train), (x_test, _) = mnist
    assert x_train.shape[1] == answer("00", 1)
    assert x_train.max() == 1.0 and chosen("00", 2) == "1"
    assert set(np.unique(t_train)) == set(range(10)) and chosen("00", 3).startswith("the digit")


def test_01():
    from mnist_lib.perceptron import AND, NAND, OR, XOR, perceptron

    assert AND(1, 0) == answer("01", 1) and 0.5 * 1 + 0.5 * 0 - 0.7 <= 0
    inputs = list(itertools.product((0, 1), repeat=2))
    gates = {"AND": AND, "NAND": NAND, "OR": OR}

    def compose(text):  # "`AND(NAND(x1, x2), OR(x1, x2))`": outer(inner1, inner2)
        outer, rest = text.strip("`").split("(", 1)
        first, second = [part.split("(")[0].strip() for part in rest.split("), ")]
        return lambda a, b: gates[outer](gates[first](a, b), gates[second](a, b))

    q = TICKETS["01"][2]
    right = [letter for letter, text in zip(LETTERS, q.choices)
             if all(compose(text)(a, b) == XOR(a, b) for a, b in inputs)]
    assert right == [q.answer]
    # and no single perceptron does: no line from a grid of weights and biases separates XOR
    grid = np.linspace(-1, 1, 21)
    assert not any(all(perceptron(a, b, (w1, w2), bias) == XOR(a, b) for a, b in inputs)
                   for w1 in grid for w2 in grid for bias in grid)


def test_02():
    assert math.isclose(mnist_lib.sigmoid(np.array(0.0)), answer("02", 1))
    assert math.isclose(mnist_lib.softmax(np.zeros(4))[0], answer("02", 3))
    W1, W2 = np.random.default_rng(0).normal(size=(3, 4)), np.random.default_rng(1).normal(size=(4, 2))
    x = np.random.default_rng(2).normal(size=(5, 3))
    assert np.allclose((x @ W1) @ W2, x @ (W1 @ W2))  # linear layers collapse into one
    assert chosen("02", 4) == "softmax"


def test_03():
    assert (np.ones((2, 3)) @ np.ones((3, 4))).size == answer("03", 1)
    X = np.arange(20.0).reshape(5, 4)
    W = np.arange(12.0).reshape(3, 4) - 5
    per_neuron = np.array([[x @ w for w in W] for x in X])  # each neuron: its row of weights
    works = {}
    for letter, text in zip(LETTERS, TICKETS["03"][1].choices):
        try:
            works[letter] = np.array_equal(eval(text.strip("`")), per_neuron)  # noqa: S307
        except ValueError:
            works[letter] = False
    assert [k for k, ok in works.items() if ok] == [answer("03", 2)]
    layer = mnist_lib.Affine(np.zeros((784, 50)), np.zeros(50))
    assert layer.W.size + layer.b.size == answer("03", 3)


def test_04():
    net = mnist_lib.load_sample_weights()
    assert sum(net[k].size for k in ("W1", "W2", "W3")) == answer("04", 1)
    assert mnist_lib.predict(net, np.zeros((100, 784), dtype=np.float32)).shape == (100, 10)
    assert chosen("04", 2) == "`(100, 10)`"


def test_05():
    y, t = np.array([[0.5, 0.3, 0.2]]), np.array([0])
    assert math.isclose(mnist_lib.cross_entropy_error(y, t), answer("05", 1), rel_tol=1e-3)
    y = np.array([[0.1, 0.2, 0.7], [0.6, 0.3, 0.1], [0.2, 0.5, 0.3]])
    t = np.array([2, 0, 1])
    assert np.array_equal(eval(chosen("05", 3).strip("`")), [0.7, 0.6, 0.5])  # noqa: S307


def test_06():
    x, _ = mnist_lib.gradient_descent(lambda v: np.sum(v ** 2), np.array([5.0]), lr=0.1, step_num=1)
    assert np.isclose(x[0], answer("06", 1), rtol=1e-6)
    calls = []

    def loss(w):
        calls.append(1)
        return float(np.sum(w ** 2))
    mnist_lib.numerical_gradient(loss, np.zeros(1000))
    assert len(calls) == answer("06", 3)
    assert 1.0 + 1e-50 == 1.0 and chosen("06", 2).startswith("with h = 1e-50")


def test_07():
    node = mnist_lib.MulLayer()
    node.forward(3.0, 4.0)
    dx, dy = node.backward(2.0)
    assert dx == answer("07", 1)
    rng = np.random.default_rng(0)
    layer = mnist_lib.Affine(rng.normal(size=(4, 3)), np.zeros(3))
    layer.forward(rng.normal(size=(5, 4)))
    layer.backward(np.ones((5, 3)))
    assert layer.dW.shape == layer.W.shape and chosen("07", 2) == "W"
    loss = mnist_lib.SoftmaxWithLoss()
    scores, labels = rng.normal(size=(5, 3)), np.array([0, 2, 1, 1, 0])
    loss.forward(scores, labels)
    onehot = np.eye(3)[labels]
    assert np.allclose(loss.backward(), (mnist_lib.softmax(scores) - onehot) / 5)


def test_09():
    def run(lr):
        return mnist_lib.gradient_descent(lambda v: np.sum(v ** 2), np.array([1.0]), lr=lr,
                                          step_num=100)[0][0]
    edge = answer("09", 1)
    assert abs(run(0.99 * edge)) < 1 and abs(run(1.01 * edge)) > 1


def constant_gradient_steps(optimizer, steps: int) -> np.ndarray:
    """How far one weight moves at each of ``steps`` updates with the gradient 1 every time."""
    params = {"w": np.zeros(1)}
    moves = []
    for _ in range(steps):
        before = params["w"][0]
        optimizer.update(params, {"w": np.ones(1)})
        moves.append(abs(params["w"][0] - before))
    return np.array(moves)


def test_11(mnist):
    from mnist_lib import optimizer as optim

    lr = 0.01
    moves = constant_gradient_steps(optim.Momentum(lr=lr, momentum=0.9), 300)
    assert math.isclose(moves[-1] / lr, answer("11", 1), rel_tol=1e-6)
    adam, params = optim.Adam(lr=0.001), {"w": np.zeros(2)}
    adam.update(params, {"w": np.array([1000.0, 0.001])})
    assert np.allclose(np.abs(params["w"]), 0.001, rtol=0.01) and chosen("11", 2) == "both by about 0.001"
    # steps with a gradient that stays the same: only AdaGrad's keep shrinking
    shrinking = []
    for letter, name in zip(LETTERS, TICKETS["11"][2].choices):
        moves = constant_gradient_steps(getattr(optim, name)(lr=lr), 2000)
        if moves[1999] < 0.75 * moves[999]:  # AdaGrad: lr / sqrt(t), 1/sqrt(2) of it
            shrinking.append(letter)
    assert shrinking == [answer("11", 3)]
    # section 8's network: Adam diverges at 0.1 and 1, not at 0.0001 to 0.01
    (x, t), _ = mnist
    diverged = []
    for lr in (1e-4, 1e-3, 1e-2, 1e-1, 1.0):
        net = mnist_lib.MultiLayerNet(784, [100, 100, 100, 100], 10, seed=0)
        history = mnist_lib.train(net, (x[:20_000], t[:20_000]), optimizer=optim.Adam(lr=lr),
                                  batch_size=128, iterations=200, eval_every=10**9, seed=0)
        if history.diverged:
            diverged.append(lr)
    assert diverged == [0.1, 1.0] and chosen("11", 4) == "0.1 and 1"


def test_12():
    net = mnist_lib.MultiLayerNet(200, [100], 10, weight_init_std="he", seed=0)
    assert math.isclose(net.params["W1"].std(), answer("12", 1), rel_tol=0.02)
    # std 0.01 in five ReLU layers of 100: each layer shrinks the spread by about 0.07
    rng = np.random.default_rng(0)
    a = rng.standard_normal((1000, 100))
    spreads = []
    for _ in range(5):
        a = np.maximum(0, a @ (0.01 * rng.standard_normal((100, 100))))
        spreads.append(a.std())
    factor = (spreads[-1] / spreads[0]) ** (1 / 4)
    assert 0.05 < factor < 0.09 and chosen("12", 2).startswith("it shrinks by about 0.07")
    # in use, batch normalisation normalises with the moving averages, whatever the batch
    layer = mnist_lib.BatchNormalization(np.ones(3), np.zeros(3))
    for _ in range(20):
        layer.forward(rng.normal(2.0, 3.0, size=(50, 3)))
    image = rng.normal(size=(1, 3))
    expected = (image - layer.running_mean) / np.sqrt(layer.running_var + layer.eps)
    assert np.allclose(layer.forward(image, train_flg=False), expected)
    assert chosen("12", 3) == "the moving averages kept during training"
    net = mnist_lib.MultiLayerNet(784, [100], 10, use_batchnorm=True, seed=0)
    learned = [key for key in net.params if key.startswith(("gamma", "beta"))]
    assert sum(net.params[key].size for key in learned) == answer("12", 4)


def test_13():
    lam, w, grad = 0.1, 3.0, 0.5
    with_decay = mnist_lib.MultiLayerNet(784, [10], 10, weight_decay_lambda=lam, seed=0,
                                         dtype=np.float64)
    without = mnist_lib.MultiLayerNet(784, [10], 10, seed=0, dtype=np.float64)
    x, t = np.random.default_rng(0).random((5, 784)), np.arange(5)
    added = with_decay.gradient(x, t)["W1"] - without.gradient(x, t)["W1"]
    assert np.allclose(added, lam * with_decay.params["W1"])  # the penalty adds lambda * W
    assert math.isclose(grad + lam * w, answer("13", 2))
    accuracies, patience = [0.70, 0.75, 0.74, 0.76, 0.75, 0.75, 0.74], 2
    best, stop = 0, len(accuracies) - 1
    for i, acc in enumerate(accuracies):
        if acc > accuracies[best]:
            best = i
        elif i - best >= patience:
            stop = i
            break
    assert (best + 1, stop + 1) == (4, answer("13", 3))
    draws = 10 ** np.random.default_rng(0).uniform(-3, 1, 200_000)
    assert math.isclose(20 * np.mean(draws < 0.01), answer("13", 4), rel_tol=0.01)
    uniform = np.random.default_rng(0).uniform(0.001, 10, 200_000)
    assert 20 * np.mean(uniform < 0.01) < 0.05  # the mistake "uniform-draws" stands for


# --- the check reads answers as learners type them ----------------------------------------------

def quietly(*args):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        result = check_exit_ticket(*args)
    return result, out.getvalue()


def test_answers_are_read_as_typed():
    result, printed = quietly("00", {1: 784.0, 2: " (B) ", 3: "b)"})
    assert result.passed == 3 and printed.count("✓ All tests passed") == 3
    result, printed = quietly("00", {1: "784", 2: 1, 3: "z"})
    assert result.passed == 0
    assert "'784' is text: write the number itself" in printed
    assert "1 is not one of the choices" in printed and "'z' is not one of the choices" in printed


def test_a_wrong_answer_does_not_give_the_answer_away():
    _, printed = quietly("03", {2: "a"})
    assert "(a) is not the answer" in printed and "X @ W.T" not in printed


@pytest.mark.parametrize("answers, error, message", [
    ({5: "a"}, ValueError, "notebook 00's exit ticket has questions 1 to 3; answers has [5]"),
    (["a"], TypeError, "answers must be a dict"),
])
def test_bad_answers_are_named(answers, error, message):
    with pytest.raises(error, match=message.replace("[", r"\[").replace("]", r"\]")):
        check_exit_ticket("00", answers)
    with pytest.raises(ValueError, match="notebook must be one of"):
        check_exit_ticket("4", {})


def test_a_question_is_declared_consistently():
    wrong = (Wrong("a", "x-one", "h"), Wrong("c", "x-two", "h"), Wrong("d", "x-three", "h"))
    with pytest.raises(ValueError, match="among the choices"):
        Question("t", "q?", "e", "why", wrong, choices=("1", "2", "3", "4"))
    with pytest.raises(ValueError, match="the answer is listed as a wrong answer"):
        Question("t", "q?", "a", "why", wrong, choices=("1", "2", "3", "4"))
    with pytest.raises(ValueError, match="a number as answer"):
        Question("t", "q?", "b", "why", (Wrong(1, "x-one", "h"),))
    q = Question("t", "q?", "b", "why", wrong, choices=("1", "2", "3", "4"))
    with pytest.raises(ValueError, match="3 to 5 questions"):
        ticket("99", (q, q))
