"""The cache behind :func:`mnist_lib.data.load_mnist`: decoded arrays kept as ``.npy`` files.

The folder is ``$MNIST_LIB_CACHE``, else ``$XDG_CACHE_HOME/mnist_lib``, else
``~/.cache/mnist_lib``. A data set's cache is a manifest, ``mnist-<key>.json``, and one
``mnist-<key>-<name>.npy`` per array, named ``"<split>-<kind>"`` (``"train-labels"``). The manifest
holds the number of items of each split and every file's size and CRC-32:
``{"counts": {"train": 60000, ...}, "files": {"train-labels": {"size": ..., "crc32": ...}, ...}}``.

- Reading checks each file against the manifest and its ``.npy`` header against the expected dtype
  and shape, then maps the file copy-on-write: every process on a machine shares one copy of the
  arrays in memory, and writing into an array changes only the writer's copy.
- Writing goes through a temporary file renamed in one step, and the manifest comes last, so no
  reader ever sees half a cache. A process killed while writing leaves a temporary file behind; a
  later load removes it once it is :data:`STALE_TEMPORARY_SECONDS` old.
- Whatever is wrong with a cache (missing, truncated, damaged, of another layout), :func:`load`
  rebuilds it; when it cannot be written (a shared folder owned by someone else, a full disk), the
  arrays are served from memory.

What the arrays hold and how they are made from the data files is said in :mod:`mnist_lib.data`.
"""
from __future__ import annotations

import hashlib
import json
import mmap
import os
import tempfile
import time
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import BinaryIO

import numpy as np

#: Part of every cache key: a cache of another format (a new layout, or other arrays cached) is
#: never read, it is rebuilt under a new key.
FORMAT = 2
#: A temporary file this old (in seconds) was left by a process that was killed while writing.
STALE_TEMPORARY_SECONDS = 600

#: What an array of each kind is: kind -> (dtype, shape of one item).
Layout = Mapping[str, tuple[np.dtype, tuple[int, ...]]]


def folder() -> Path:
    """The cache folder (it may not exist yet)."""
    if os.environ.get("MNIST_LIB_CACHE"):
        return Path(os.environ["MNIST_LIB_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "mnist_lib"


def folder_identity(data_dir: Path, names: Iterable[str]) -> str:
    """What identifies the files ``names`` in ``data_dir`` for :func:`load`: the folder's path and
    each file's size and modification time, so that a changed file gets a new cache."""
    parts = [str(data_dir)]
    for name in names:
        try:
            st = (data_dir / name).stat()
            parts.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append(f"{name}:missing")
    return "".join(parts)


def load(identity: str, keys: Sequence[str], layout: Layout,
         build: Callable[[], dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """The arrays named in ``keys`` (``"<split>-<kind>"``, kinds as in ``layout``).

    From the cache of ``identity`` (a text that changes whenever the data changes) when it is
    intact; else ``build()`` makes every array the cache holds, which is written to the cache
    and read back, or served from memory when the cache cannot be written. Exceptions of
    ``build()`` (a damaged data file) are raised, and nothing is cached.
    """
    where = folder()
    stem = f"mnist-{hashlib.sha256(f'format {FORMAT}{identity}'.encode()).hexdigest()[:20]}"
    _remove_stale_temporaries(where)
    try:
        return read(where, stem, keys, layout)
    except Exception:  # whatever is wrong with the cache, the cure is the same: rebuild it
        pass
    arrays = build()
    try:
        write(where, stem, arrays)
        return read(where, stem, keys, layout)
    except Exception:  # an unwritable or foreign cache: the arrays just built are just as right
        return {key: arrays[key] for key in keys}


def read(where: Path, stem: str, keys: Sequence[str], layout: Layout) -> dict[str, np.ndarray]:
    """The cached arrays named in ``keys``, mapped copy-on-write.

    Raises (any exception) when the cache is missing, unreadable or differs in any way from its
    manifest or from ``layout``.
    """
    manifest = json.loads((where / f"{stem}.json").read_bytes())
    arrays = {}
    for key in keys:
        split, kind = key.split("-", 1)
        dtype, item_shape = layout[kind]
        entry = manifest["files"][key]
        arrays[key] = _map_npy(where / f"{stem}-{key}.npy", entry["size"], entry["crc32"], dtype,
                               (manifest["counts"][split], *item_shape))
    return arrays


def write(where: Path, stem: str, arrays: dict[str, np.ndarray]) -> None:
    """Write every array (keyed ``"<split>-<kind>"``), then the manifest, last: a cache without
    its manifest is never read.

    No fsync: a file cut short by a crash no longer matches its checksum, and is rebuilt.
    """
    where.mkdir(parents=True, exist_ok=True)
    files = {key: _write_atomically(where / f"{stem}-{key}.npy",
                                    lambda f, a=array: np.save(f, a, allow_pickle=False))
             for key, array in arrays.items()}
    counts: dict[str, int] = {}
    for key, array in arrays.items():
        counts.setdefault(key.split("-", 1)[0], len(array))
    manifest = json.dumps({"counts": counts, "files": files}, separators=(",", ":"))
    _write_atomically(where / f"{stem}.json", lambda f: f.write(manifest.encode()))


def _checksum(f: BinaryIO) -> int:
    """CRC-32 of the whole open file, read through a short-lived map (no copy, nothing kept)."""
    with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as view:
        return zlib.crc32(view)


def _map_npy(path: Path, size: int, crc: int, dtype: np.dtype, shape: tuple[int, ...]) -> np.ndarray:
    """The array in ``path``, mapped copy-on-write, after checking the file against the manifest
    (size, CRC-32) and its header against the expected dtype and shape. Raises on any mismatch."""
    with open(path, "rb") as f:
        if os.fstat(f.fileno()).st_size != size:
            raise ValueError(f"{path}: size differs from the manifest")
        if _checksum(f) != crc:
            raise ValueError(f"{path}: checksum differs from the manifest")
        if np.lib.format.read_magic(f) != (1, 0):
            raise ValueError(f"{path}: not a version 1.0 .npy file")
        header = np.lib.format.read_array_header_1_0(f)
        if header != (shape, False, dtype) or f.tell() + dtype.itemsize * int(np.prod(shape)) != size:
            raise ValueError(f"{path}: header {header}, expected {(shape, False, dtype)}")
        # The map is of this very file (the one just checked), not of whatever the path names now.
        return np.memmap(f, dtype=dtype, mode="c", shape=shape, offset=f.tell()).view(np.ndarray)


def _write_atomically(path: Path, write: Callable[[BinaryIO], object]) -> dict[str, int]:
    """Write a file under a temporary name, then rename it to ``path`` in one step, so that no
    reader ever sees half a file. Returns its size and CRC-32, as read back from the file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f"{path.name}.", suffix=".tmp")
    try:
        with open(fd, "w+b", buffering=0) as f:  # unbuffered: np.save writes straight to the file
            os.chmod(tmp, 0o644)  # readable by every user of a shared cache folder
            write(f)
            entry = {"size": os.fstat(f.fileno()).st_size, "crc32": _checksum(f)}
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return entry


def _remove_stale_temporaries(where: Path) -> None:
    """Delete the temporary files that a killed process left in the cache folder (those older
    than :data:`STALE_TEMPORARY_SECONDS`: a younger one may belong to a load running right now)."""
    try:
        entries = list(os.scandir(where))
    except OSError:
        return
    limit = time.time() - STALE_TEMPORARY_SECONDS
    for entry in entries:
        if entry.name.startswith("mnist-") and entry.name.endswith(".tmp"):
            try:
                if entry.stat().st_mtime < limit:
                    os.unlink(entry.path)
            except OSError:
                pass  # gone already, or another user's file in a shared folder
