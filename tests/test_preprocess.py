"""to_mnist: MNIST's own pre-processing, tested on MNIST digits themselves.

An MNIST test digit is already prepared; enlarged, moved to a corner of a bigger canvas (or
resized by a non-integer factor with Pillow), it must come back close to the original and be read
the same way by a trained network.
"""
import numpy as np
import pytest
from PIL import Image

from mnist_lib.preprocess import (BOX, CENTRE, SIZE, bounding_box, centre_of_mass, resample_matrix,
                                  to_mnist)


def test_size_box_and_centre_are_measured_on_mnists_test_digits(mnist):
    """With NumPy alone, on the 10,000 test digits: the ink's larger side is BOX pixels (for all
    but 3 digits: 19 for those), never more, and the centre of mass is at row CENTRE, column
    CENTRE on average."""
    _, (x_test, _) = mnist
    assert x_test.shape[1] == SIZE * SIZE
    digits = x_test.reshape(len(x_test), SIZE, SIZE).astype(np.float64)
    ink_rows, ink_cols = (digits > 0).any(axis=2), (digits > 0).any(axis=1)
    height = SIZE - ink_rows.argmax(axis=1) - ink_rows[:, ::-1].argmax(axis=1)
    width = SIZE - ink_cols.argmax(axis=1) - ink_cols[:, ::-1].argmax(axis=1)
    larger = np.maximum(height, width)
    assert larger.max() == BOX and np.sum(larger != BOX) == 3
    index, total = np.arange(SIZE), digits.sum(axis=(1, 2))
    rows, cols = digits.sum(axis=2) @ index / total, digits.sum(axis=1) @ index / total
    assert rows.mean() == pytest.approx(CENTRE, abs=0.02)
    assert cols.mean() == pytest.approx(CENTRE, abs=0.02)


def test_bounding_box_and_blank():
    image = np.zeros((10, 12))
    image[2, 3] = 0.5
    image[6, 9] = 1.0
    assert bounding_box(image) == (2, 7, 3, 10)
    assert bounding_box(image, threshold=0.7) == (6, 7, 9, 10)
    assert bounding_box(np.zeros((4, 4))) is None


def test_centre_of_mass_weighs_pixels_by_their_ink():
    image = np.zeros((5, 7))
    image[1, 1] = 3.0   # three times the ink of the other pixel
    image[4, 5] = 1.0
    assert centre_of_mass(image) == pytest.approx((1.75, 2.0))
    with pytest.raises(ValueError, match="blank"):
        centre_of_mass(np.zeros((3, 3)))


def test_resample_matrix_averages_areas():
    assert np.allclose(resample_matrix(4, 4, 0.0, 1.0), np.eye(4))
    halves = resample_matrix(2, 4, 0.0, 2.0)
    assert np.allclose(halves, [[0.5, 0.5, 0, 0], [0, 0, 0.5, 0.5]])
    shifted = resample_matrix(1, 3, 0.5, 1.0)   # covers half of pixel 0, half of pixel 1
    assert np.allclose(shifted, [[0.5, 0.5, 0]])


def test_to_mnist_output_and_blank():
    image = np.zeros((50, 40))
    image[10:30, 5:15] = 255
    out = to_mnist(image)
    assert out.shape == (28, 28) and out.dtype == np.float32
    assert out.min() >= 0 and out.max() == pytest.approx(1.0)
    assert np.array_equal(to_mnist(np.zeros((30, 30))), np.zeros((28, 28)))


def test_to_mnist_keeps_the_aspect_ratio_and_centres_the_mass():
    image = np.zeros((300, 300))
    image[40:240, 200:300] = 1.0        # a 200 x 100 block touching the right edge
    out = to_mnist(image)
    # The block's height and width in pixels, edge pixels counting by how much of them it covers.
    assert out.sum(axis=0).max() == pytest.approx(20, abs=1e-4)   # the larger side: 20 pixels
    assert out.sum(axis=1).max() == pytest.approx(10, abs=1e-4)   # the other keeps the 2:1 ratio
    row, col = centre_of_mass(out)
    assert row == pytest.approx(14.0, abs=0.05) and col == pytest.approx(14.0, abs=0.05)


def test_to_mnist_grey_edges_are_anti_aliased():
    image = np.zeros((100, 100))
    image[10:90, 45:52] = 1.0            # 80 x 7: shrunk 4 times, 1.75 pixels wide
    out = to_mnist(image)
    greys = out[(out > 0.05) & (out < 0.95)]
    assert greys.size >= 20              # the edges of the bar are grey, not black or white


def test_mnist_digits_moved_and_enlarged_come_back(mnist, net):
    _, (x_test, _) = mnist
    digits = x_test[:200].reshape(-1, 28, 28)
    restored = []
    for k, digit in enumerate(digits):
        canvas = np.zeros((160, 210))
        top, left = (0, 0) if k % 2 else (70, 120)       # a corner of the canvas
        canvas[top:top + 84, left:left + 84] = np.kron(digit, np.ones((3, 3)))
        restored.append(to_mnist(canvas))
    restored = np.array(restored)
    # Re-centring moves a digit by a fraction of a pixel (MNIST itself is centred to about
    # 0.3 pixels), which changes grey edges but not the digit.
    assert np.abs(restored - digits).mean() < 0.04
    assert np.mean([np.corrcoef(a.ravel(), b.ravel())[0, 1] for a, b in zip(restored, digits)]) > 0.9
    before = net.predict(digits.reshape(-1, 784)).argmax(axis=1)
    after = net.predict(restored.reshape(-1, 784)).argmax(axis=1)
    assert np.mean(before == after) >= 0.98


def test_mnist_digits_resized_by_pillow_are_read_the_same(mnist, net):
    _, (x_test, _) = mnist
    digits = x_test[200:300].reshape(-1, 28, 28)
    resized = []
    for digit in digits:
        picture = Image.fromarray(np.round(255 * digit).astype(np.uint8))
        big = np.asarray(picture.resize((47, 61), Image.BILINEAR), dtype=float)  # 1.7 x 2.2
        canvas = np.zeros((100, 100))
        canvas[30:91, 45:92] = big
        resized.append(to_mnist(canvas))
    resized = np.array(resized)
    before = net.predict(digits.reshape(-1, 784)).argmax(axis=1)
    after = net.predict(resized.reshape(-1, 784)).argmax(axis=1)
    # The stretch changes the aspect ratio, so the digits are only near their originals.
    assert np.mean(before == after) >= 0.9


def test_to_mnist_says_what_is_wrong():
    with pytest.raises(TypeError, match="NumPy array"):
        to_mnist([[0, 1], [1, 0]])
    with pytest.raises(ValueError, match=r"reshape\(28, 28\)"):
        to_mnist(np.zeros(784))
    with pytest.raises(ValueError, match=">= 0"):
        to_mnist(-np.ones((5, 5)))
    with pytest.raises(ValueError, match="NaN"):
        to_mnist(np.full((5, 5), np.nan))
    with pytest.raises(ValueError, match="threshold"):
        to_mnist(np.ones((5, 5)), threshold=1.5)
