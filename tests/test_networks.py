"""Networks: the book's 3-layer example, the shipped sample weights, TwoLayerNet and MultiLayerNet."""
import shutil

import numpy as np
import pytest

from mnist_lib.data import load_mnist
from mnist_lib.networks import (MultiLayerNet, TwoLayerNet, forward, init_network,
                                load_sample_weights, predict)

LOSS_TOL = 1e-5  # backprop vs central differences; see test_layers.py for why not tighter


@pytest.fixture(scope="session")
def mnist_test_set(tmp_path_factory):
    """The 10000 test images, loaded with the cache in the test run's temporary folder."""
    cache = tmp_path_factory.getbasetemp() / "mnist_cache"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MNIST_LIB_CACHE", str(cache))
        _, test = load_mnist()
    yield test
    shutil.rmtree(cache, ignore_errors=True)


def rel_error(a, b):
    scale = np.max(np.abs(a) + np.abs(b))
    return 0.0 if scale == 0 else float(np.max(np.abs(a - b)) / scale)


def assert_gradient_check(net, x, t, tol=LOSS_TOL):
    backprop = net.gradient(x, t)
    numeric = net.numerical_gradient(x, t)
    assert backprop.keys() == numeric.keys() == net.params.keys()
    errors = {k: rel_error(backprop[k], numeric[k]) for k in numeric}
    for k in numeric:
        assert backprop[k].shape == net.params[k].shape, k
    assert max(errors.values()) < tol, (
        "relative error backprop vs numerical gradient: "
        + ", ".join(f"{k} {e:.2e}" for k, e in errors.items()))


# --- the book's 3-layer example ----------------------------------------------------------------

def test_book_three_layer_forward():
    y = forward(init_network(), np.array([1.0, 0.5]))
    np.testing.assert_allclose(y, [0.31682708, 0.69627909], atol=5e-9)


def test_book_three_layer_forward_batch():
    x = np.array([[1.0, 0.5], [1.0, 0.5], [0.0, 0.0]])
    y = forward(init_network(), x)
    assert y.shape == (3, 2)
    np.testing.assert_allclose(y[:2], [[0.31682708, 0.69627909]] * 2, atol=5e-9)


# --- shipped sample weights --------------------------------------------------------------------

def test_sample_weights_shapes_and_dtype():
    w = load_sample_weights()
    shapes = {"W1": (784, 50), "b1": (50,), "W2": (50, 100), "b2": (100,), "W3": (100, 10), "b3": (10,)}
    assert {k: v.shape for k, v in w.items()} == shapes
    assert all(v.dtype == np.float32 for v in w.values())


def test_sample_weights_accuracy(mnist_test_set):
    x, t = mnist_test_set
    y = predict(load_sample_weights(), x)
    assert y.shape == (10000, 10)
    accuracy = np.mean(np.argmax(y, axis=1) == t)
    assert accuracy >= 0.93, f"test accuracy {accuracy:.4f}"


def test_predict_one_image_and_a_batch(mnist_test_set):
    x = mnist_test_set[0][:5]
    network = load_sample_weights()
    batch = predict(network, x)
    one = predict(network, x[0])
    assert one.shape == (10,) and batch.shape == (5, 10)
    np.testing.assert_allclose(one, batch[0], rtol=1e-5)
    np.testing.assert_allclose(batch.sum(axis=1), 1.0, rtol=1e-5)


# --- TwoLayerNet -------------------------------------------------------------------------------

def test_two_layer_net_params():
    net = TwoLayerNet(784, 50, 10, seed=0)
    assert list(net.params) == ["W1", "b1", "W2", "b2"]
    assert {k: v.shape for k, v in net.params.items()} == {
        "W1": (784, 50), "b1": (50,), "W2": (50, 10), "b2": (10,)}
    assert all(v.dtype == np.float32 for v in net.params.values())
    assert not net.params["b1"].any() and not net.params["b2"].any()
    assert net.params["W1"].std() == pytest.approx(0.01, rel=0.05)


def test_two_layer_net_he_init():
    net = TwoLayerNet(784, 50, 10, weight_init_std="he", seed=0)
    assert net.params["W1"].std() == pytest.approx(np.sqrt(2 / 784), rel=0.05)
    assert net.params["W2"].std() == pytest.approx(np.sqrt(2 / 50), rel=0.15)


def test_two_layer_net_seed_reproducibility():
    a, b, c = TwoLayerNet(20, 8, 3, seed=1), TwoLayerNet(20, 8, 3, seed=1), TwoLayerNet(20, 8, 3, seed=2)
    for k in a.params:
        np.testing.assert_array_equal(a.params[k], b.params[k])
    assert not np.array_equal(a.params["W1"], c.params["W1"])


def test_two_layer_net_dtype():
    net = TwoLayerNet(6, 4, 3, dtype=np.float64)
    assert all(v.dtype == np.float64 for v in net.params.values())


def test_two_layer_net_predict_shape_and_loss():
    rng = np.random.default_rng(0)
    net = TwoLayerNet(6, 4, 3, seed=0)
    x = rng.random((5, 6), dtype=np.float32)
    assert net.predict(x).shape == (5, 3)
    loss = net.loss(x, np.array([0, 1, 2, 0, 1]))
    # Tiny initial weights: the scores are near 0, so softmax is near uniform and the loss ~ log(3).
    assert loss == pytest.approx(np.log(3), rel=1e-2)


@pytest.mark.parametrize("net", [TwoLayerNet(6, 5, 3, seed=0, weight_init_std="he"),
                                 MultiLayerNet([6, 5, 4, 3], seed=0)], ids=["two", "multi"])
def test_accuracy_with_labels_and_one_hot(net):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((40, 6)).astype(np.float32)
    labels = rng.integers(0, 3, 40)
    expected = np.mean(np.argmax(net.predict(x), axis=1) == labels)
    assert 0 < expected < 1  # a meaningful check: some right, some wrong
    assert net.accuracy(x, labels) == pytest.approx(expected)
    assert net.accuracy(x, np.eye(3)[labels]) == pytest.approx(expected)
    assert isinstance(net.accuracy(x, labels), float)


def test_two_layer_net_gradient_check():
    rng = np.random.default_rng(0)
    net = TwoLayerNet(5, 4, 3, weight_init_std=0.5, seed=0, dtype=np.float64)
    x = rng.standard_normal((6, 5))
    t = np.array([0, 1, 2, 2, 1, 0])
    assert_gradient_check(net, x, t)
    assert_gradient_check(net, x, np.eye(3)[t])


def test_loss_and_gradient_matches_loss_and_gradient():
    rng = np.random.default_rng(0)
    net = TwoLayerNet(5, 4, 3, weight_init_std=1.0, seed=0, dtype=np.float64)
    x, t = rng.standard_normal((6, 5)), np.array([0, 1, 2, 2, 1, 0])
    loss, grads = net.loss_and_gradient(x, t)
    assert loss == pytest.approx(net.loss(x, t), rel=1e-14)
    for k, g in net.gradient(x, t).items():
        np.testing.assert_allclose(grads[k], g, rtol=1e-14)


@pytest.mark.parametrize("make", [lambda: TwoLayerNet(5, 4, 3, weight_init_std=1.0, seed=0, dtype=np.float64),
                                  lambda: MultiLayerNet([5, 4, 4, 3], "sigmoid", seed=0, dtype=np.float64)])
def test_scaled_gradient_is_the_gradient_times_the_scale(make):
    """Backprop started from dout = 0.3 gives 0.3 times every gradient (the chain rule is linear);
    the loss is the loss, unscaled. Compared with the numerical gradient, an independent method."""
    net = make()
    rng = np.random.default_rng(1)
    x, t = rng.standard_normal((6, 5)), np.array([0, 1, 2, 2, 1, 0])
    loss, steps = net.loss_and_gradient(x, t, scale=0.3)
    assert loss == pytest.approx(net.loss(x, t), rel=1e-14)
    for k, g in net.numerical_gradient(x, t).items():
        np.testing.assert_allclose(steps[k], 0.3 * g, rtol=1e-4, atol=1e-7)


def test_params_are_the_layers_weights():
    """Updating ``params`` in place (as training does) changes what the network computes."""
    net = TwoLayerNet(5, 4, 3, weight_init_std=1.0, seed=0, dtype=np.float64)
    x = np.ones((1, 5))
    before = net.predict(x).copy()
    net.params["b2"] += 1.0
    np.testing.assert_allclose(net.predict(x), before + 1.0, rtol=1e-12)


def test_gradient_does_not_change_params_or_inputs():
    rng = np.random.default_rng(0)
    net = TwoLayerNet(5, 4, 3, weight_init_std=1.0, seed=0, dtype=np.float64)
    x, t = rng.standard_normal((6, 5)), np.array([0, 1, 2, 2, 1, 0])
    saved = [a.copy() for a in (x, t, *net.params.values())]
    net.gradient(x, t)
    net.numerical_gradient(x, t)
    for a, b in zip((x, t, *net.params.values()), saved):
        np.testing.assert_array_equal(a, b)


# --- MultiLayerNet -----------------------------------------------------------------------------

def test_multi_layer_net_params():
    net = MultiLayerNet([784, 100, 50, 10], seed=0)
    assert list(net.params) == ["W1", "b1", "W2", "b2", "W3", "b3"]
    assert {k: v.shape for k, v in net.params.items()} == {
        "W1": (784, 100), "b1": (100,), "W2": (100, 50), "b2": (50,), "W3": (50, 10), "b3": (10,)}
    assert all(v.dtype == np.float32 for v in net.params.values())
    assert net.params["W1"].std() == pytest.approx(np.sqrt(2 / 784), rel=0.05)  # "he" by default


def test_multi_layer_net_weight_inits():
    xavier = MultiLayerNet([400, 300, 10], activation="sigmoid", weight_init="xavier", seed=0)
    assert xavier.params["W1"].std() == pytest.approx(np.sqrt(1 / 400), rel=0.05)
    fixed = MultiLayerNet([400, 300, 10], weight_init=0.01, seed=0)
    assert fixed.params["W1"].std() == pytest.approx(0.01, rel=0.05)


def test_multi_layer_net_seed_reproducibility():
    a, b = MultiLayerNet([8, 6, 4, 3], seed=3), MultiLayerNet([8, 6, 4, 3], seed=3)
    for k in a.params:
        np.testing.assert_array_equal(a.params[k], b.params[k])
    assert not np.array_equal(a.params["W2"], MultiLayerNet([8, 6, 4, 3], seed=4).params["W2"])


def test_multi_layer_net_with_one_layer_is_softmax_regression():
    net = MultiLayerNet([4, 3], seed=0, dtype=np.float64)
    x = np.random.default_rng(0).standard_normal((2, 4))
    np.testing.assert_allclose(net.predict(x), x @ net.params["W1"] + net.params["b1"], rtol=1e-12)


@pytest.mark.parametrize("activation", ["relu", "sigmoid"])
def test_multi_layer_net_gradient_check(activation):
    rng = np.random.default_rng(0)
    net = MultiLayerNet([5, 6, 4, 3], activation=activation, weight_init=1.0, seed=0, dtype=np.float64)
    x = rng.standard_normal((7, 5))
    t = np.array([0, 1, 2, 2, 1, 0, 1])
    assert_gradient_check(net, x, t)
    assert_gradient_check(net, x, np.eye(3)[t])


@pytest.mark.parametrize("kwargs, message", [
    ({"sizes": [784]}, "at least an input and an output"),
    ({"sizes": [4, 3], "activation": "tanh"}, "tanh"),
    ({"sizes": [4, 3], "weight_init": "glorot"}, "glorot"),
])
def test_multi_layer_net_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        MultiLayerNet(**kwargs)
