"""The book's network scripts (chapters 4 to 6 of "Deep Learning from Scratch"), called the book's
way, against mnist_lib.

A reader of the book swaps its ``common/`` package for ``mnist_lib`` and changes nothing else.
Each test does with a network what one of the book's scripts does (the same calls, keywords and
loops: ``ch05/gradient_check.py``, ``ch04``/``ch05`` ``train_neuralnet.py``, ``ch06``'s
``MultiLayerNet`` experiments) and checks the outcome against the book's published behaviour or
an independent computation written here. Only ``seed=`` is added, so that every run is the same.
"""
import math

import numpy as np
import pytest

from mnist_lib import MultiLayerNet, TwoLayerNet, functions, load_mnist, numerical_gradient

H = 1e-4  # the book's central-difference step


@pytest.fixture(scope="module")
def mnist_one_hot():
    """As the book's scripts load it: ``load_mnist(normalize=True, one_hot_label=True)``."""
    return load_mnist(normalize=True, one_hot_label=True)


def independent_loss(params, x, t_one_hot):
    """The loss of a 2-layer ReLU network written out in float64: the reference for the checks."""
    W1, b1, W2, b2 = (params[k].astype(np.float64) for k in ("W1", "b1", "W2", "b2"))
    scores = np.maximum(x.astype(np.float64) @ W1 + b1, 0) @ W2 + b2
    scores -= scores.max(axis=1, keepdims=True)
    y = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    return -np.sum(t_one_hot * np.log(y + 1e-7)) / len(x)


def independent_central_difference(params, key, index, x, t):
    """d loss / d params[key][index] by a central difference on float64 copies."""
    plus = {k: p.astype(np.float64) for k, p in params.items()}
    minus = {k: p.astype(np.float64) for k, p in params.items()}
    plus[key][index] += H
    minus[key][index] -= H
    return (independent_loss(plus, x, t) - independent_loss(minus, x, t)) / (2 * H)


# --- ch05/gradient_check.py --------------------------------------------------------------------

def test_gradient_check_on_the_default_network(mnist_one_hot):
    """The book's script prints mean |backprop - numerical| per parameter, about 1e-10 to 1e-7.

    mnist_lib's network is float32; its numerical gradient is taken in float64 all the same, so
    the script prints book-like differences instead of the 1e-4 of a float32 numerical gradient.
    """
    (x_train, t_train), _ = mnist_one_hot
    network = TwoLayerNet(input_size=784, hidden_size=50, output_size=10, seed=0)
    x_batch, t_batch = x_train[:3], t_train[:3]

    grad_numerical = network.numerical_gradient(x_batch, t_batch)
    grad_backprop = network.gradient(x_batch, t_batch)
    assert list(grad_numerical) == list(grad_backprop) == ["W1", "b1", "W2", "b2"]
    for key in grad_numerical.keys():
        diff = np.average(np.abs(grad_backprop[key] - grad_numerical[key]))
        assert diff < 1e-6, f"{key}: {diff:.2e}"

    # The numerical gradient is the real one: an independent float64 central difference, at 40
    # entries of each parameter drawn at random (all 39,760 would take as long again).
    rng = np.random.default_rng(0)
    for key, p in network.params.items():
        for flat in rng.choice(p.size, size=min(40, p.size), replace=False):
            index = np.unravel_index(flat, p.shape)
            expected = independent_central_difference(network.params, key, index, x_batch, t_batch)
            assert grad_numerical[key][index] == pytest.approx(expected, abs=1e-10), (key, index)
            assert grad_backprop[key][index] == pytest.approx(expected, abs=1e-6), (key, index)


def test_a_float32_numerical_gradient_would_fail_the_check(mnist_one_hot):
    """Why the network works in float64 for its numerical gradient: in float32, the loss's
    rounding divided by 2h gives errors far above the book's (this test shows the check has teeth)."""
    (x_train, t_train), _ = mnist_one_hot
    network = TwoLayerNet(input_size=784, hidden_size=50, output_size=10, seed=0)
    x_batch, t_batch = x_train[:3], t_train[:3]
    b2 = network.params["b2"]  # float32, nudged in place as the book's closure style does
    in_float32 = numerical_gradient(lambda _: network.loss(x_batch, t_batch), b2)
    in_float64 = [independent_central_difference(network.params, "b2", (i,), x_batch, t_batch)
                  for i in range(10)]
    assert np.average(np.abs(in_float32 - in_float64)) > 1e-6


# --- layers by name (ch05/two_layer_net.py, common/multi_layer_net.py) -------------------------

def test_backprop_by_hand_through_the_named_layers(mnist_one_hot):
    """The book's gradient(): forward, lastLayer.backward(1), the layers in reverse, then
    dW and db read from layers['Affine1'] and layers['Affine2']."""
    (x_train, t_train), _ = mnist_one_hot
    network = TwoLayerNet(input_size=784, hidden_size=50, output_size=10, seed=0)
    x_batch, t_batch = x_train[:100], t_train[:100]
    assert list(network.layers) == ["Affine1", "Relu1", "Affine2"]

    network.loss(x_batch, t_batch)
    dout = network.lastLayer.backward(1)
    layers = list(network.layers.values())
    layers.reverse()
    for layer in layers:
        dout = layer.backward(dout)
    by_hand = {"W1": network.layers["Affine1"].dW, "b1": network.layers["Affine1"].db,
               "W2": network.layers["Affine2"].dW, "b2": network.layers["Affine2"].db}
    assert dout.shape == x_batch.shape  # the book's backward goes down to the input
    for key, g in network.gradient(x_batch, t_batch).items():
        np.testing.assert_array_equal(by_hand[key], g, err_msg=key)


def test_multi_layer_net_layers_by_name_and_last_layer():
    network = MultiLayerNet(input_size=784, hidden_size_list=[100, 100], output_size=10, seed=0)
    assert list(network.layers) == ["Affine1", "Activation_function1", "Affine2",
                                    "Activation_function2", "Affine3"]
    for idx in (1, 2, 3):
        assert network.layers["Affine" + str(idx)].W is network.params["W" + str(idx)]
    assert network.last_layer is network.lastLayer


# --- ch04/ch05 train_neuralnet.py: the in-place update loop ------------------------------------

def test_the_books_update_loop_learns(mnist_one_hot):
    """The book's loop: gradient, then params[key] -= learning_rate * grad[key] for each key,
    then loss and accuracy, on 2000 training images (the book uses all 60,000)."""
    (x_train, t_train), (x_test, t_test) = mnist_one_hot
    x_train, t_train = x_train[:2000], t_train[:2000]
    network = TwoLayerNet(input_size=784, hidden_size=50, output_size=10, seed=0)
    rng = np.random.default_rng(0)
    iters_num, train_size, batch_size, learning_rate = 300, x_train.shape[0], 100, 0.1
    train_loss_list = []
    for _ in range(iters_num):
        batch_mask = rng.choice(train_size, batch_size)
        x_batch, t_batch = x_train[batch_mask], t_train[batch_mask]
        grad = network.gradient(x_batch, t_batch)
        for key in ("W1", "b1", "W2", "b2"):
            network.params[key] -= learning_rate * grad[key]
        train_loss_list.append(network.loss(x_batch, t_batch))
    # The loss starts at log(10) = 2.30 (tiny weights: every class 1/10) and falls to about 0.35.
    assert np.mean(train_loss_list[:10]) > 2.2
    assert np.mean(train_loss_list[-10:]) < 1.0
    assert network.accuracy(x_train, t_train) > 0.8  # about 0.90
    assert network.accuracy(x_test[:1000], t_test[:1000]) > 0.7  # about 0.83


# --- ch06: MultiLayerNet with the book's signature ---------------------------------------------

@pytest.mark.parametrize("weight_init_std, expected_std", [
    (0.01, lambda fan_in: 0.01),
    ("sigmoid", lambda fan_in: math.sqrt(1 / fan_in)), ("xavier", lambda fan_in: math.sqrt(1 / fan_in)),
    ("relu", lambda fan_in: math.sqrt(2 / fan_in)), ("he", lambda fan_in: math.sqrt(2 / fan_in)),
])
def test_weight_init_compare_networks(weight_init_std, expected_std):
    """ch06/weight_init_compare.py builds MultiLayerNet(input_size=784, hidden_size_list=[100]*4,
    output_size=10, weight_init_std=...) with 0.01, 'sigmoid' (Xavier) and 'relu' (He)."""
    network = MultiLayerNet(input_size=784, hidden_size_list=[100, 100, 100, 100], output_size=10,
                            weight_init_std=weight_init_std, seed=0)
    assert network.params["W1"].std() == pytest.approx(expected_std(784), rel=0.02)
    assert network.params["W3"].std() == pytest.approx(expected_std(100), rel=0.05)
    assert not network.params["b3"].any()


def test_weight_decay_as_the_book_defines_it(mnist_one_hot):
    """ch06/overfit_weight_decay.py: MultiLayerNet(..., weight_decay_lambda=0.1). The book's loss
    adds 0.5 * lambda * sum(W**2) for every W, and its gradient adds lambda * W to every dW."""
    (x_train, t_train), _ = mnist_one_hot
    x, t = x_train[:100], t_train[:100]
    lam = 0.1
    decayed = MultiLayerNet(input_size=784, hidden_size_list=[100] * 6, output_size=10,
                            weight_decay_lambda=lam, seed=0)
    plain = MultiLayerNet(input_size=784, hidden_size_list=[100] * 6, output_size=10, seed=0)
    weights = [decayed.params["W" + str(idx)].astype(np.float64) for idx in range(1, 8)]
    by_hand = sum(0.5 * lam * np.sum(W ** 2) for W in weights)
    assert by_hand > 1  # He weights: a term large enough to see
    assert decayed.loss(x, t) == pytest.approx(plain.loss(x, t) + by_hand, rel=1e-5)

    g_decayed, g_plain = decayed.gradient(x, t), plain.gradient(x, t)
    for idx, W in enumerate(weights, start=1):
        np.testing.assert_allclose(g_decayed["W" + str(idx)], g_plain["W" + str(idx)] + lam * W,
                                   rtol=1e-5, atol=1e-7)
        np.testing.assert_array_equal(g_decayed["b" + str(idx)], g_plain["b" + str(idx)])


def test_weight_decay_gradient_check(mnist_one_hot):
    """The gradient check of ch05, on a network with weight decay: the decay is in both."""
    (x_train, t_train), _ = mnist_one_hot
    network = MultiLayerNet(input_size=784, hidden_size_list=[10], output_size=10,
                            weight_decay_lambda=0.1, seed=0)
    x_batch, t_batch = x_train[:3], t_train[:3]
    grad_numerical = network.numerical_gradient(x_batch, t_batch)
    grad_backprop = network.gradient(x_batch, t_batch)
    for key in grad_numerical.keys():
        assert np.average(np.abs(grad_backprop[key] - grad_numerical[key])) < 1e-6, key


# --- common/functions.py -----------------------------------------------------------------------

def test_the_books_function_names():
    """Every function of the book's common/functions.py, under its name (sum_squared_error is
    mnist_lib's mean_squared_error, the same 0.5 * sum((y - t)**2))."""
    for name in ("identity_function", "step_function", "sigmoid", "sigmoid_grad", "relu",
                 "relu_grad", "softmax", "cross_entropy_error", "softmax_loss"):
        assert callable(getattr(functions, name)), name
    x, t = np.array([[0.3, 2.9, 4.0]]), np.array([2])
    assert functions.softmax_loss(x, t) == pytest.approx(
        functions.cross_entropy_error(functions.softmax(x), t), rel=1e-15)
