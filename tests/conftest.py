"""Fixtures shared by the unit tests (the project-wide set-up is in the root conftest.py).

MNIST is loaded once per test run, as a learner loads it (``load_mnist()`` with the user's cache,
the one the notebooks use); the tests of the cache itself make their own caches in temporary
folders. Tests take slices of these arrays and never write into them.
"""
import pytest

from mnist_lib import TwoLayerNet, load_mnist, train


@pytest.fixture(scope="session")
def mnist():
    """``((x_train, t_train), (x_test, t_test))``, loaded once per test run."""
    return load_mnist()


@pytest.fixture(scope="session")
def small(mnist):
    """The first 5000 training images and 1000 test images: ``((x, t), (x_test, t_test))``."""
    (x, t), (xt, tt) = mnist
    return (x[:5000], t[:5000]), (xt[:1000], tt[:1000])


@pytest.fixture(scope="session")
def net(mnist):
    """A TwoLayerNet 784-50-10 trained for 2 epochs on 20,000 MNIST images (seeded)."""
    (x_train, t_train), _ = mnist
    network = TwoLayerNet(784, 50, 10, weight_init_std="he", seed=0)
    train(network, (x_train[:20000], t_train[:20000]), lr=0.5, epochs=2, eval_every=10**9)
    return network
