"""Layers: backward against numerical gradients, the book's apple example, shapes, no mutation."""
import numpy as np
import pytest

from mnist_lib.gradient import numerical_gradient
from mnist_lib.layers import Affine, AddLayer, MulLayer, Relu, Sigmoid, SoftmaxWithLoss

TOL = 1e-7  # relative error allowed between backprop and central differences (float64)
# The loss is -log(y + 1e-7), whose exact gradient differs from (y - t) / N by about 1e-7 / y:
# a relative error of ~1e-6 when the true class has a probability of a few percent.
LOSS_TOL = 1e-5


def rel_error(analytic, numeric):
    """max |a - n| / max(|a| + |n|), 0 when both are zero."""
    analytic, numeric = np.asarray(analytic, float), np.asarray(numeric, float)
    scale = np.max(np.abs(analytic) + np.abs(numeric))
    return 0.0 if scale == 0 else float(np.max(np.abs(analytic - numeric)) / scale)


def assert_grads_close(analytic: dict, numeric: dict, tol=TOL):
    errors = {k: rel_error(analytic[k], numeric[k]) for k in numeric}
    assert all(e < tol for e in errors.values()), (
        "relative error backprop vs numerical gradient: "
        + ", ".join(f"{k} {e:.2e}" for k, e in errors.items()) + f" (tolerance {tol:g})")


def away_from_zero(a, margin=0.05):
    """Move values away from 0, where ReLU has a kink that breaks central differences."""
    return np.where(a >= 0, a + margin, a - margin)


@pytest.fixture
def rng():
    return np.random.default_rng(0)


# --- the book's apple example ------------------------------------------------------------------

def test_apple_example():
    mul_apple, mul_tax = MulLayer(), MulLayer()
    apple_price = mul_apple.forward(100, 2)
    price = mul_tax.forward(apple_price, 1.1)
    assert price == pytest.approx(220)
    d_apple_price, d_tax = mul_tax.backward(1)
    d_apple, d_count = mul_apple.backward(d_apple_price)
    assert d_apple == pytest.approx(2.2)
    assert d_count == pytest.approx(110)
    assert d_tax == pytest.approx(200)


def test_apple_and_orange_example():
    mul_apple, mul_orange, add, mul_tax = MulLayer(), MulLayer(), AddLayer(), MulLayer()
    apple = mul_apple.forward(100, 2)
    orange = mul_orange.forward(150, 3)
    price = mul_tax.forward(add.forward(apple, orange), 1.1)
    assert price == pytest.approx(715)
    d_sum, d_tax = mul_tax.backward(1)
    d_apple_price, d_orange_price = add.backward(d_sum)
    d_apple, d_apple_num = mul_apple.backward(d_apple_price)
    d_orange, d_orange_num = mul_orange.backward(d_orange_price)
    assert (d_apple, d_apple_num, d_orange, d_orange_num, d_tax) == pytest.approx(
        (2.2, 110, 3.3, 165, 650))


def test_mul_and_add_layers_on_arrays(rng):
    x, y, dout = rng.standard_normal((3, 2, 4))
    mul = MulLayer()
    np.testing.assert_array_equal(mul.forward(x, y), x * y)
    dx, dy = mul.backward(dout)
    np.testing.assert_array_equal(dx, dout * y)
    np.testing.assert_array_equal(dy, dout * x)
    add = AddLayer()
    np.testing.assert_array_equal(add.forward(x, y), x + y)
    da, db = add.backward(dout)
    np.testing.assert_array_equal(da, dout)
    np.testing.assert_array_equal(db, dout)


# --- backward against numerical gradients ------------------------------------------------------
# For a layer out = layer(x), take L = sum(out * dout) for a fixed random dout: then dL/dx is
# exactly what backward(dout) must return, and numerical_gradient gives it independently.

def test_mul_layer_gradient(rng):
    x, y, dout = rng.standard_normal((3, 2, 3))
    layer = MulLayer()
    layer.forward(x, y)
    dx, dy = layer.backward(dout)
    numeric = {"x": numerical_gradient(lambda _: np.sum(x * y * dout), x),
               "y": numerical_gradient(lambda _: np.sum(x * y * dout), y)}
    assert_grads_close({"x": dx, "y": dy}, numeric)


def test_add_layer_gradient(rng):
    x, y, dout = rng.standard_normal((3, 2, 3))
    layer = AddLayer()
    layer.forward(x, y)
    dx, dy = layer.backward(dout)
    numeric = {"x": numerical_gradient(lambda _: np.sum((x + y) * dout), x),
               "y": numerical_gradient(lambda _: np.sum((x + y) * dout), y)}
    assert_grads_close({"x": dx, "y": dy}, numeric)


def test_relu_gradient(rng):
    x = away_from_zero(rng.standard_normal((4, 5)))
    dout = rng.standard_normal((4, 5))
    layer = Relu()
    out = layer.forward(x)
    np.testing.assert_array_equal(out, np.maximum(x, 0))
    dx = layer.backward(dout)
    numeric = numerical_gradient(lambda _: np.sum(Relu().forward(x) * dout), x)
    assert_grads_close({"x": dx}, {"x": numeric})
    np.testing.assert_array_equal(dx, np.where(x > 0, dout, 0))


def test_relu_gradient_at_zero_is_zero():
    """At the kink x = 0 the book (and relu_grad) take the slope 0."""
    layer = Relu()
    layer.forward(np.array([-1.0, 0.0, 2.0]))
    np.testing.assert_array_equal(layer.backward(np.array([5.0, 5.0, 5.0])), [0.0, 0.0, 5.0])


def test_relu_backward_keeps_dtype():
    layer = Relu()
    layer.forward(np.array([-1.0, 2.0], dtype=np.float32))
    assert layer.backward(np.ones(2, dtype=np.float32)).dtype == np.float32
    layer.forward(np.array([[1.0, -0.5], [-2.0, 3.0]]))
    np.testing.assert_array_equal(layer.backward(np.array([[4, 5], [6, 7]])), [[4, 0], [0, 7]])


def test_relu_backward_blocks_with_zero_not_minus_zero(rng):
    """A negative dout blocked by the mask gives 0.0, never -0.0 (it would print as "-0.")."""
    x = rng.standard_normal((64, 50)).astype(np.float32)
    layer = Relu()
    layer.forward(x)
    dx = layer.backward(-np.abs(rng.standard_normal((64, 50))).astype(np.float32))
    assert not np.signbit(dx[x <= 0]).any()
    layer.forward(np.array([[1.0, -0.5], [-2.0, 3.0]]))
    assert str(layer.backward(np.array([[-1.0, -1.0], [-1.0, -1.0]]))) == "[[-1.  0.]\n [ 0. -1.]]"


def test_sigmoid_gradient(rng):
    x, dout = rng.standard_normal((2, 4, 5)) * 2
    layer = Sigmoid()
    out = layer.forward(x)
    np.testing.assert_allclose(out, 1 / (1 + np.exp(-x)), rtol=1e-14)
    dx = layer.backward(dout)
    numeric = numerical_gradient(lambda _: np.sum(Sigmoid().forward(x) * dout), x)
    assert_grads_close({"x": dx}, {"x": numeric})


@pytest.mark.parametrize("x_shape", [(5, 4), (4,), (3, 1, 2, 2)], ids=["batch", "one sample", "images"])
def test_affine_gradient(rng, x_shape):
    x = rng.standard_normal(x_shape)
    d = int(np.prod(x_shape[1:])) if len(x_shape) > 1 else x_shape[0]
    W, b = rng.standard_normal((d, 3)), rng.standard_normal(3)
    layer = Affine(W, b)
    out = layer.forward(x)
    expected_out = x.reshape(-1, d) @ W + b
    np.testing.assert_allclose(out, expected_out[0] if len(x_shape) == 1 else expected_out, rtol=1e-12)
    dout = rng.standard_normal(out.shape)
    dx = layer.backward(dout)
    assert dx.shape == x.shape
    assert layer.dW.shape == W.shape and layer.db.shape == b.shape

    def loss(_):
        return np.sum(Affine(W, b).forward(x) * dout)

    numeric = {"x": numerical_gradient(loss, x), "W": numerical_gradient(loss, W),
               "b": numerical_gradient(loss, b)}
    assert_grads_close({"x": dx, "W": layer.dW, "b": layer.db}, numeric)


def test_affine_image_input_gives_image_shaped_dx(rng):
    x = rng.random((2, 1, 28, 28))
    layer = Affine(rng.standard_normal((784, 10)) * 0.01, np.zeros(10))
    out = layer.forward(x)
    assert out.shape == (2, 10)
    dx = layer.backward(np.ones((2, 10)))
    assert dx.shape == (2, 1, 28, 28)
    np.testing.assert_allclose(dx.reshape(2, 784), np.ones((2, 10)) @ layer.W.T, rtol=1e-12)


def test_affine_backward_without_input_grad(rng):
    """For a first layer: no dx, and the very dW and db of the full backward."""
    W, x, dout = rng.standard_normal((4, 3)), rng.standard_normal((2, 4)), rng.standard_normal((2, 3))
    first, full = Affine(W, np.zeros(3)), Affine(W, np.zeros(3))
    first.forward(x)
    full.forward(x)
    assert first.backward(dout, input_grad=False) is None
    full.backward(dout)
    np.testing.assert_allclose(first.dW, x.T @ dout, rtol=1e-12)
    np.testing.assert_allclose(first.db, dout.sum(axis=0), rtol=1e-12)
    np.testing.assert_array_equal(first.dW, full.dW)
    np.testing.assert_array_equal(first.db, full.db)


def test_affine_input_that_does_not_fit_W():
    layer = Affine(np.zeros((4, 3)), np.zeros(3))
    with pytest.raises(ValueError) as err:
        layer.forward(np.zeros((2, 5)))
    assert "(2, 5)" in str(err.value) and "(4, 3)" in str(err.value), str(err.value)
    with pytest.raises(ValueError, match=r"\(5,\).*\(4, 3\)"):
        layer.forward(np.zeros(5))


def test_affine_rejects_bad_parameters():
    with pytest.raises(ValueError, match=r"\(4, 3\).*\(4,\)"):
        Affine(np.zeros((4, 3)), np.zeros(4))


# --- SoftmaxWithLoss ---------------------------------------------------------------------------

def softmax_reference(x):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def test_softmax_with_loss_labels_and_one_hot_agree(rng):
    x = rng.standard_normal((5, 4)) * 3
    labels = np.array([0, 3, 1, 1, 2])
    one_hot = np.eye(4)[labels]
    a, b = SoftmaxWithLoss(), SoftmaxWithLoss()
    loss_labels, loss_one_hot = a.forward(x, labels), b.forward(x, one_hot)
    y = softmax_reference(x)
    assert loss_labels == pytest.approx(-np.mean(np.log(y[np.arange(5), labels] + 1e-7)), rel=1e-12)
    assert loss_one_hot == pytest.approx(loss_labels, rel=1e-12)
    expected = (y - one_hot) / 5
    np.testing.assert_allclose(a.backward(), expected, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(b.backward(), expected, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("targets", ["labels", "one-hot"])
def test_softmax_with_loss_gradient(rng, targets):
    x = rng.standard_normal((6, 5))
    t = np.array([4, 0, 2, 2, 1, 3])
    if targets == "one-hot":
        t = np.eye(5)[t]
    layer = SoftmaxWithLoss()
    layer.forward(x, t)
    dx = layer.backward(1.0)
    numeric = numerical_gradient(lambda _: SoftmaxWithLoss().forward(x, t), x)
    assert_grads_close({"x": dx}, {"x": numeric}, tol=LOSS_TOL)


def test_softmax_with_loss_dout_scales_the_gradient(rng):
    x, t = rng.standard_normal((3, 4)), np.array([0, 1, 2])
    layer = SoftmaxWithLoss()
    layer.forward(x, t)
    g1 = layer.backward(1.0)
    np.testing.assert_allclose(layer.backward(2.5), 2.5 * g1, rtol=1e-14)


def test_softmax_with_loss_one_sample(rng):
    x = rng.standard_normal(4)
    layer = SoftmaxWithLoss()
    loss = layer.forward(x, 2)
    y = softmax_reference(x[None])[0]
    assert loss == pytest.approx(-np.log(y[2] + 1e-7), rel=1e-12)
    dx = layer.backward()
    assert dx.shape == (4,)
    np.testing.assert_allclose(dx, y - np.eye(4)[2], rtol=1e-12, atol=1e-15)
    assert SoftmaxWithLoss().forward(x, np.eye(4)[2]) == pytest.approx(loss, rel=1e-12)


def test_softmax_with_loss_large_scores_are_finite():
    layer = SoftmaxWithLoss()
    loss = layer.forward(np.array([[1010.0, 1000.0, 990.0]]), np.array([0]))
    assert np.isfinite(loss) and np.all(np.isfinite(layer.backward()))


@pytest.mark.parametrize("t, error, words", [
    (np.array([0, -1, 2]), ValueError, "label -1 at position 1"),
    (np.array([0, 1, 4]), ValueError, "whole numbers from 0 to 3"),
    (np.array([0, 1]), ValueError, "t must be one-hot (3, 4) or labels (3,), got shape (2,)"),
])
def test_softmax_with_loss_refuses_bad_targets(rng, t, error, words):
    """A label of -1 would silently pick the last class; the layer says so instead."""
    with pytest.raises(error) as info:
        SoftmaxWithLoss().forward(rng.standard_normal((3, 4)), t)
    assert words in str(info.value)


# --- no layer changes what its caller passed in ------------------------------------------------

def _run(layer, inputs, dout):
    out = layer.forward(*inputs)
    return out, layer.backward(dout)


@pytest.mark.parametrize("case", ["mul", "add", "relu", "sigmoid", "affine", "affine-images",
                                  "softmax-labels", "softmax-one-hot"])
def test_no_layer_mutates_its_arguments(rng, case):
    x = rng.standard_normal((3, 4))
    y = rng.standard_normal((3, 4))
    dout = rng.standard_normal((3, 4))
    W, b = rng.standard_normal((4, 2)), rng.standard_normal(2)
    layer, inputs, d = {
        "mul": (MulLayer(), (x, y), dout),
        "add": (AddLayer(), (x, y), dout),
        "relu": (Relu(), (x,), dout),
        "sigmoid": (Sigmoid(), (x,), dout),
        "affine": (Affine(W, b), (x,), dout[:, :2]),
        "affine-images": (Affine(W, b), (x.reshape(3, 1, 2, 2),), dout[:, :2]),
        "softmax-labels": (SoftmaxWithLoss(), (x, np.array([0, 3, 1])), 1.0),
        "softmax-one-hot": (SoftmaxWithLoss(), (x, np.eye(4)[[0, 3, 1]]), 1.0),
    }[case]
    arrays = list(inputs) + [d, W, b]
    before = [np.array(a, copy=True) for a in arrays]
    _run(layer, inputs, d)
    _run(layer, inputs, d)  # twice: a second backward must not see a changed state either
    for a, a0 in zip(arrays, before):
        np.testing.assert_array_equal(a, a0)


def test_backward_twice_gives_the_same_result(rng):
    x, t = rng.standard_normal((3, 4)), np.array([0, 3, 1])
    for layer, inputs, dout in [(Relu(), (x,), x), (Sigmoid(), (x,), x),
                                (SoftmaxWithLoss(), (x, t), 1.0),
                                (SoftmaxWithLoss(), (x, np.eye(4)[t]), 1.0),
                                (Affine(rng.standard_normal((4, 2)), np.zeros(2)), (x,), x[:, :2])]:
        layer.forward(*inputs)
        first = np.array(layer.backward(dout), copy=True)
        np.testing.assert_array_equal(layer.backward(dout), first)
