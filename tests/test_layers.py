"""Layers: backward against numerical gradients, the book's apple example, shapes, no mutation;
batch normalisation and dropout in training and in use."""
import numpy as np
import pytest

from mnist_lib.gradient import numerical_gradient
from mnist_lib.layers import (Affine, AddLayer, BatchNormalization, Dropout, MulLayer, Relu, Sigmoid,
                              SoftmaxWithLoss)

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


# --- batch normalisation --------------------------------------------------------------------------

def batch_norm_by_hand(x, gamma, beta, eps=BatchNormalization.eps):
    """Each column of x to mean 0 and variance 1 (the population variance, divided by N), then
    scaled and shifted: the paper's Algorithm 1, column by column in plain Python."""
    out = np.empty_like(x, dtype=float)
    n = len(x)
    for j in range(x.shape[1]):
        column = [float(v) for v in x[:, j]]
        mean = sum(column) / n
        var = sum((v - mean) ** 2 for v in column) / n
        out[:, j] = [gamma[j] * (v - mean) / (var + eps) ** 0.5 + beta[j] for v in column]
    return out


def test_batch_norm_training_uses_the_batchs_own_statistics(rng):
    x = rng.normal(3.0, 2.0, (8, 5))
    gamma, beta = rng.standard_normal(5), rng.standard_normal(5)
    out = BatchNormalization(gamma, beta).forward(x, train_flg=True)
    np.testing.assert_allclose(out, batch_norm_by_hand(x, gamma, beta), rtol=1e-12)
    plain = BatchNormalization(np.ones(5), np.zeros(5)).forward(x)
    np.testing.assert_allclose(plain.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(plain.var(axis=0), 1, rtol=1e-5)  # 1 - eps / var


def test_batch_norm_in_use_takes_the_moving_averages(rng):
    layer = BatchNormalization(np.ones(3), np.zeros(3), momentum=0.5)
    batches = [rng.normal(k, 1 + k, (10, 3)) for k in range(3)]
    mean, var = np.zeros(3), np.ones(3)
    for x in batches:
        layer.forward(x, train_flg=True)
        mean = 0.5 * mean + 0.5 * x.mean(axis=0)
        var = 0.5 * var + 0.5 * x.var(axis=0)
    np.testing.assert_allclose(layer.running_mean, mean, rtol=1e-12)
    np.testing.assert_allclose(layer.running_var, var, rtol=1e-12)
    x = rng.standard_normal((4, 3))
    np.testing.assert_allclose(layer.forward(x, train_flg=False),
                               (x - mean) / np.sqrt(var + BatchNormalization.eps), rtol=1e-12)
    # in use, an image's answer does not depend on the rest of its batch
    np.testing.assert_allclose(layer.forward(x[:1], train_flg=False),
                               layer.forward(x, train_flg=False)[:1], rtol=1e-12)
    np.testing.assert_allclose(layer.running_mean, mean, rtol=1e-12)  # use changes nothing


def test_batch_norm_backward_against_numerical_gradients(rng):
    x = rng.normal(1.0, 3.0, (6, 4))
    gamma, beta = rng.standard_normal(4), rng.standard_normal(4)
    dout = rng.standard_normal((6, 4))
    layer = BatchNormalization(gamma, beta)
    layer.forward(x)
    dx = layer.backward(dout)

    def weighted(_):  # d/d(anything) of sum(out * dout) is that thing's gradient
        return float(np.sum(BatchNormalization(gamma, beta).forward(x) * dout))
    numeric = {"x": numerical_gradient(weighted, x), "gamma": numerical_gradient(weighted, gamma),
               "beta": numerical_gradient(weighted, beta)}
    assert_grads_close({"x": dx, "gamma": layer.dgamma, "beta": layer.dbeta}, numeric, tol=1e-8)


def test_batch_norm_keeps_float32_and_the_shape_of_images(rng):
    x = rng.standard_normal((5, 1, 2, 3)).astype(np.float32)
    layer = BatchNormalization(np.ones(6, np.float32), np.zeros(6, np.float32))
    out = layer.forward(x)
    assert out.shape == x.shape and out.dtype == np.float32
    dx = layer.backward(np.ones_like(out))
    assert dx.shape == x.shape and dx.dtype == np.float32
    assert layer.running_mean.dtype == layer.running_var.dtype == np.float32


@pytest.mark.parametrize("args, error, words", [
    ((np.ones(3), np.zeros(4)), ValueError, "gamma and beta of the same shape"),
    ((np.ones((3, 1)), np.zeros(3)), TypeError, "gamma as a 1-D array of floats"),
    (([1.0, 1.0], np.zeros(2)), TypeError, "gamma as a 1-D array"),
    ((np.ones(3), np.zeros(3), 1.0), ValueError, "momentum must be at least 0 and below 1"),
])
def test_batch_norm_refuses_bad_parameters(args, error, words):
    with pytest.raises(error, match=words):
        BatchNormalization(*args)


def test_batch_norm_refuses_a_batch_of_the_wrong_width():
    with pytest.raises(ValueError, match=r"input of shape \(2, 5\) does not fit its 3 features"):
        BatchNormalization(np.ones(3), np.zeros(3)).forward(np.zeros((2, 5)))


# --- dropout ----------------------------------------------------------------------------------------

def test_dropout_drops_its_share_and_keeps_the_rest_unchanged(rng):
    x = rng.uniform(1, 2, (200, 500))  # no zeros: a zero in the output was dropped
    layer = Dropout(0.3, seed=0)
    out = layer.forward(x, train_flg=True)
    dropped = out == 0
    assert abs(dropped.mean() - 0.3) < 0.005  # 100,000 draws: the standard error is 0.0015
    np.testing.assert_array_equal(out[~dropped], x[~dropped])
    dout = rng.standard_normal(x.shape)
    np.testing.assert_array_equal(layer.backward(dout), np.where(dropped, 0, dout))


def test_dropout_draws_a_new_mask_every_pass_and_is_seeded(rng):
    x = np.ones((50, 40))
    a, b = Dropout(0.5, seed=1), Dropout(0.5, seed=1)
    first, second = a.forward(x), a.forward(x)
    assert not np.array_equal(first, second)
    np.testing.assert_array_equal(b.forward(x), first)


def test_dropout_in_use_scales_by_the_share_kept_which_is_the_training_average(rng):
    x = rng.standard_normal((4, 6))
    layer = Dropout(0.2, seed=0)
    np.testing.assert_allclose(layer.forward(x, train_flg=False), 0.8 * x, rtol=1e-15)
    average = np.mean([layer.forward(x, train_flg=True) for _ in range(20_000)], axis=0)
    np.testing.assert_allclose(average, 0.8 * x, atol=0.03)


def test_dropout_keeps_float32():
    x = np.ones((3, 4), np.float32)
    layer = Dropout(0.5, seed=0)
    assert layer.forward(x).dtype == layer.forward(x, False).dtype == np.float32
    assert layer.backward(x).dtype == np.float32


@pytest.mark.parametrize("ratio, error", [(1.0, ValueError), (-0.1, ValueError), ("0.5", TypeError)])
def test_dropout_refuses_a_ratio_outside_0_to_1(ratio, error):
    with pytest.raises(error, match="dropout_ratio must be"):
        Dropout(ratio)


@pytest.mark.parametrize("make", [lambda: BatchNormalization(np.ones(4), np.zeros(4)),
                                  lambda: Dropout(0.5, seed=0)], ids=["batchnorm", "dropout"])
def test_the_new_layers_leave_their_arguments_alone(rng, make):
    x, dout = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    before = x.copy(), dout.copy()
    layer = make()
    layer.forward(x)
    layer.backward(dout)
    np.testing.assert_array_equal(x, before[0])
    np.testing.assert_array_equal(dout, before[1])
