"""Turn any picture of one digit into the 28x28 input an MNIST network expects.

MNIST's digits were made from scanned handwriting in three steps (LeCun, Cortes and Burges, "The
MNIST database of handwritten digits"): each digit was scaled to fit a 20x20 box, keeping its
aspect ratio; the scaling blended edge pixels into grey levels (anti-aliasing); and the result was
placed in a 28x28 field so that its centre of mass sits at the centre. A network trained on MNIST
has only ever seen digits prepared like that, so a drawing must be prepared the same way:
:func:`to_mnist` does it.

In MNIST's pixel coordinates the centre of mass of the test digits is at row 14.0, column 14.0 on
average (pixel indices; a pixel's centre is at its index), and the larger side of the pixels with
any ink is 20 pixels for all but 3 of the 10,000 test digits (19 pixels for those 3): :data:`BOX`
and :data:`CENTRE` are those numbers.
"""
from __future__ import annotations

import numpy as np

from . import validate

__all__ = ["BOX", "SIZE", "CENTRE", "to_mnist", "bounding_box", "centre_of_mass", "resample_matrix"]

SIZE = 28       #: MNIST images are SIZE x SIZE pixels
BOX = 20        #: the larger side of a digit's ink, in MNIST pixels
CENTRE = 14.0   #: where the centre of mass goes (row and column, in pixel indices)


def bounding_box(image: np.ndarray, threshold: float = 0.0) -> tuple[int, int, int, int] | None:
    """The smallest rectangle holding every pixel whose ink is above ``threshold``.

    Args:
        image: ``(H, W)``, 0 where there is no ink.
        threshold: pixels with ``image > threshold`` count as ink.

    Returns:
        ``(top, bottom, left, right)`` as slice bounds: the ink is ``image[top:bottom, left:right]``;
        None when there is no ink at all.
    """
    return _bounding_box(validate.ink_image(image), threshold)


def _bounding_box(image: np.ndarray, threshold: float) -> tuple[int, int, int, int] | None:
    ink = image > threshold
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if rows.size == 0:
        return None
    return int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1


def centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    """``(row, column)`` of the ink's centre of mass, in pixel indices, each pixel weighted by its ink.

    ``row = sum(r * image[r, c]) / sum(image)``, and the same for the column. ``image``: ``(H, W)``
    with some ink (a blank image has no centre of mass: ValueError).
    """
    image = validate.ink_image(image)
    if not image.any():
        raise ValueError("image is blank (all zeros): it has no centre of mass")
    return _centre_of_mass(image)


def _centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    total = image.sum()
    rows, cols = np.arange(image.shape[0]), np.arange(image.shape[1])
    return float(image.sum(axis=1) @ rows / total), float(image.sum(axis=0) @ cols / total)


def resample_matrix(n_out: int, n_in: int, start: float, step: float) -> np.ndarray:
    """Area-averaging weights ``(n_out, n_in)`` along one axis.

    Output pixel ``i`` covers the interval ``[start + i * step, start + (i + 1) * step)`` of input
    coordinates, where input pixel ``j`` covers ``[j, j + 1)``; its value is the average of the
    input over that interval (the overlap lengths divided by ``step``). Parts outside the input
    count as 0. ``A @ image @ B.T`` resamples a 2-D image with one matrix per axis; averaging is
    what makes the grey edge pixels (anti-aliasing).
    """
    lo = start + step * np.arange(n_out)[:, None]             # (n_out, 1)
    j = np.arange(n_in)[None, :]                              # (1, n_in)
    overlap = np.clip(np.minimum(lo + step, j + 1) - np.maximum(lo, j), 0.0, None)
    return overlap / step


def to_mnist(image: np.ndarray, threshold: float = 0.0) -> np.ndarray:
    """Prepare a picture of one digit the way MNIST's digits were prepared: ``(H, W)`` to ``(28, 28)``.

    1. Crop to the ink's bounding box (pixels above ``threshold`` times the brightest pixel).
    2. Scale it so that its larger side is 20 pixels, keeping the aspect ratio; every new pixel is
       the average of the area it covers, so edges become grey (anti-aliasing).
    3. Place it in a 28x28 field with its centre of mass at the centre, row 14, column 14 (to a
       fraction of a pixel: steps 2 and 3 are one resampling).
    4. Scale the grey levels so that the brightest pixel is 1, as in MNIST.

    Args:
        image: ``(H, W)`` ink intensities, any size and any scale (0 to 1, 0 to 255): **light digit
            on a dark background**, 0 where there is no ink, like MNIST. A dark-on-light picture
            (a scan, a photo) must be inverted first, e.g. ``255 - photo``.
        threshold: ink fainter than this fraction of the brightest pixel is left out of the bounding
            box (0: any ink counts, as for MNIST; a little more ignores faint smudges).

    Returns:
        ``(28, 28)`` float32 in [0, 1]; all zeros for a blank image. ``.reshape(784)`` gives a
        network's input row.
    """
    image = validate.ink_image(image)
    validate.ink_threshold(threshold)
    if image.max() == 0:
        return np.zeros((SIZE, SIZE), dtype=np.float32)
    image = image / image.max()
    top, bottom, left, right = _bounding_box(image, threshold)
    ink = image[top:bottom, left:right]
    step = max(bottom - top, right - left) / BOX          # input pixels per MNIST pixel
    # Centre of mass of the cropped ink in continuous coordinates (pixel j covers [j, j + 1)).
    row, col = (c + 0.5 for c in _centre_of_mass(ink))
    # Output pixel i covers [i, i + 1); its centre i + 0.5 must map CENTRE + 0.5 to (row, col).
    rows = resample_matrix(SIZE, ink.shape[0], row - (CENTRE + 0.5) * step, step)
    cols = resample_matrix(SIZE, ink.shape[1], col - (CENTRE + 0.5) * step, step)
    out = rows @ ink @ cols.T
    return (out / out.max()).astype(np.float32)
