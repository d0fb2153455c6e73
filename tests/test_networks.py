"""Networks: the book's 3-layer example, the shipped sample weights, TwoLayerNet and MultiLayerNet."""
import math

import numpy as np
import pytest

from mnist_lib import networks
from mnist_lib.data import DataError
from mnist_lib.layers import Affine, BatchNormalization, Dropout, Relu, Sigmoid, SoftmaxWithLoss
from mnist_lib.networks import (MultiLayerNet, MultiLayerNetExtend, TwoLayerNet, forward,
                                init_network, load_sample_weights, predict)

LOSS_TOL = 1e-5  # backprop vs central differences; see test_layers.py for why not tighter


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


def test_sample_weights_accuracy(mnist):
    _, (x, t) = mnist
    y = predict(load_sample_weights(), x)
    assert y.shape == (10000, 10)
    accuracy = np.mean(np.argmax(y, axis=1) == t)
    assert accuracy >= 0.93, f"test accuracy {accuracy:.4f}"


def test_predict_one_image_and_a_batch(mnist):
    x = mnist[1][0][:5]
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
                                 MultiLayerNet(6, [5, 4], 3, seed=0)], ids=["two", "multi"])
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


@pytest.mark.parametrize("make", [
    lambda: TwoLayerNet(5, 4, 3, weight_init_std=1.0, seed=0, dtype=np.float64),
    lambda: MultiLayerNet(5, [4, 4], 3, activation="sigmoid", weight_decay_lambda=0.1, seed=0,
                          dtype=np.float64)], ids=["two", "multi with decay"])
def test_backprop_started_from_a_scale_gives_the_gradient_times_the_scale(make):
    """train's steps: backprop from dout = 0.3 gives 0.3 times every gradient (the chain rule is
    linear), checked against the numerical gradient, an independent method."""
    net = make()
    rng = np.random.default_rng(1)
    x, t = rng.standard_normal((6, 5)), np.array([0, 1, 2, 2, 1, 0])
    assert net._loss(x, t) == pytest.approx(net.loss(x, t), rel=1e-14)
    steps = net._backward(scale=0.3)
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
    net = MultiLayerNet(784, [100, 50], 10, seed=0)
    assert net.hidden_size_list == [100, 50] and (net.input_size, net.output_size) == (784, 10)
    assert list(net.params) == ["W1", "b1", "W2", "b2", "W3", "b3"]
    assert {k: v.shape for k, v in net.params.items()} == {
        "W1": (784, 100), "b1": (100,), "W2": (100, 50), "b2": (50,), "W3": (50, 10), "b3": (10,)}
    assert all(v.dtype == np.float32 for v in net.params.values())
    assert net.params["W1"].std() == pytest.approx(np.sqrt(2 / 784), rel=0.05)  # "he" by default


def test_multi_layer_net_weight_inits():
    xavier = MultiLayerNet(400, [300], 10, activation="sigmoid", weight_init_std="xavier", seed=0)
    assert xavier.params["W1"].std() == pytest.approx(np.sqrt(1 / 400), rel=0.05)
    fixed = MultiLayerNet(400, [300], 10, weight_init_std=0.01, seed=0)
    assert fixed.params["W1"].std() == pytest.approx(0.01, rel=0.05)


def test_multi_layer_net_seed_reproducibility():
    a, b = MultiLayerNet(8, [6, 4], 3, seed=3), MultiLayerNet(8, [6, 4], 3, seed=3)
    for k in a.params:
        np.testing.assert_array_equal(a.params[k], b.params[k])
    assert not np.array_equal(a.params["W2"], MultiLayerNet(8, [6, 4], 3, seed=4).params["W2"])


def test_multi_layer_net_with_one_layer_is_softmax_regression():
    net = MultiLayerNet(4, [], 3, seed=0, dtype=np.float64)
    x = np.random.default_rng(0).standard_normal((2, 4))
    np.testing.assert_allclose(net.predict(x), x @ net.params["W1"] + net.params["b1"], rtol=1e-12)


@pytest.mark.parametrize("activation", ["relu", "sigmoid"])
def test_multi_layer_net_gradient_check(activation):
    rng = np.random.default_rng(0)
    net = MultiLayerNet(5, [6, 4], 3, activation=activation, weight_init_std=1.0, seed=0,
                        dtype=np.float64)
    x = rng.standard_normal((7, 5))
    t = np.array([0, 1, 2, 2, 1, 0, 1])
    assert_gradient_check(net, x, t)
    assert_gradient_check(net, x, np.eye(3)[t])


def test_multi_layer_net_by_position_and_by_keyword_is_one_network():
    by_position = MultiLayerNet(784, (100, 50), 10, "relu", "he", 0, seed=5)
    by_keyword = MultiLayerNet(input_size=784, hidden_size_list=[100, 50], output_size=10, seed=5)
    assert list(by_position.params) == list(by_keyword.params)
    for k in by_keyword.params:
        np.testing.assert_array_equal(by_position.params[k], by_keyword.params[k])


@pytest.mark.parametrize("name, gain", [("relu", 2), ("he", 2), ("HE", 2), ("sigmoid", 1), ("xavier", 1)])
def test_multi_layer_net_book_weight_init_names(name, gain):
    net = MultiLayerNet(400, [300], 10, weight_init_std=name, seed=0)
    assert net.params["W1"].std() == pytest.approx(math.sqrt(gain / 400), rel=0.05)
    assert net.params["W2"].std() == pytest.approx(math.sqrt(gain / 300), rel=0.1)


def test_multi_layer_net_without_hidden_layers_in_the_book_form():
    net = MultiLayerNet(784, [], 10, seed=0)
    assert list(net.params) == ["W1", "b1"] and list(net.layers) == ["Affine1"]


# --- layers by name, as the book keeps them ----------------------------------------------------

def test_two_layer_net_layers_are_named_as_in_the_book():
    net = TwoLayerNet(6, 5, 3, seed=0)
    assert list(net.layers) == ["Affine1", "Relu1", "Affine2"]
    assert [type(layer) for layer in net.layers.values()] == [Affine, Relu, Affine]
    assert isinstance(net.lastLayer, SoftmaxWithLoss)
    assert net.last_layer is net.lastLayer


@pytest.mark.parametrize("activation, kind", [("relu", Relu), ("sigmoid", Sigmoid)])
def test_multi_layer_net_layers_are_named_as_in_the_book(activation, kind):
    net = MultiLayerNet(6, [5, 4], 3, activation=activation, seed=0)
    assert list(net.layers) == ["Affine1", "Activation_function1", "Affine2",
                                "Activation_function2", "Affine3"]
    assert [type(layer) for layer in net.layers.values()] == [Affine, kind, Affine, kind, Affine]
    assert net.last_layer is net.lastLayer


@pytest.mark.parametrize("net", [TwoLayerNet(6, 5, 3, seed=0), MultiLayerNet(6, [5, 4], 3, seed=0)],
                         ids=["two", "multi"])
def test_layers_hold_the_params_arrays(net):
    """The Affine layers hold the very arrays in ``params``: an in-place update changes the output."""
    for i in (1, 2):
        assert net.layers[f"Affine{i}"].W is net.params[f"W{i}"]
        assert net.layers[f"Affine{i}"].b is net.params[f"b{i}"]
    x = np.random.default_rng(0).random((4, 6), dtype=np.float32)
    before = net.predict(x).copy()
    net.params["W1"] *= 2  # in place, as the book's update loop does
    after = net.predict(x)
    assert not np.allclose(after, before)
    by_hand = x @ net.params["W1"] + net.params["b1"]
    np.testing.assert_allclose(net.layers["Affine1"].forward(x), by_hand, rtol=1e-6)


# --- the numerical gradient in float64, whatever the network's dtype ---------------------------

def test_numerical_gradient_of_a_float32_network_is_float64_accurate():
    """A float32 network's numerical gradient equals the float64 twin's (same weights, widened)."""
    rng = np.random.default_rng(0)
    net32 = TwoLayerNet(8, 5, 3, weight_init_std=0.5, seed=0)
    net64 = TwoLayerNet(8, 5, 3, weight_init_std=0.5, seed=0, dtype=np.float64)
    for k in net64.params:  # the same values exactly: float32 ones, widened
        net64.params[k][...] = net32.params[k]
    x = rng.random((4, 8), dtype=np.float32)
    t = np.array([0, 2, 1, 2])
    g32, g64 = net32.numerical_gradient(x, t), net64.numerical_gradient(x.astype(np.float64), t)
    saved = {k: p.copy() for k, p in net32.params.items()}
    for k in g64:
        assert g32[k].dtype == np.float64
        np.testing.assert_allclose(g32[k], g64[k], rtol=0, atol=1e-12, err_msg=k)
        np.testing.assert_array_equal(net32.params[k], saved[k])  # the network is not touched
    backprop = net32.gradient(x, t)
    for k in g64:  # float32 backprop agrees to float32 precision, far below 1e-6
        assert np.mean(np.abs(backprop[k] - g64[k])) < 1e-7, k


def float32_and_float64_twins():
    """Pairs of one network in float32 and float64: the same seed draws the same weights."""
    def make(dtype):
        return [TwoLayerNet(784, 30, 10, weight_init_std="he", seed=1, dtype=dtype),
                MultiLayerNet(784, [32, 16], 10, seed=1, dtype=dtype),
                MultiLayerNet(784, [20], 10, activation="sigmoid", weight_init_std="xavier", seed=1,
                              dtype=dtype)]
    return zip(make(np.float32), make(np.float64))


def test_float32_backprop_matches_float64_on_mnist(mnist):
    """float32 networks compute the float64 gradients, to float32 precision, and stay float32."""
    (x, t), _ = mnist
    x32, t_batch = x[:100], t[:100]
    for net32, net64 in float32_and_float64_twins():
        for key in net32.params:  # the float64 weights, rounded to float32
            np.testing.assert_allclose(net32.params[key], net64.params[key], rtol=1e-6, atol=1e-7)
        x64 = x32.astype(np.float64)
        assert net32.loss(x32, t_batch) == pytest.approx(net64.loss(x64, t_batch), rel=1e-5)
        g32, g64 = net32.gradient(x32, t_batch), net64.gradient(x64, t_batch)
        for key in g64:
            assert g32[key].dtype == np.float32, key
            scale = np.abs(g64[key]).max()
            np.testing.assert_allclose(g32[key], g64[key], rtol=0, atol=1e-4 * scale + 1e-7,
                                       err_msg=key)


# --- weight decay ------------------------------------------------------------------------------

def decay_pair(lam):
    """The same float64 network with and without weight decay ``lam``; with this seed and the
    inputs below, no ReLU input is within 0.01 of its kink, so central differences are exact."""
    make = lambda lam: MultiLayerNet(5, [4, 4], 3, weight_init_std=1.0, weight_decay_lambda=lam,
                                     seed=1, dtype=np.float64)
    return make(lam), make(0)


def test_weight_decay_adds_half_lambda_sum_of_squares_to_the_loss():
    decayed, plain = decay_pair(0.3)
    x, t = np.random.default_rng(0).standard_normal((6, 5)), np.array([0, 1, 2, 2, 1, 0])
    squares = sum(np.sum(plain.params[k] ** 2) for k in ("W1", "W2", "W3"))  # not the biases
    assert decayed.loss(x, t) == pytest.approx(plain.loss(x, t) + 0.5 * 0.3 * squares, rel=1e-14)


def test_weight_decay_adds_lambda_W_to_each_weight_gradient():
    decayed, plain = decay_pair(0.3)
    x, t = np.random.default_rng(0).standard_normal((6, 5)), np.array([0, 1, 2, 2, 1, 0])
    g_decayed, g_plain = decayed.gradient(x, t), plain.gradient(x, t)
    for i in (1, 2, 3):
        np.testing.assert_allclose(g_decayed[f"W{i}"], g_plain[f"W{i}"] + 0.3 * plain.params[f"W{i}"],
                                   rtol=1e-13)
        np.testing.assert_array_equal(g_decayed[f"b{i}"], g_plain[f"b{i}"])
    assert_gradient_check(decayed, x, t)  # and it is the gradient of the decayed loss


# --- clear errors for what a learner can get wrong ---------------------------------------------

@pytest.mark.parametrize("args, kwargs, error, words", [
    ((0, 50, 10), {}, ValueError, "input_size must be at least 1, got 0"),
    ((784, 0, 10), {"weight_init_std": "he"}, ValueError, "hidden_size must be at least 1, got 0"),
    ((784.0, 50, 10), {}, TypeError, "input_size must be a whole number"),
    ((784, 50, 10), {"dtype": int}, TypeError, "dtype must be np.float32 (fast, the default) or "
                                               "np.float64 (for exact gradient checks), got 'int'"),
    ((784, 50, 10), {"dtype": np.float16}, TypeError, "got 'float16'"),
    ((784, 50, 10), {"weight_init_std": "glorot"}, ValueError, "weight_init_std must be a number "
                                                               "such as 0.01"),
    ((784, 50, 10), {"weight_init_std": -0.01}, ValueError, "weight_init_std must be a finite number"),
    ((784, 50, 10), {"seed": 0.5}, TypeError, "seed must be None or a whole number"),
])
def test_two_layer_net_refuses_bad_arguments(args, kwargs, error, words):
    with pytest.raises(error) as info:
        TwoLayerNet(*args, **kwargs)
    assert words in str(info.value)


@pytest.mark.parametrize("args, kwargs, error, words", [
    ((784, [50.0], 10), {}, TypeError, "hidden_size_list[0] must be a whole number"),
    ((4, [], 3), {"activation": "tanh"}, ValueError, 'activation must be "relu" or "sigmoid", got '
                                                     "'tanh'"),
    ((4, [], 3), {"weight_init_std": "glorot"}, ValueError, "weight_init_std must be a number"),
    ((4, [], 3), {"weight_init_std": True}, TypeError, "weight_init_std must be a number"),
    ((4, [], 3), {"weight_init": 0.1}, TypeError, "unexpected keyword argument 'weight_init'"),
    ((4, [], 3), {"dtype": int}, TypeError, "dtype must be np.float32"),
    ((4, [], 3), {"seed": -1}, TypeError, "seed must be None or a whole number >= 0"),
    ((784,), {}, TypeError, "missing 2 required positional arguments: 'hidden_size_list' and "
                            "'output_size'"),
    (([784, 100, 10],), {}, TypeError, "missing 2 required positional arguments"),
    ((784, 100, 10), {}, TypeError, "hidden_size_list must be a list of widths"),
    ((0, [100], 10), {}, ValueError, "input_size must be at least 1, got 0"),
    ((784, [100, 0], 10), {}, ValueError, "hidden_size_list[1] must be at least 1, got 0"),
    ((784, [100], 10.0), {}, TypeError, "output_size must be a whole number"),
    ((784, [100], 10), {"weight_decay_lambda": -0.1}, ValueError,
     "weight_decay_lambda must be a finite number of at least 0"),
    ((784, [100], 10), {"weight_decay_lambda": "0.1"}, TypeError, "weight_decay_lambda must be a number"),
])
def test_multi_layer_net_refuses_bad_arguments(args, kwargs, error, words):
    with pytest.raises(error) as info:
        MultiLayerNet(*args, **kwargs)
    assert words in str(info.value)


WRONG_WIDTH = "x has 783 columns per image but the network's first layer expects 784"


@pytest.mark.parametrize("net", [TwoLayerNet(784, 5, 10, seed=0), MultiLayerNet(784, [5], 10, seed=0)],
                         ids=["two", "multi"])
def test_wrong_input_width_is_a_sentence(net):
    x, t = np.zeros((2, 783), np.float32), np.array([0, 1])
    for call in (lambda: net.predict(x), lambda: net.loss(x, t), lambda: net.accuracy(x, t),
                 lambda: net.gradient(x, t), lambda: net.numerical_gradient(x, t)):
        with pytest.raises(ValueError) as info:
            call()
        assert WRONG_WIDTH in str(info.value)
    with pytest.raises(ValueError, match="x is one image of 783 values but the network's first "
                                         "layer expects 784"):
        net.predict(np.zeros(783))
    with pytest.raises(TypeError, match=r"x must be a NumPy array of numbers, shape \(N, 784\), got list"):
        net.predict([[0.0] * 784])


def test_sample_network_wrong_input_width_is_a_sentence():
    with pytest.raises(ValueError) as info:
        predict(load_sample_weights(), np.zeros((5, 783), np.float32))
    assert WRONG_WIDTH in str(info.value)
    with pytest.raises(ValueError, match="x is one image of 3 values but the network's first "
                                         "layer expects 2"):
        forward(init_network(), np.zeros(3))
    with pytest.raises(TypeError, match="network must be a dict of weights .* it lacks W3, b3"):
        predict({k: v for k, v in init_network().items() if k not in ("W3", "b3")}, np.zeros(2))


@pytest.mark.parametrize("t, error, words", [
    (np.array([0, -1, 2]), ValueError, "label -1 at position 1"),
    (np.array([0, 1, 3]), ValueError, "whole numbers from 0 to 2"),
    (np.array([0.0, 1.0, 2.0]), TypeError, "astype(int)"),
    (np.array([0, 1]), ValueError, "2 labels for 3 images"),
])
def test_bad_labels_are_refused(t, error, words):
    net = TwoLayerNet(4, 3, 3, seed=0)
    x = np.zeros((3, 4), np.float32)
    for call in (net.loss, net.accuracy, net.gradient, net.numerical_gradient):
        with pytest.raises(error) as info:
            call(x, t)
        message = str(info.value)
        assert words in message and message.startswith("t "), message


# --- the shipped sample weights, damaged -------------------------------------------------------

@pytest.mark.parametrize("damage", ["truncated", "garbage", "first byte", "member header", "member data",
                                    "empty", "wrong shape"])
def test_damaged_sample_weights_raise_data_error(tmp_path, monkeypatch, damage):
    good = networks.SAMPLE_WEIGHTS_PATH.read_bytes()
    bad = tmp_path / "sample_weights.npz"
    if damage == "truncated":
        bad.write_bytes(good[: len(good) // 2])
    elif damage == "garbage":  # NumPy alone would suggest allow_pickle=
        bad.write_bytes(b"not a zip file at all" * 100)
    elif damage in ("first byte", "member header", "member data"):  # one byte changed
        at = {"first byte": 0, "member header": good.index(b"\x93NUMPY") + 10,
              "member data": len(good) // 2}[damage]
        bad.write_bytes(good[:at] + bytes([good[at] ^ 0xFF]) + good[at + 1:])
    elif damage == "empty":
        bad.write_bytes(b"")
    else:
        weights = load_sample_weights()
        weights["W2"] = weights["W2"][:10]
        np.savez(bad, **weights)
    monkeypatch.setattr(networks, "SAMPLE_WEIGHTS_PATH", bad)
    with pytest.raises(DataError) as info:
        load_sample_weights()
    message = str(info.value)
    assert str(bad) in message and "reinstall the package" in message
    assert "pickle" not in message and "BadZipFile" not in message


def test_missing_sample_weights_raise_data_error(tmp_path, monkeypatch):
    monkeypatch.setattr(networks, "SAMPLE_WEIGHTS_PATH", tmp_path / "nowhere.npz")
    with pytest.raises(DataError, match="nowhere.npz is missing: reinstall the package"):
        load_sample_weights()


def test_sample_network_wants_flat_images():
    with pytest.raises(ValueError, match=r"shape \(2, 28, 28\): flatten the images first"):
        predict(load_sample_weights(), np.zeros((2, 28, 28), np.float32))


# --- batch normalisation and dropout (the book's MultiLayerNetExtend) ------------------------------

def test_batchnorm_and_dropout_layers_and_params_in_the_books_order():
    net = MultiLayerNetExtend(input_size=784, hidden_size_list=[100, 50], output_size=10,
                              use_dropout=True, dropout_ration=0.2, use_batchnorm=True, seed=0)
    assert MultiLayerNetExtend is MultiLayerNet
    assert list(net.layers) == ["Affine1", "BatchNorm1", "Activation_function1", "Dropout1",
                                "Affine2", "BatchNorm2", "Activation_function2", "Dropout2",
                                "Affine3"]
    assert list(net.params) == ["W1", "b1", "W2", "b2", "W3", "b3", "gamma1", "beta1", "gamma2",
                                "beta2"]
    assert net.layers["BatchNorm2"].gamma is net.params["gamma2"]
    np.testing.assert_array_equal(net.params["gamma1"], np.ones(100))
    np.testing.assert_array_equal(net.params["beta2"], np.zeros(50))
    assert net.layers["Dropout1"].dropout_ratio == 0.2


def test_the_options_leave_the_initial_weights_as_they_were():
    plain = MultiLayerNet(784, [30, 20], 10, seed=3)
    extended = MultiLayerNet(784, [30, 20], 10, use_dropout=True, use_batchnorm=True, seed=3)
    for key in plain.params:
        np.testing.assert_array_equal(plain.params[key], extended.params[key])


@pytest.mark.parametrize("activation", ["relu", "sigmoid"])
def test_batchnorm_network_gradient_check(activation):
    rng = np.random.default_rng(1)
    net = MultiLayerNet(5, [6, 4], 3, activation=activation, weight_init_std=1.0, use_batchnorm=True,
                        seed=0, dtype=np.float64)
    x = rng.standard_normal((7, 5))
    t = np.array([0, 1, 2, 2, 1, 0, 1])
    backprop, numeric = net.gradient(x, t), net.numerical_gradient(x, t)
    assert backprop.keys() == numeric.keys() == net.params.keys()
    # a bias just before batch normalisation is taken away again with the batch's mean: its
    # gradient is 0 (up to round-off, so it has no relative error to speak of)
    for key in ("b1", "b2"):
        assert np.abs(backprop[key]).max() < 1e-12 and np.abs(numeric[key]).max() < 1e-9, key
    errors = {k: rel_error(backprop[k], numeric[k]) for k in numeric if k not in ("b1", "b2")}
    assert max(errors.values()) < LOSS_TOL, errors


def test_batchnorm_network_in_use_answers_each_image_alone():
    rng = np.random.default_rng(0)
    net = MultiLayerNet(5, [6], 3, use_batchnorm=True, seed=0, dtype=np.float64)
    x = rng.standard_normal((8, 5))
    for _ in range(3):
        net.gradient(x, np.zeros(8, int))  # training passes move the running statistics
    np.testing.assert_allclose(net.predict(x[:2]), net.predict(x)[:2], rtol=1e-12)
    assert not np.allclose(net.predict(x[:2], train_flg=True), net.predict(x, train_flg=True)[:2])


def test_dropout_network_is_random_in_training_and_fixed_in_use():
    rng = np.random.default_rng(0)
    net = MultiLayerNet(5, [40], 3, use_dropout=True, seed=0)
    x = rng.standard_normal((4, 5)).astype(np.float32)
    np.testing.assert_array_equal(net.predict(x), net.predict(x))
    assert not np.array_equal(net.predict(x, train_flg=True), net.predict(x, train_flg=True))
    again = MultiLayerNet(5, [40], 3, use_dropout=True, seed=0)
    fresh = MultiLayerNet(5, [40], 3, use_dropout=True, seed=0)
    np.testing.assert_array_equal(again.predict(x, True), fresh.predict(x, True))  # seeded masks


def test_dropout_network_gradient_is_the_gradient_of_its_masked_network():
    """With dropout, gradient() backpropagates through the masks its own forward pass drew."""
    rng = np.random.default_rng(0)
    net = MultiLayerNet(5, [6], 3, use_dropout=True, seed=0, dtype=np.float64)
    x, t = rng.standard_normal((4, 5)), np.array([0, 1, 2, 1])
    grads = net.gradient(x, t)
    mask = net.layers["Dropout1"].mask
    hidden = np.maximum(x @ net.params["W1"] + net.params["b1"], 0) * mask
    scores = hidden @ net.params["W2"] + net.params["b2"]
    y = np.exp(scores - scores.max(axis=1, keepdims=True))
    y /= y.sum(axis=1, keepdims=True)
    dscores = (y - np.eye(3)[t]) / 4
    np.testing.assert_allclose(grads["W2"], hidden.T @ dscores, rtol=1e-12)
    dhidden = (dscores @ net.params["W2"].T) * mask * (x @ net.params["W1"] + net.params["b1"] > 0)
    np.testing.assert_allclose(grads["W1"], x.T @ dhidden, rtol=1e-12)


def test_one_image_needs_a_batch_with_batchnorm():
    net = MultiLayerNet(784, [5], 10, use_batchnorm=True, seed=0)
    with pytest.raises(ValueError, match="for one image use x.reshape"):
        net.predict(np.zeros(784, np.float32))


@pytest.mark.parametrize("kwargs, error, words", [
    ({"use_dropout": "yes"}, TypeError, "use_dropout must be True or False"),
    ({"use_batchnorm": 1}, TypeError, "use_batchnorm must be True or False"),
    ({"dropout_ration": 1.0}, ValueError, "dropout_ration must be at least 0 and below 1"),
    ({"dropout_ration": "0.5"}, TypeError, "dropout_ration must be a number"),
])
def test_the_options_refuse_bad_values(kwargs, error, words):
    with pytest.raises(error, match=words):
        MultiLayerNet(784, [10], 10, **kwargs)


def test_train_flg_must_be_true_or_false():
    net = MultiLayerNet(4, [3], 2, use_batchnorm=True, seed=0)
    with pytest.raises(TypeError, match="train_flg must be True or False"):
        net.predict(np.zeros((2, 4), np.float32), train_flg="yes")
