"""MNIST, shipped inside the package: loaded offline, verified, and cached for fast warm loads.

The four canonical IDX files (gzip-compressed) live in ``mnist_lib/datasets/mnist/``. The first
load checks their SHA-256, parses the IDX headers, and writes the decoded arrays to a per-user
cache (``$MNIST_LIB_CACHE``, else ``$XDG_CACHE_HOME/mnist_lib``, else ``~/.cache/mnist_lib``), so
later loads take a fraction of a second. Every problem with a file raises :class:`DataError`
naming the file, what is wrong and how to fix it.
"""
from __future__ import annotations

import gzip
import hashlib
import os
import struct
import tempfile
import zipfile
import zlib
from pathlib import Path

import numpy as np

from .validate import positive_int

__all__ = ["DataError", "load_mnist", "standardize", "split_validation", "PACKAGE_DATA_DIR", "FILES", "SHA256"]

PACKAGE_DATA_DIR = Path(__file__).resolve().parent / "datasets" / "mnist"

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
_SHIPPED_FIX = ("Reinstall the course package to restore it (from the project folder: "
                "`git checkout -- mnist_lib/datasets/mnist` then `pip install -e .`).")
_CUSTOM_FIX = ("Replace it with an intact copy of the file (the four IDX files, gzip-compressed, "
               "named as in MNIST).")


class DataError(Exception):
    """A data file is missing, truncated, corrupt or malformed. The message names the file."""


def _cache_dir() -> Path:
    if os.environ.get("MNIST_LIB_CACHE"):
        return Path(os.environ["MNIST_LIB_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "mnist_lib"


def _read_gz(path: Path, shipped: bool) -> bytes:
    """Read one ``.gz`` file, check its SHA-256 when it is the shipped copy, and decompress it."""
    fix = _SHIPPED_FIX if shipped else _CUSTOM_FIX
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
    """Parse an IDX image file to (N, 28, 28) uint8, or a label file to (N,) uint8."""
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
    expected = header + int(np.prod(shape))
    if len(data) != expected:
        raise DataError(f"{path}: {len(data)} bytes after decompression, but the header announces "
                        f"{count} {kind}s ({expected} bytes); the file is truncated or padded. {fix}")
    array = np.frombuffer(data, dtype=np.uint8, offset=header).reshape(shape)
    if not images and array.size and array.max() > 9:
        raise DataError(f"{path}: label {int(array.max())} found, labels must be 0-9. {fix}")
    return array


def _decode(data_dir: Path, shipped: bool) -> dict[str, np.ndarray]:
    fix = _SHIPPED_FIX if shipped else _CUSTOM_FIX
    arrays = {}
    for key, name in FILES.items():
        path = data_dir / name
        arrays[key] = _parse_idx(_read_gz(path, shipped), path, key.endswith("images"), fix)
    for split in ("train", "test"):
        n_img, n_lab = len(arrays[f"{split}_images"]), len(arrays[f"{split}_labels"])
        if n_img != n_lab:
            raise DataError(f"{data_dir / FILES[f'{split}_images']} holds {n_img} images but "
                            f"{data_dir / FILES[f'{split}_labels']} holds {n_lab} labels; "
                            f"the two files must come from the same release. {fix}")
    return arrays


def _cache_key(data_dir: Path, shipped: bool) -> str:
    """Shipped data: keyed by content (the known SHA-256s). Other folders: by path, size, mtime."""
    h = hashlib.sha256()
    if shipped:
        h.update("".join(SHA256[name] for name in FILES.values()).encode())
    else:
        h.update(str(data_dir).encode())
        for name in FILES.values():
            try:
                st = (data_dir / name).stat()
                h.update(f"{name}:{st.st_size}:{st.st_mtime_ns}".encode())
            except OSError:
                h.update(f"{name}:missing".encode())
    return h.hexdigest()[:20]


def _read_cache(path: Path) -> dict[str, np.ndarray] | None:
    """The cached arrays, or None when the cache is absent or not what it should be."""
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {key: npz[key] for key in FILES}
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return None
    for split in ("train", "test"):
        img, lab = arrays[f"{split}_images"], arrays[f"{split}_labels"]
        if (img.dtype != np.uint8 or lab.dtype != np.uint8 or img.ndim != 3
                or img.shape[1:] != (_ROWS, _COLS) or lab.shape != (len(img),)):
            return None
    return arrays


def _write_cache(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write atomically (a temporary file, then a rename); a cache that cannot be written is skipped."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=path.name, suffix=".tmp",
                                         delete=False) as f:
            tmp = f.name
            np.savez(f, **arrays)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        tmp = None
    except OSError:
        pass  # read-only home or full disk: loading still works, only slower next time
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _load_arrays(data_dir: Path, shipped: bool) -> dict[str, np.ndarray]:
    cache = _cache_dir() / f"mnist-{_cache_key(data_dir, shipped)}.npz"
    arrays = _read_cache(cache)
    if arrays is None:
        arrays = _decode(data_dir, shipped)
        _write_cache(cache, arrays)
    return arrays


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
        MNIST. The arrays are fresh copies: changing them does not change the next load.

    Raises:
        DataError: a file is missing, truncated, corrupt or malformed (the message names it).
    """
    shipped = data_dir is None
    folder = PACKAGE_DATA_DIR if shipped else Path(data_dir).expanduser().resolve()
    arrays = _load_arrays(folder, shipped)

    def images(x: np.ndarray) -> np.ndarray:
        x = x.reshape(len(x), -1) if flatten else x.reshape(len(x), 1, _ROWS, _COLS)
        if normalize:
            return np.divide(x, np.float32(255), dtype=np.float32)
        return np.array(x, copy=True)

    def labels(t: np.ndarray) -> np.ndarray:
        if one_hot_label:
            return np.eye(10, dtype=np.float32)[t]
        return t.astype(np.int64)

    return ((images(arrays["train_images"]), labels(arrays["train_labels"])),
            (images(arrays["test_images"]), labels(arrays["test_labels"])))


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
    if x_train.shape[1:] != x_test.shape[1:]:
        raise ValueError(f"training and test images must have the same shape, got x_train "
                         f"{x_train.shape} and x_test {x_test.shape}")
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
    size = positive_int(size, "size")
    if len(x) != len(t):
        raise ValueError(f"x has {len(x)} images but t has {len(t)} labels: they must match")
    if size >= len(x):
        raise ValueError(f"size must be smaller than the number of images ({len(x)}), got {size}: "
                         f"some images must be left to train on")
    if seed is None:
        cut = len(x) - size
        return (x[:cut], t[:cut]), (x[cut:], t[cut:])
    order = np.random.default_rng(seed).permutation(len(x))
    train, val = order[:-size], order[-size:]
    return (x[train], t[train]), (x[val], t[val])
