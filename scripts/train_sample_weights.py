"""Train the 784-50-100-10 sigmoid network whose weights ship as mnist_lib/weights/sample_weights.npz.

Re-run from the project root with `python scripts/train_sample_weights.py`: the same seed gives the
same network (up to the last bits of BLAS arithmetic), and the script prints its test accuracy.
"""
from pathlib import Path

import numpy as np

from mnist_lib import MultiLayerNet, load_mnist, train
from mnist_lib.networks import SAMPLE_WEIGHTS_PATH, load_sample_weights, predict


def main() -> None:
    (x_train, t_train), (x_test, t_test) = load_mnist()
    net = MultiLayerNet(784, [50, 100], 10, activation="sigmoid", weight_init_std="xavier", seed=2024)
    history = train(net, (x_train, t_train), (x_test, t_test), lr=0.5, batch_size=100, epochs=12,
                    seed=2024, progress=True)
    print("test accuracy per epoch:", [round(a, 4) for a in history.test_acc])
    Path(SAMPLE_WEIGHTS_PATH).parent.mkdir(parents=True, exist_ok=True)
    np.savez(SAMPLE_WEIGHTS_PATH, **{k: v.astype(np.float32) for k, v in net.params.items()})
    weights = load_sample_weights()
    accuracy = np.mean(predict(weights, x_test).argmax(axis=1) == t_test)
    print(f"saved {SAMPLE_WEIGHTS_PATH}: test accuracy {accuracy:.4f}")


if __name__ == "__main__":
    main()
