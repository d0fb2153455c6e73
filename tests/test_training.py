"""train(): learning on real MNIST, History bookkeeping, divergence, batching, bad arguments."""
import math
import shutil
import warnings

import numpy as np
import pytest

from mnist_lib.data import load_mnist
from mnist_lib.networks import MultiLayerNet, TwoLayerNet
from mnist_lib.training import History, train


@pytest.fixture(scope="session")
def mnist(tmp_path_factory):
    """MNIST loaded once, with the cache in the test run's temporary folder."""
    cache = tmp_path_factory.getbasetemp() / "mnist_cache"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MNIST_LIB_CACHE", str(cache))
        arrays = load_mnist()
    yield arrays
    shutil.rmtree(cache, ignore_errors=True)


@pytest.fixture(scope="session")
def small(mnist):
    """5000 training images and 1000 test images."""
    (x, t), (xt, tt) = mnist
    return (x[:5000], t[:5000]), (xt[:1000], tt[:1000])


@pytest.fixture
def warnings_as_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


class Recorder:
    """A stand-in network: records the batches it is given and returns prescribed losses."""

    def __init__(self, losses=None):
        self.params = {"w": np.zeros(1)}
        self.batches = []
        self.losses = list(losses) if losses is not None else None
        self.accuracy_calls = 0

    def loss_and_gradient(self, x, t, scale=1.0):
        self.batches.append(x[:, 0].astype(int).tolist())
        loss = 1.0 if self.losses is None else self.losses[len(self.batches) - 1]
        return loss, {"w": scale * np.ones(1)}  # a gradient of 1, times scale

    def accuracy(self, x, t):
        self.accuracy_calls += 1
        return 0.5


def index_data(n):
    """x holds each sample's own index, so a Recorder sees which samples each batch held."""
    return np.arange(n, dtype=float).reshape(n, 1), np.zeros(n, dtype=int)


# --- learning on MNIST -------------------------------------------------------------------------

def test_two_layer_net_passes_90_percent_in_5_epochs_of_5000_images(mnist):
    (x, t), test = mnist
    net = TwoLayerNet(784, 50, 10, weight_init_std="he", seed=0)
    history = train(net, (x[:5000], t[:5000]), test, lr=0.5, batch_size=100, epochs=5)
    assert history.test_acc[-1] >= 0.90, f"test accuracy per epoch: {history.test_acc}"
    assert not history.diverged
    assert np.mean(history.loss[-10:]) < 0.5 * np.mean(history.loss[:10])


def test_history_fields_are_consistent(small):
    net = TwoLayerNet(784, 20, 10, weight_init_std="he", seed=0)
    history = train(net, *small, lr=0.1, batch_size=500, iterations=25)
    # 5000 samples / 500 per batch = 10 iterations per epoch: evaluations at 10, 20 and the end (25).
    assert isinstance(history, History)
    assert len(history.loss) == 25
    assert all(isinstance(v, float) and math.isfinite(v) for v in history.loss)
    assert history.iterations_per_epoch == 10
    assert history.eval_iterations == [10, 20, 25]
    assert history.epochs == pytest.approx([1.0, 2.0, 2.5])
    assert len(history.train_acc) == len(history.test_acc) == 3
    assert all(0 <= a <= 1 for a in history.train_acc + history.test_acc)
    assert (history.lr, history.batch_size) == (0.1, 500)
    assert (history.diverged, history.diverged_at, history.reason) == (False, None, None)
    assert history.seconds > 0


def test_accuracies_are_the_networks_after_the_last_update(small):
    (x, t), (xt, tt) = small
    net = TwoLayerNet(784, 20, 10, weight_init_std="he", seed=0)
    history = train(net, (x, t), (xt, tt), lr=0.1, batch_size=500, iterations=3)
    assert history.train_acc[-1] == net.accuracy(x, t)
    assert history.test_acc[-1] == net.accuracy(xt, tt)


def test_val_data_is_measured_at_each_evaluation_like_test_data(small):
    (x, t), (xt, tt) = small
    val = (x[4000:], t[4000:])
    net = TwoLayerNet(784, 20, 10, weight_init_std="he", seed=0)
    history = train(net, (x[:4000], t[:4000]), (xt, tt), val_data=val, lr=0.1, batch_size=500,
                    iterations=12)
    # 4000 / 500 = 8 iterations per epoch: evaluations at 8 and at the end (12).
    assert history.eval_iterations == [8, 12]
    assert len(history.val_acc) == len(history.test_acc) == 2
    assert history.val_acc[-1] == net.accuracy(*val)
    assert history.test_acc[-1] == net.accuracy(xt, tt)


def test_val_data_without_test_data_leaves_test_acc_empty(small):
    (x, t), _ = small
    history = train(TwoLayerNet(784, 20, 10, seed=0), (x[:4000], t[:4000]),
                    val_data=(x[4000:], t[4000:]), batch_size=500, iterations=8)
    assert len(history.val_acc) == 1 and history.test_acc == []


def test_one_hot_labels(small):
    (x, t), (xt, tt) = small
    x, t = x[:1000], t[:1000]
    args = dict(lr=0.1, batch_size=100, iterations=15, seed=3)
    h_labels = train(TwoLayerNet(784, 20, 10, seed=0), (x, t), (xt, tt), **args)
    h_one_hot = train(TwoLayerNet(784, 20, 10, seed=0), (x, np.eye(10, dtype=np.float32)[t]),
                      (xt, np.eye(10, dtype=np.float32)[tt]), **args)
    np.testing.assert_allclose(h_one_hot.loss, h_labels.loss, rtol=1e-5)
    assert h_one_hot.test_acc == h_labels.test_acc


def test_same_seed_same_batches():
    def batches(seed, sampling):
        net = Recorder()
        train(net, index_data(20), batch_size=4, iterations=10, seed=seed, sampling=sampling)
        return net.batches
    for sampling in ("shuffle", "replacement"):
        assert batches(1, sampling) == batches(1, sampling)
        assert batches(1, sampling) != batches(2, sampling)


def test_default_is_one_epoch_without_test_data(small):
    x, t = small[0]
    history = train(TwoLayerNet(784, 20, 10, seed=0), (x[:1000], t[:1000]), batch_size=100)
    assert len(history.loss) == 10
    assert history.eval_iterations == [10]
    assert len(history.train_acc) == 1 and history.test_acc == []


def test_eval_every(small):
    history = train(TwoLayerNet(784, 20, 10, seed=0), *small, iterations=10, eval_every=3)
    assert history.eval_iterations == [3, 6, 9, 10]


def test_momentum_learns_faster_at_a_small_learning_rate(small):
    def final_loss(momentum):
        net = TwoLayerNet(784, 50, 10, weight_init_std="he", seed=0)
        history = train(net, *small, lr=0.01, iterations=60, momentum=momentum)
        assert not history.diverged
        return np.mean(history.loss[-10:])
    plain, heavy = final_loss(0.0), final_loss(0.9)
    assert heavy < 0.8 * plain, f"mean loss of the last 10 batches: plain {plain:.3f}, momentum {heavy:.3f}"


def test_momentum_update_rule():
    """v = momentum * v - lr * grad; p += v, with a constant gradient of 1."""
    net = Recorder()
    x, t = index_data(4)
    train(net, (x, t), lr=0.5, batch_size=4, iterations=3, momentum=0.9)
    v1 = -0.5
    v2 = 0.9 * v1 - 0.5
    v3 = 0.9 * v2 - 0.5
    assert net.params["w"][0] == pytest.approx(v1 + v2 + v3)


def test_plain_sgd_update_rule():
    net = Recorder()
    x, t = index_data(4)
    train(net, (x, t), lr=0.25, batch_size=4, iterations=3)
    assert net.params["w"][0] == pytest.approx(-0.75)


def test_sampling_replacement_learns(small):
    net = TwoLayerNet(784, 50, 10, weight_init_std="he", seed=0)
    history = train(net, *small, lr=0.5, epochs=2, sampling="replacement")
    assert not history.diverged
    assert len(history.loss) == 100
    assert history.test_acc[-1] > 0.8


# --- batching ----------------------------------------------------------------------------------

def test_shuffle_visits_every_sample_once_per_epoch():
    net = Recorder()
    x, t = index_data(23)
    train(net, (x, t), batch_size=5, epochs=3, seed=0)
    assert [len(b) for b in net.batches] == [5, 5, 5, 5, 3] * 3
    epochs = [sum(net.batches[i:i + 5], []) for i in (0, 5, 10)]
    for order in epochs:
        assert sorted(order) == list(range(23))
    assert epochs[0] != epochs[1], "each epoch should have its own order"


def test_replacement_draws_full_batches_with_repeats():
    net = Recorder()
    x, t = index_data(23)
    train(net, (x, t), batch_size=5, iterations=40, sampling="replacement", seed=0)
    assert all(len(b) == 5 for b in net.batches)
    drawn = sum(net.batches, [])
    assert set(drawn) <= set(range(23))
    assert len(set(drawn)) < len(drawn)


def test_callback_is_called_after_every_iteration():
    net = Recorder()
    x, t = index_data(10)
    seen = []
    train(net, (x, t), batch_size=2, iterations=7, callback=lambda h: seen.append(len(h.loss)))
    assert seen == list(range(1, 8))


# --- divergence --------------------------------------------------------------------------------

def test_large_learning_rate_diverges_without_warnings(small, warnings_as_errors):
    net = TwoLayerNet(784, 50, 10, weight_init_std="he", seed=0)
    history = train(net, *small, lr=10.0, epochs=2)
    assert history.diverged
    assert isinstance(history.diverged_at, int) and 1 < history.diverged_at < 100
    assert len(history.loss) == history.diverged_at
    assert "learning rate" in history.reason and "10" in history.reason
    assert str(history.diverged_at) in history.reason


@pytest.mark.parametrize("lr", [1e3, 1e30])
def test_huge_learning_rates_diverge_without_warnings(small, warnings_as_errors, lr):
    with np.errstate(all="warn"):
        history = train(MultiLayerNet([784, 30, 10], seed=0), *small, lr=lr, iterations=20)
    assert history.diverged and history.diverged_at == 2
    assert "learning rate" in history.reason


def test_nan_loss_is_divergence(warnings_as_errors):
    net = Recorder(losses=[2.3, 2.0, float("nan"), 1.0])
    x, t = index_data(8)
    history = train(net, (x, t), batch_size=2, iterations=4)
    assert history.diverged and history.diverged_at == 3
    assert "nan" in history.reason and "learning rate" in history.reason


def test_loss_three_times_the_first_is_divergence():
    net = Recorder(losses=[2.3, 2.0, 6.8, 7.0, 1.0])
    x, t = index_data(10)
    history = train(net, (x, t), batch_size=2, iterations=5)
    assert history.diverged and history.diverged_at == 4
    assert history.loss == [2.3, 2.0, 6.8, 7.0]


def test_noisy_losses_of_a_trained_network_are_not_divergence():
    """Training on from a trained network: batch losses of 0.02 .. 0.2 are noise, not a blow-up."""
    net = Recorder(losses=[0.02, 0.15, 0.07, 0.2, 0.05])
    x, t = index_data(10)
    history = train(net, (x, t), batch_size=2, iterations=5)
    assert not history.diverged, history.reason
    assert len(history.loss) == 5


def test_trained_network_blowing_up_is_divergence():
    net = Recorder(losses=[0.05, 0.1, 9.0, 0.1])
    x, t = index_data(8)
    history = train(net, (x, t), batch_size=2, iterations=4)
    assert history.diverged and history.diverged_at == 3
    assert "grew from 0.05 to 9" in history.reason


def test_eval_seconds_is_the_evaluation_part_of_seconds(small):
    history = train(TwoLayerNet(784, 30, 10, seed=0), *small, iterations=40, eval_every=10)
    assert history.eval_iterations == [10, 20, 30, 40]
    assert 0 < history.eval_seconds < history.seconds


# --- progress bar ------------------------------------------------------------------------------

def test_progress_bar_outside_a_notebook(capsys):
    net = Recorder()
    x, t = index_data(10)
    history = train(net, (x, t), batch_size=2, iterations=5, progress=True)
    assert len(history.loss) == 5
    err = capsys.readouterr().err
    assert "training (lr=0.1)" in err and "5/5" in err


def test_progress_bar_marks_divergence(capsys):
    net = Recorder(losses=[2.0, float("inf")])
    x, t = index_data(10)
    history = train(net, (x, t), batch_size=2, iterations=5, progress=True)
    assert history.diverged
    assert "diverged" in capsys.readouterr().err


# --- bad arguments -----------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, message", [
    ({"lr": 0}, "lr > 0"),
    ({"lr": -0.1}, "lr=-0.1"),
    ({"batch_size": 0}, "batch_size"),
    ({"momentum": 1.0}, "momentum"),
    ({"sampling": "random"}, "random"),
    ({"iterations": 10, "epochs": 1}, "not both"),
    ({"iterations": 0}, "iterations=0"),
    ({"iterations": -5}, "iterations=-5"),
    ({"epochs": 0}, "epochs=0"),
    ({"epochs": -1}, "epochs=-1"),
])
def test_bad_arguments(kwargs, message):
    x, t = index_data(10)
    with pytest.raises(ValueError, match=message):
        train(Recorder(), (x, t), **kwargs)


def test_mismatched_train_data():
    x, t = index_data(10)
    with pytest.raises(ValueError, match="10 images but 9 labels"):
        train(Recorder(), (x, t[:9]))


def test_mismatched_test_data():
    x, t = index_data(10)
    with pytest.raises(ValueError, match="10 images but 8 labels"):
        train(Recorder(), (x, t), (x, t[:8]))
