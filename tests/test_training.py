"""train(): learning on real MNIST, History bookkeeping, divergence, batching, bad arguments."""
import math
import warnings

import numpy as np
import pytest

from mnist_lib.networks import MultiLayerNet, TwoLayerNet
from mnist_lib.optimizer import SGD, AdaGrad, Adam, Momentum, RMSprop
from mnist_lib.training import DIVERGENCE_FACTOR, History, train


@pytest.fixture
def warnings_as_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


class Recorder:
    """A stand-in network of one weight for inputs of one value: records the batches it is given,
    returns prescribed losses and a gradient of 1 (train calls the computations of a network,
    after checking its data once)."""

    input_size, output_size = 1, 10

    def __init__(self, losses=None):
        self.params = {"w": np.zeros(1)}
        self.batches = []
        self.losses = list(losses) if losses is not None else None

    def _loss(self, x, t, train_flg=False):
        self.batches.append(x[:, 0].astype(int).tolist())
        return 1.0 if self.losses is None else self.losses[len(self.batches) - 1]

    def _backward(self, scale=1.0):
        return {"w": scale * np.ones(1)}

    def _accuracy(self, x, t):
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


def test_one_hot_labels_give_the_same_steps_exactly(small):
    """The fused gradient (y - t) / N is the same with labels and one-hot rows, to the last bit."""
    (x, t), _ = small
    nets = [TwoLayerNet(784, 20, 10, weight_init_std="he", seed=3) for _ in range(2)]
    train(nets[0], (x[:2000], t[:2000]), lr=0.3, iterations=30, seed=5)
    train(nets[1], (x[:2000], np.eye(10, dtype=np.float32)[t[:2000]]), lr=0.3, iterations=30, seed=5)
    for key in nets[0].params:
        np.testing.assert_array_equal(nets[0].params[key], nets[1].params[key])


def test_the_recorded_loss_is_the_batch_loss_before_the_update(small):
    (x, t), _ = small
    x, t = x[:500], t[:500]
    net, untouched = TwoLayerNet(784, 30, 10, seed=0), TwoLayerNet(784, 30, 10, seed=0)
    history = train(net, (x, t), lr=0.5, batch_size=500, iterations=2)  # the whole set, twice
    assert history.loss[0] == pytest.approx(untouched.loss(x, t), rel=1e-6)  # rows in another order
    assert history.loss[1] < history.loss[0]


@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_float32_stays_float32_through_training(small, momentum):
    (x, t), (xt, _) = small
    net = MultiLayerNet(784, [16], 10, seed=0)
    train(net, (x[:2000], t[:2000]), lr=0.05, momentum=momentum, batch_size=50, iterations=20)
    assert all(p.dtype == np.float32 for p in net.params.values())
    assert net.predict(xt[:10]).dtype == np.float32
    assert all(g.dtype == np.float32 for g in net.gradient(x[:10], t[:10]).values())


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
        history = train(MultiLayerNet(784, [30], 10, seed=0), *small, lr=lr, iterations=20)
    assert history.diverged and history.diverged_at <= 3
    assert "learning rate" in history.reason


@pytest.mark.parametrize("lr", [10.0, 50.0])
def test_diverged_run_restores_the_weights(mnist, lr):
    (x, t), _ = mnist
    net = TwoLayerNet(784, 50, 10, weight_init_std="he", seed=0)
    before = {key: p.copy() for key, p in net.params.items()}
    loss_before = net.loss(x[:1000], t[:1000])
    history = train(net, (x[:10000], t[:10000]), lr=lr)
    assert history.diverged and history.diverged_at <= 5
    for key, p in net.params.items():
        np.testing.assert_array_equal(p, before[key], err_msg=key)
    assert net.loss(x[:1000], t[:1000]) == loss_before  # the layers use the restored arrays
    assert history.reason.endswith("the network's weights were restored to what they were "
                                   "before this call")


def test_diverged_call_leaves_a_trained_network_and_its_momentum_as_they_were(small):
    """A learner trains, tries a huge learning rate with momentum, then trains on: no harm done."""
    (x, t), _ = small
    trained, fresh = (TwoLayerNet(784, 30, 10, weight_init_std="he", seed=0) for _ in range(2))
    for net in (trained, fresh):
        train(net, (x, t), lr=0.1, momentum=0.5, iterations=30)
    assert train(trained, (x, t), lr=50.0, momentum=0.9, iterations=30).diverged
    for key in fresh.params:
        np.testing.assert_array_equal(trained.params[key], fresh.params[key], err_msg=key)
    # Training on gives what it gives without the failed call: no velocity carried over.
    a = train(trained, (x, t), lr=0.1, momentum=0.5, iterations=10)
    b = train(fresh, (x, t), lr=0.1, momentum=0.5, iterations=10)
    assert a.loss == b.loss


def test_batch_size_1_noise_is_not_divergence(mnist):
    """Single images give losses from 0 to above 10: one unlucky image is not a blow-up."""
    (x, t), (xt, tt) = mnist
    net = TwoLayerNet(784, 50, 10, weight_init_std="he", seed=0)
    history = train(net, (x[:10000], t[:10000]), (xt, tt), lr=0.01, batch_size=1)
    assert not history.diverged, history.reason
    assert max(history.loss) > DIVERGENCE_FACTOR * history.loss[0]  # spikes that a 1-batch rule stops at
    assert history.test_acc[-1] > 0.88


def test_nan_loss_is_divergence(warnings_as_errors):
    net = Recorder(losses=[2.3, 2.0, float("nan"), 1.0])
    x, t = index_data(8)
    history = train(net, (x, t), batch_size=2, iterations=4)
    assert history.diverged and history.diverged_at == 3
    assert "nan" in history.reason and "learning rate" in history.reason


def test_half_of_the_recent_losses_above_three_times_the_first_is_divergence():
    # Lower median of the window: of [2.3, 2.0, 8.0] it is 2.3; of [2.3, 2.0, 8.0, 9.0, 9.5], 8.0.
    net = Recorder(losses=[2.3, 2.0, 8.0, 9.0, 9.5, 1.0])
    x, t = index_data(12)
    history = train(net, (x, t), batch_size=2, iterations=6)
    assert history.diverged and history.diverged_at == 5
    assert "grew from 2.30 to 8" in history.reason
    assert history.loss == [2.3, 2.0, 8.0, 9.0, 9.5]


def test_a_few_spikes_in_a_window_are_not_divergence():
    # Any 9 losses in a row hold at most 4 far above 3 x 2.5: never half of the window.
    losses = ([2.3] * 5 + [20.0] * 4) * 4
    net = Recorder(losses=losses)
    x, t = index_data(10)
    history = train(net, (x, t), batch_size=1, iterations=len(losses))
    assert not history.diverged, history.reason


def test_noisy_losses_of_a_trained_network_are_not_divergence():
    """Training on from a trained network: batch losses of 0.02 .. 0.2 are noise, not a blow-up."""
    net = Recorder(losses=[0.02, 0.15, 0.07, 0.2, 0.05])
    x, t = index_data(10)
    history = train(net, (x, t), batch_size=2, iterations=5)
    assert not history.diverged, history.reason
    assert len(history.loss) == 5


def test_trained_network_blowing_up_is_divergence():
    # Measured from the floor 2.5 (the first loss 0.05 is smaller): 9.0 > 7.5 from the third on.
    net = Recorder(losses=[0.05, 0.1, 9.0, 9.0, 9.0, 0.1])
    x, t = index_data(12)
    history = train(net, (x, t), batch_size=2, iterations=6)
    assert history.diverged and history.diverged_at == 5
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


# --- bad arguments: refused before any work ---------------------------------------------------

@pytest.mark.parametrize("kwargs, error, message", [
    ({"lr": 0}, ValueError, "lr must be a finite number greater than 0, such as 0.1, got 0"),
    ({"lr": -0.1}, ValueError, "got -0.1"),
    ({"lr": float("nan")}, ValueError, "lr must be a finite number greater than 0.*got nan"),
    ({"lr": float("inf")}, ValueError, "lr must be a finite number greater than 0.*got inf"),
    ({"lr": "0.1"}, TypeError, "lr must be a number"),
    ({"batch_size": 0}, ValueError, "batch_size must be at least 1, got 0"),
    ({"batch_size": 10.0}, TypeError, "batch_size must be a whole number"),
    ({"momentum": 1.0}, ValueError, "momentum must be at least 0 and below 1"),
    ({"momentum": -0.5}, ValueError, "got -0.5"),
    ({"momentum": float("nan")}, ValueError, "momentum.*got nan"),
    ({"sampling": "random"}, ValueError, "random"),
    ({"iterations": 10, "epochs": 1}, ValueError, "not both"),
    ({"iterations": 0}, ValueError, "iterations must be at least 1, got 0"),
    ({"iterations": -5}, ValueError, "iterations must be at least 1, got -5"),
    ({"iterations": 2.5}, TypeError, "iterations must be a whole number"),
    ({"epochs": 0}, ValueError, "epochs must be a finite number greater than 0.*got 0"),
    ({"epochs": -1}, ValueError, "got -1"),
    ({"epochs": float("inf")}, ValueError, "epochs must be a finite number.*got inf"),
    ({"eval_every": 0}, ValueError, "eval_every must be at least 1"),
    ({"callback": 3}, TypeError, "callback must be a function"),
])
def test_bad_arguments(kwargs, error, message):
    net = Recorder()
    x, t = index_data(10)
    with pytest.raises(error, match=message):
        train(net, (x, t), **kwargs)
    assert net.batches == []


def test_not_a_network():
    x, t = index_data(10)
    with pytest.raises(TypeError, match="network must be a network such as TwoLayerNet"):
        train({"W1": np.zeros(3)}, (x, t))


@pytest.mark.parametrize("name", ["train_data", "val_data", "test_data"])
def test_images_that_do_not_fit_the_network_are_refused_before_any_work(name):
    net = TwoLayerNet(784, 10, 10, seed=0)
    before = net.params["W1"].copy()
    good = (np.zeros((4, 784), np.float32), np.arange(4))
    data = {"train_data": good, name: (np.zeros((4, 783), np.float32), np.arange(4))}
    with pytest.raises(ValueError, match=rf"{name}'s images has 783 columns per image but the "
                                         rf"network's first layer expects 784"):
        train(net, data.pop("train_data"), **data)
    np.testing.assert_array_equal(net.params["W1"], before)


def test_labels_beyond_the_networks_classes_are_refused():
    net = TwoLayerNet(784, 10, 3, seed=0)
    with pytest.raises(ValueError, match="train_data's labels must be whole numbers from 0 to 2.*"
                                         "label 3 at position 1"):
        train(net, (np.zeros((3, 784), np.float32), np.array([0, 3, 1])))


@pytest.mark.parametrize("sampling", ["shuffle", "replacement"])
def test_empty_training_set_raises_instead_of_hanging(sampling):
    net = TwoLayerNet(784, 10, 10, seed=0)
    with pytest.raises(ValueError, match=r"train_data's images must have one row per image.*\(0, 784\)"):
        train(net, (np.zeros((0, 784), "f4"), np.zeros(0, int)), sampling=sampling)


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_nan_or_inf_in_the_images_is_a_data_problem_naming_its_row(bad):
    net = Recorder()
    x, t = index_data(10)
    x[7, 0] = bad
    with pytest.raises(ValueError, match="train_data's images holds NaN or inf \\(first in row 7") as err:
        train(net, (x, t))
    assert "learning rate" not in str(err.value) and "problem with the data" in str(err.value)
    assert net.batches == []


@pytest.mark.parametrize("name", ["val_data", "test_data"])
def test_val_and_test_data_are_checked_too(name):
    x, t = index_data(10)
    bad_images = x.copy()
    bad_images[3, 0] = np.nan
    with pytest.raises(ValueError, match=f"{name}'s images holds NaN or inf \\(first in row 3"):
        train(Recorder(), (x, t), **{name: (bad_images, t)})
    bad_labels = t.copy()
    bad_labels[4] = 10
    with pytest.raises(ValueError, match=f"{name}'s labels must be whole numbers.*label 10 at position 4"):
        train(Recorder(), (x, t), **{name: (x, bad_labels)})


def test_labels_out_of_range_are_refused():
    x, t = index_data(10)
    t[2] = -1
    with pytest.raises(ValueError, match="label -1 at position 2"):
        train(Recorder(), (x, t))


def test_mismatched_train_data():
    x, t = index_data(10)
    with pytest.raises(ValueError, match="9 labels for 10 images"):
        train(Recorder(), (x, t[:9]))


def test_mismatched_test_data():
    x, t = index_data(10)
    with pytest.raises(ValueError, match="8 labels for 10 images"):
        train(Recorder(), (x, t), (x, t[:8]))


# --- any optimiser ----------------------------------------------------------------------------------

def test_an_sgd_optimizer_and_lr_give_the_same_run(small):
    (x, t), _ = small
    by_lr, by_optimizer = (TwoLayerNet(784, 20, 10, weight_init_std="he", seed=0) for _ in range(2))
    a = train(by_lr, (x, t), lr=0.3, iterations=40)
    b = train(by_optimizer, (x, t), optimizer=SGD(lr=0.3), iterations=40)
    np.testing.assert_allclose(a.loss, b.loss, rtol=1e-4)  # lr folded into backprop: last bits
    assert b.lr == 0.3


def test_the_momentum_shortcut_is_the_momentum_optimizer(small):
    (x, t), _ = small
    short, full = (TwoLayerNet(784, 20, 10, weight_init_std="he", seed=0) for _ in range(2))
    a = train(short, (x, t), lr=0.05, momentum=0.9, iterations=40)
    b = train(full, (x, t), optimizer=Momentum(lr=0.05, momentum=0.9), iterations=40)
    np.testing.assert_allclose(a.loss, b.loss, rtol=1e-4)


def test_an_optimizer_gets_the_gradient_and_keeps_its_state_between_calls():
    net = Recorder()
    x, t = index_data(4)
    optimizer = Momentum(lr=0.5, momentum=0.9)
    train(net, (x, t), optimizer=optimizer, batch_size=4, iterations=2)
    train(net, (x, t), optimizer=optimizer, batch_size=4, iterations=1)
    v1 = -0.5
    v2 = 0.9 * v1 - 0.5
    v3 = 0.9 * v2 - 0.5  # the third step still has the velocity of the first call
    assert net.params["w"][0] == pytest.approx(v1 + v2 + v3)


@pytest.mark.parametrize("make", [lambda: Adam(lr=0.003), lambda: AdaGrad(lr=0.03),
                                  lambda: RMSprop(lr=0.001), lambda: Momentum(lr=0.02)],
                         ids=["Adam", "AdaGrad", "RMSprop", "Momentum"])
def test_every_optimizer_trains_a_batchnorm_network(small, make):
    (x, t), test = small
    net = MultiLayerNet(784, [50, 50], 10, use_batchnorm=True, seed=0)
    history = train(net, (x, t), test, optimizer=make(), epochs=2)
    assert not history.diverged
    assert history.test_acc[-1] > 0.85, history.test_acc
    assert not np.allclose(net.layers["BatchNorm1"].running_mean, 0)  # it trained in training mode


def test_a_diverged_call_puts_the_optimizers_state_back(small):
    (x, t), _ = small
    net = TwoLayerNet(784, 30, 10, weight_init_std="he", seed=0)
    optimizer = Adam(lr=0.001)
    train(net, (x, t), optimizer=optimizer, iterations=20)
    state = {key: {k: a.copy() for k, a in optimizer.__dict__[key].items()} for key in ("m", "v")}
    optimizer.lr = 1e4
    history = train(net, (x, t), optimizer=optimizer, iterations=50)
    assert history.diverged
    assert optimizer.iter == 20
    for key in ("m", "v"):
        for k, a in state[key].items():
            np.testing.assert_array_equal(getattr(optimizer, key)[k], a)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"optimizer": SGD(0.1), "lr": 0.1}, ValueError, "give the learning rate to the optimizer"),
    ({"optimizer": Adam(), "momentum": 0.9}, ValueError, "momentum=0.9 is a shortcut"),
    ({"optimizer": "adam"}, TypeError, "optimizer must have a method update"),
    ({"optimizer": Adam}, TypeError, r"optimizer must be an optimiser itself, such as Adam\(\)"),
])
def test_bad_optimizer_arguments(kwargs, error, message):
    net = Recorder()
    x, t = index_data(10)
    with pytest.raises(error, match=message):
        train(net, (x, t), **kwargs)
    assert net.batches == []
