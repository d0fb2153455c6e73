"""The fast paths give the same answers as the slow, obvious ones (correctness only, no timing).

- float32 networks compute the gradients of float64 ones, to float32 precision, and stay float32;
- backprop (fused softmax-with-loss gradient, no input gradient for the first layer) agrees with
  central differences in float64;
- integer labels and one-hot labels give the same gradients and the same training run;
- the loss returned with the gradient is the loss of that batch (it is not computed twice);
- Relu's backward (a product with the mask) gives exactly what np.where gives.

Batching, History and divergence are tested in test_training.py.
"""
from __future__ import annotations

import numpy as np
import pytest

from mnist_lib import Affine, MultiLayerNet, Relu, SoftmaxWithLoss, TwoLayerNet, load_mnist, train


@pytest.fixture(scope="module")
def mnist_small():
    """2000 training and 500 test images (float32) with integer labels."""
    (x, t), (xt, tt) = load_mnist()
    return (x[:2000], t[:2000]), (xt[:500], tt[:500])


def networks(dtype):
    return [TwoLayerNet(784, 30, 10, weight_init_std="he", seed=1, dtype=dtype),
            MultiLayerNet([784, 32, 16, 10], seed=1, dtype=dtype),
            MultiLayerNet([784, 20, 10], activation="sigmoid", weight_init="xavier", seed=1,
                          dtype=dtype)]


def test_float32_gradients_match_float64(mnist_small):
    (x, t), _ = mnist_small
    x32, t_batch = x[:100], t[:100]
    for net32, net64 in zip(networks(np.float32), networks(np.float64)):
        for key in net32.params:  # the same seed draws the same weights, rounded to float32
            np.testing.assert_allclose(net32.params[key], net64.params[key], rtol=1e-6, atol=1e-7)
        loss32, g32 = net32.loss_and_gradient(x32, t_batch)
        loss64, g64 = net64.loss_and_gradient(x32.astype(np.float64), t_batch)
        assert loss32 == pytest.approx(loss64, rel=1e-5)
        for key in g64:
            assert g32[key].dtype == np.float32, key
            scale = np.abs(g64[key]).max()
            np.testing.assert_allclose(g32[key], g64[key], rtol=0, atol=1e-4 * scale + 1e-7,
                                       err_msg=key)


def test_float32_stays_float32_through_training(mnist_small):
    for momentum in (0.0, 0.9):
        net = MultiLayerNet([784, 16, 10], seed=0)
        train(net, *mnist_small, lr=0.05, momentum=momentum, batch_size=50, iterations=20)
        assert all(p.dtype == np.float32 for p in net.params.values())
        assert net.predict(mnist_small[1][0]).dtype == np.float32
        _, grads = net.loss_and_gradient(*[a[:10] for a in mnist_small[0]])
        assert all(g.dtype == np.float32 for g in grads.values())


def test_backprop_matches_numerical_gradient_in_float64():
    rng = np.random.default_rng(0)
    x, t = rng.random((8, 6)), rng.integers(0, 3, size=8)
    for net in (TwoLayerNet(6, 5, 3, weight_init_std=0.5, seed=0, dtype=np.float64),
                MultiLayerNet([6, 5, 4, 3], seed=0, dtype=np.float64),
                MultiLayerNet([6, 4, 3], activation="sigmoid", weight_init="xavier", seed=0,
                              dtype=np.float64)):
        numerical, backprop = net.numerical_gradient(x, t), net.gradient(x, t)
        for key in numerical:
            np.testing.assert_allclose(backprop[key], numerical[key], rtol=1e-5, atol=1e-8,
                                       err_msg=key)


def test_relu_backward_is_np_where_exactly():
    rng = np.random.default_rng(0)
    for dtype in (np.float32, np.float64):
        x = rng.standard_normal((64, 50)).astype(dtype)
        x[0, :5] = 0  # the input 0 counts as not positive
        dout = rng.standard_normal((64, 50)).astype(dtype)
        relu = Relu()
        relu.forward(x)
        dx = relu.backward(dout)
        expected = np.where(x > 0, dout, 0).astype(dtype)
        assert dx.dtype == dtype
        np.testing.assert_array_equal(dx, expected)
        assert not np.signbit(dx[x <= 0]).any()  # 0.0, never -0.0 (it would print as "-0.")
    relu = Relu()
    relu.forward(np.array([[1.0, -0.5], [-2.0, 3.0]]))
    assert str(relu.backward(np.array([[-1.0, -1.0], [-1.0, -1.0]]))) == "[[-1.  0.]\n [ 0. -1.]]"
    np.testing.assert_array_equal(relu.backward(np.array([[4, 5], [6, 7]])), [[4, 0], [0, 7]])


def test_loss_returned_with_gradient_is_the_batch_loss(mnist_small):
    (x, t), _ = mnist_small
    net = TwoLayerNet(784, 30, 10, seed=0)
    loss, _ = net.loss_and_gradient(x[:100], t[:100])
    assert loss == net.loss(x[:100], t[:100])


def test_first_layer_skips_only_the_input_gradient():
    rng = np.random.default_rng(0)
    W, b = rng.standard_normal((6, 4)), rng.standard_normal(4)
    x, dout = rng.standard_normal((5, 6)), rng.standard_normal((5, 4))
    full, first = Affine(W, b), Affine(W, b)
    full.forward(x)
    first.forward(x)
    dx = full.backward(dout)
    assert first.backward(dout, input_grad=False) is None
    np.testing.assert_array_equal(first.dW, full.dW)
    np.testing.assert_array_equal(first.db, full.db)
    np.testing.assert_allclose(dx, dout @ W.T)


def test_labels_and_one_hot_give_the_same_gradient_and_run(mnist_small):
    (x, t), (xt, tt) = mnist_small
    one_hot = np.eye(10, dtype=np.float32)[t]
    scores = np.random.default_rng(0).standard_normal((7, 10)).astype(np.float32)
    a, b = SoftmaxWithLoss(), SoftmaxWithLoss()
    assert a.forward(scores, t[:7]) == pytest.approx(b.forward(scores, one_hot[:7]), rel=1e-5)
    np.testing.assert_array_equal(a.backward(), b.backward())  # the fused (y - t) / N

    nets = [TwoLayerNet(784, 20, 10, weight_init_std="he", seed=3) for _ in range(2)]
    train(nets[0], (x, t), lr=0.3, iterations=30, seed=5)
    train(nets[1], (x, one_hot), lr=0.3, iterations=30, seed=5)
    for key in nets[0].params:
        np.testing.assert_array_equal(nets[0].params[key], nets[1].params[key])
