"""MNIST, shipped inside the package and loaded offline: :func:`load_mnist`, with the book's signature.

MNIST is 70,000 handwritten digits, 28x28 grey pixels each, with their labels 0-9: 60,000 for
training and 10,000 for testing. The four canonical files (IDX format, gzip-compressed) live in
``mnist_lib/datasets/mnist/``. An IDX file is a short header (a magic number saying what it holds,
then the number of items and, for images, rows and columns, as big-endian 32-bit integers)
followed by one byte per pixel or label.

The first load checks the files' SHA-256, parses them and keeps the decoded arrays in a cache
(:mod:`mnist_lib._cache`): later loads take a fraction of a second, every notebook on a machine
shares one copy of the pixels, and a learner who writes into ``x_train`` changes only their own
copy. A problem with a data file raises :class:`DataError` naming the file, what is wrong and how
to fix it; a problem with the cache never raises (the cache is rebuilt, or the arrays are kept in
memory).
"""
from __future__ import annotations

import gzip
import hashlib
import os
import struct
import zlib
from pathlib import Path

import numpy as np

from . import _cache, validate

__all__ = ["DataError", "load_mnist", "standardize", "split_validation", "PACKAGE_DATA_DIR", "FILES", "SHA256"]

_PACKAGE_DIR = Path(__file__).resolve().parent
PACKAGE_DATA_DIR = _PACKAGE_DIR / "datasets" / "mnist"

#: The four file names, keyed by what they hold.
FILES = {
    "train_images": "train-images-idx3-ubyte.gz",
    "train_labels": "train-labels-idx1-ubyte.gz",
    "test_images": "t10k-images-idx3-ubyte.gz",
    "test_labels": "t10k-labels-idx1-ubyte.gz",
}

#: SHA-256 of the shipped ``.gz`` files, exactly as they lie in the package.
SHA256 = {
    "train-images-idx3-ubyte.gz": "0b367032e93c5d0cea0925647cfdb18614af8ee15f83e6f2fc2ad904a6835971",
    "train-labels-idx1-ubyte.gz": "1787548bbe0bff1ec2ecdc0ef292b02df999e2d1a6002d27500982c652b17203",
    "t10k-images-idx3-ubyte.gz": "1a1a05eab793c14bb050b398624a11b0ffd1a2953baed553b1b9bd079e2a20be",
    "t10k-labels-idx1-ubyte.gz": "b91679a0acfe4ba0e50a2437a903084cba1f5f92592b016a25a7dfd00455798b",
}

_IMAGE_MAGIC, _LABEL_MAGIC = 2051, 2049
_ROWS = _COLS = 28
_CUSTOM_FIX = ("Replace it with an intact copy of the file (the four IDX files, gzip-compressed, "
               "named as in MNIST).")


class DataError(Exception):
    """A data file is missing, truncated, corrupt or malformed. The message names the file."""


# --- the shipped files and how to repair them -----------------------------------------------------

def _is_git_checkout(package_dir: Path) -> bool:
    """True when the package folder sits at the top of a git work tree (a clone of the project),
    False when it was installed (a wheel in ``site-packages``)."""
    return (package_dir.parent / ".git").exists()


def _shipped_fix() -> str:
    """How to restore the shipped data files, for the way this package was installed."""
    if _is_git_checkout(_PACKAGE_DIR):
        return (f"Restore the shipped copy: in {_PACKAGE_DIR.parent} (the project folder), run "
                f"`git checkout -- {_PACKAGE_DIR.name}/datasets/mnist`.")
    return ("Reinstall the package to restore the shipped copy: `pip install --force-reinstall "
            "mnist_lib`, or `pip install -e .` again in the project folder if you installed it from there.")


def _read_gz(path: Path, fix: str, shipped: bool) -> bytes:
    """Read one ``.gz`` file, check its SHA-256 when it is the shipped copy, and decompress it."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{path}: file not found. {fix}") from None
    except OSError as err:
        raise DataError(f"{path}: cannot be read ({err.strerror}). {fix}") from None
    if shipped:
        digest = hashlib.sha256(raw).hexdigest()
        if digest != SHA256[path.name]:
            raise DataError(f"{path}: SHA-256 is {digest[:12]}..., expected {SHA256[path.name][:12]}...; "
                            f"the file was changed or damaged. {fix}")
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as err:
        raise DataError(f"{path}: not a valid gzip file ({err}); it is truncated or corrupt. {fix}") from None


def _parse_idx(data: bytes, path: Path, images: bool, fix: str) -> np.ndarray:
    """Parse an IDX image file to (N, 28, 28) uint8, or a label file to (N,) uint8, N >= 1."""
    magic, header = (_IMAGE_MAGIC, 16) if images else (_LABEL_MAGIC, 8)
    kind = "image" if images else "label"
    if len(data) < header:
        raise DataError(f"{path}: only {len(data)} bytes, too short for an IDX {kind} header "
                        f"({header} bytes); the file is truncated. {fix}")
    found, count = struct.unpack(">II", data[:8])
    if found != magic:
        raise DataError(f"{path}: magic number {found}, expected {magic} (an IDX {kind} file); "
                        f"this is not an MNIST {kind} file. {fix}")
    shape: tuple[int, ...] = (count,)
    if images:
        rows, cols = struct.unpack(">II", data[8:16])
        if (rows, cols) != (_ROWS, _COLS):
            raise DataError(f"{path}: images are {rows}x{cols}, expected {_ROWS}x{_COLS}. {fix}")
        shape = (count, rows, cols)
    if count == 0:
        raise DataError(f"{path}: the file holds 0 {kind}s; a data set needs at least one. {fix}")
    expected = header + int(np.prod(shape))
    if len(data) != expected:
        raise DataError(f"{path}: {len(data)} bytes after decompression, but the header announces "
                        f"{count} {kind}s ({expected} bytes); the file is truncated or padded. {fix}")
    array = np.frombuffer(data, dtype=np.uint8, offset=header).reshape(shape)
    if not images and array.max() > 9:
        raise DataError(f"{path}: label {int(array.max())} found, labels must be 0-9. {fix}")
    return array


def _decode(data_dir: Path, shipped: bool) -> dict[str, np.ndarray]:
    """The four files as uint8 arrays, keyed like :data:`FILES`: images (N, 28, 28), labels (N,)."""
    fix = _shipped_fix() if shipped else _CUSTOM_FIX
    if not data_dir.is_dir():
        raise DataError(f"{data_dir}: folder not found; data_dir must be a folder holding the four "
                        f"files {', '.join(FILES.values())}. {fix}")
    arrays = {}
    for key, name in FILES.items():
        path = data_dir / name
        arrays[key] = _parse_idx(_read_gz(path, fix, shipped), path, key.endswith("images"), fix)
    for split in ("train", "test"):
        n_img, n_lab = len(arrays[f"{split}_images"]), len(arrays[f"{split}_labels"])
        if n_img != n_lab:
            raise DataError(f"{data_dir / FILES[f'{split}_images']} holds {n_img} images but "
                            f"{data_dir / FILES[f'{split}_labels']} holds {n_lab} labels; "
                            f"the two files must come from the same release. {fix}")
    return arrays


# --- the decoded arrays, cached ------------------------------------------------------------------

#: The arrays cached for each split: kind -> (dtype, shape of one item). A change here needs a new
#: ``_cache.FORMAT``, so that no cache of the old arrays is read.
_CACHED = {
    "images-f32": (np.dtype(np.float32), (_ROWS * _COLS,)),  # pixels / 255, what load_mnist() returns
    "images-u8": (np.dtype(np.uint8), (_ROWS * _COLS,)),     # raw pixels, for normalize=False
    "labels": (np.dtype(np.int64), ()),
}


def _cached_arrays(decoded: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Everything the cache holds, keyed ``"<split>-<kind>"`` (kinds as in ``_CACHED``):
    images (N, 784) as float32 in [0, 1] and as uint8, labels (N,) int64. All writable."""
    arrays = {}
    for split in ("train", "test"):
        pixels = decoded[f"{split}_images"].reshape(-1, _ROWS * _COLS)
        arrays[f"{split}-images-f32"] = np.divide(pixels, np.float32(255), dtype=np.float32)
        arrays[f"{split}-images-u8"] = pixels.copy()
        arrays[f"{split}-labels"] = decoded[f"{split}_labels"].astype(np.int64)
    return arrays


def _load_arrays(data_dir: Path, shipped: bool, kinds: tuple[str, ...]) -> dict[str, np.ndarray]:
    """The arrays of ``kinds`` for both splits, keyed ``"<split>-<kind>"``: from the cache, or
    decoded from the data files. The shipped files are known by their SHA-256, the files of
    another folder by its path and their sizes and times."""
    identity = ("".join(SHA256[name] for name in FILES.values()) if shipped
                else _cache.folder_identity(data_dir, FILES.values()))
    keys = [f"{split}-{kind}" for split in ("train", "test") for kind in kinds]
    return _cache.load(identity, keys, _CACHED, lambda: _cached_arrays(_decode(data_dir, shipped)))


# --- the public functions -------------------------------------------------------------------------

def load_mnist(normalize: bool = True, flatten: bool = True, one_hot_label: bool = False,
               data_dir: str | os.PathLike | None = None):
    """Load MNIST as ``(x_train, t_train), (x_test, t_test)``, with the book's signature.

    Args:
        normalize: True gives float32 pixels in [0, 1]; False gives the raw uint8 pixels 0..255.
        flatten: True gives images as rows ``(N, 784)``; False gives ``(N, 1, 28, 28)``.
        one_hot_label: True gives float32 one-hot labels ``(N, 10)``; False gives int64 labels ``(N,)``.
        data_dir: a folder holding the four IDX ``.gz`` files under the MNIST names (for example
            Fashion-MNIST); None uses the copy shipped with the package.

    Returns:
        ``(x_train, t_train), (x_test, t_test)`` with N = 60000 training and 10000 test images for
        MNIST. The arrays are yours to change: the images and integer labels are copy-on-write maps
        of the cache (one copy in memory for every notebook on the machine), so writing into them
        changes neither the cache nor the next load.

    Raises:
        TypeError, ValueError: an argument of the wrong kind, or an empty ``data_dir``.
        DataError: a file is missing, truncated, corrupt or malformed (the message names it).
    """
    for value, name in ((normalize, "normalize"), (flatten, "flatten"), (one_hot_label, "one_hot_label")):
        validate.flag(value, name)
    shipped = data_dir is None
    folder = PACKAGE_DATA_DIR if shipped else validate.data_folder(data_dir)
    pixels = "images-f32" if normalize else "images-u8"
    arrays = _load_arrays(folder, shipped, (pixels, "labels"))

    def images(x: np.ndarray) -> np.ndarray:
        return x if flatten else x.reshape(len(x), 1, _ROWS, _COLS)

    def labels(t: np.ndarray) -> np.ndarray:
        return np.eye(10, dtype=np.float32)[t] if one_hot_label else t

    return ((images(arrays[f"train-{pixels}"]), labels(arrays["train-labels"])),
            (images(arrays[f"test-{pixels}"]), labels(arrays["test-labels"])))


def standardize(x_train: np.ndarray, x_test: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Shift and scale images so that the training images have mean 0 and standard deviation 1.

    One mean and one standard deviation for all pixels (for MNIST in [0, 1]: about 0.1307 and
    0.3081), both measured on ``x_train`` alone and applied to both sets, so nothing about the
    test images leaks into training.

    Args:
        x_train: training images, e.g. ``(60000, 784)``. x_test: test images, e.g. ``(10000, 784)``.

    Returns:
        float32 copies ``(x_train_std, x_test_std)`` of the same shapes.
    """
    x_train = np.asarray(x_train, dtype=np.float32)
    x_test = np.asarray(x_test, dtype=np.float32)
    validate.same_image_shape(x_train, x_test)
    mean, std = x_train.mean(), x_train.std()  # NumPy sums in pairs: float32 is accurate here
    if not std > 0:
        raise ValueError("the training images all have the same value: there is no spread to scale")

    def scaled(x: np.ndarray) -> np.ndarray:
        out = x - mean
        out /= std
        return out

    return scaled(x_train), scaled(x_test)


def split_validation(x: np.ndarray, t: np.ndarray, size: int = 10_000,
                     seed: int | None = None) -> tuple[tuple[np.ndarray, np.ndarray],
                                                       tuple[np.ndarray, np.ndarray]]:
    """Set ``size`` training images aside as a validation set: ``(x_train, t_train), (x_val, t_val)``.

    Hyper-parameters (learning rate, batch size, hidden size, number of epochs) are chosen by
    validation accuracy; the test set is used once, for the setting finally chosen, so that its
    accuracy stays an honest estimate of how the network does on digits it has never seen.

    Args:
        x: training images ``(N, ...)``. t: their labels ``(N,)`` or one-hot ``(N, 10)``.
        size: how many images to set aside, 1 <= size < N (10,000 of MNIST's 60,000, as Keras and
            most MNIST tutorials do).
        seed: None takes the last ``size`` images (views, no copy: MNIST's training set is not
            ordered by digit); an integer shuffles first with ``np.random.default_rng(seed)``.
    """
    size = validate.validation_size(size, x, t)
    if seed is None:
        cut = len(x) - size
        return (x[:cut], t[:cut]), (x[cut:], t[cut:])
    order = np.random.default_rng(seed).permutation(len(x))
    train, val = order[:-size], order[-size:]
    return (x[train], t[train]), (x[val], t[val])
