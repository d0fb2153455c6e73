"""The cache of load_mnist: shared copy-on-write maps, and never a broken load whatever happens to it.

Every test builds the cache from a small data set of its own (a few dozen random images written as
IDX ``.gz`` files) into an empty folder of its own (``fresh_cache``, named by MNIST_LIB_CACHE). The expected arrays are
computed here from those images with NumPy alone, never read back from the loader.
"""
import hashlib
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
import time
import zipfile
import zlib

import numpy as np
import pytest

import mnist_lib._cache as _cache
from mnist_lib.data import load_mnist
from test_data import CACHED_KEYS, assert_complete_cache, cache_files, write_dataset

N_TRAIN, N_TEST = 36, 12


def random_arrays(seed=0):
    rng = np.random.default_rng(seed)
    return {
        "train_images": rng.integers(0, 256, (N_TRAIN, 28, 28), dtype=np.uint8),
        "train_labels": rng.integers(0, 10, N_TRAIN).astype(np.uint8),
        "test_images": rng.integers(0, 256, (N_TEST, 28, 28), dtype=np.uint8),
        "test_labels": rng.integers(0, 10, N_TEST).astype(np.uint8),
    }


ARRAYS = random_arrays()


def expected(normalize=True, flatten=True, one_hot_label=False):
    """What load_mnist must return, from the original images and labels."""
    def images(x):
        x = x.reshape(len(x), 784) if flatten else x.reshape(len(x), 1, 28, 28)
        return x.astype(np.float32) / np.float32(255) if normalize else x

    def labels(t):
        return np.eye(10, dtype=np.float32)[t] if one_hot_label else t.astype(np.int64)

    return ((images(ARRAYS["train_images"]), labels(ARRAYS["train_labels"])),
            (images(ARRAYS["test_images"]), labels(ARRAYS["test_labels"])))


def assert_same(got, want):
    for (a, b), (c, d) in zip(got, want):
        for g, w in ((a, c), (b, d)):
            assert type(g) is np.ndarray and g.dtype == w.dtype and g.shape == w.shape
            np.testing.assert_array_equal(g, w)


@pytest.fixture
def source(tmp_path):
    return write_dataset(tmp_path / "small", ARRAYS)


def load_all_variants(source):
    """Load with normalize True and False (together they read every cache file) and check both."""
    for normalize in (True, False):
        assert_same(load_mnist(normalize=normalize, data_dir=source), expected(normalize))


def snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def is_map_of(array, path):
    base = array.base
    while base is not None and not isinstance(base, np.memmap):
        base = base.base
    return base is not None and os.path.samefile(base.filename, path)


# --- what the cache is --------------------------------------------------------------------------

@pytest.mark.parametrize("normalize", [True, False])
@pytest.mark.parametrize("flatten", [True, False])
@pytest.mark.parametrize("one_hot_label", [True, False])
def test_every_variant_is_right_cold_and_warm(source, fresh_cache, normalize, flatten, one_hot_label):
    for _ in range(2):  # the first load builds the cache, the second reads it
        got = load_mnist(normalize, flatten, one_hot_label, data_dir=source)
        assert_same(got, expected(normalize, flatten, one_hot_label))
    assert_complete_cache(fresh_cache)


@pytest.mark.parametrize("normalize, kind", [(True, "images-f32"), (False, "images-u8")])
def test_images_and_labels_are_maps_of_the_cache(source, fresh_cache, normalize, kind):
    load_mnist(data_dir=source)
    stem = assert_complete_cache(fresh_cache)
    (x, t), (xt, tt) = load_mnist(normalize=normalize, data_dir=source)
    assert is_map_of(x, fresh_cache / f"{stem}-train-{kind}.npy")
    assert is_map_of(xt, fresh_cache / f"{stem}-test-{kind}.npy")
    assert is_map_of(t, fresh_cache / f"{stem}-train-labels.npy")
    assert is_map_of(tt, fresh_cache / f"{stem}-test-labels.npy")
    (x4, _), _ = load_mnist(normalize=normalize, flatten=False, data_dir=source)
    assert is_map_of(x4, fresh_cache / f"{stem}-train-{kind}.npy")


def test_writing_into_the_arrays_changes_neither_the_files_nor_the_next_load(source, fresh_cache):
    load_mnist(data_dir=source)
    before = snapshot(fresh_cache)
    (x, t), (xt, tt) = load_mnist(data_dir=source)
    assert is_map_of(x, fresh_cache / f"{assert_complete_cache(fresh_cache)}-train-images-f32.npy")
    x[:] = 0.5
    t[3] = 7
    xt[-1, -1] = -1.0
    assert x[0, 0] == 0.5 and t[3] == 7 and xt[-1, -1] == -1.0  # the learner sees their change
    assert snapshot(fresh_cache) == before  # copy-on-write: the files are untouched
    assert_same(load_mnist(data_dir=source), expected())
    del x, t, xt, tt
    assert snapshot(fresh_cache) == before


def test_the_cache_files_are_readable_by_every_user_of_a_shared_folder(source, fresh_cache):
    load_mnist(data_dir=source)
    for path in fresh_cache.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) & 0o444 == 0o444, path.name


# --- damage: whatever is wrong, the load is right and the cache is rebuilt ----------------------

def _garbage(content):
    return b"this is not a cache file" * 10


def _truncated(content):
    return content[: len(content) // 2]


def _bit_flip(content):
    content = bytearray(content)
    content[len(content) // 2] ^= 0x01
    return bytes(content)


def _empty(content):
    return b""


@pytest.mark.parametrize("damage", [_garbage, _truncated, _bit_flip, _empty])
@pytest.mark.parametrize("key", [*CACHED_KEYS, "manifest"])
def test_a_damaged_cache_file_is_rebuilt(source, fresh_cache, key, damage):
    load_mnist(data_dir=source)
    stem = assert_complete_cache(fresh_cache)
    intact = snapshot(fresh_cache)
    path = fresh_cache / (f"{stem}.json" if key == "manifest" else f"{stem}-{key}.npy")
    path.write_bytes(damage(path.read_bytes()))
    load_all_variants(source)
    assert snapshot(fresh_cache) == intact


@pytest.mark.parametrize("key", [*CACHED_KEYS, "manifest"])
def test_a_missing_cache_file_is_rebuilt(source, fresh_cache, key):
    load_mnist(data_dir=source)
    stem = assert_complete_cache(fresh_cache)
    intact = snapshot(fresh_cache)
    (fresh_cache / (f"{stem}.json" if key == "manifest" else f"{stem}-{key}.npy")).unlink()
    load_all_variants(source)
    assert snapshot(fresh_cache) == intact


def _rewrite_consistently(folder, stem, key, array):
    """Replace one array by ``array`` and update the manifest to match: only the header check can tell."""
    path = folder / f"{stem}-{key}.npy"
    np.save(path, array)
    manifest_path = folder / f"{stem}.json"
    manifest = json.loads(manifest_path.read_text())
    content = path.read_bytes()
    manifest["files"][key] = {"size": len(content), "crc32": zlib.crc32(content)}
    manifest_path.write_text(json.dumps(manifest))


@pytest.mark.parametrize("wrong", ["dtype", "shape", "fortran order", "count"])
def test_a_well_formed_cache_of_the_wrong_shape_or_dtype_is_rebuilt(source, fresh_cache, wrong):
    load_mnist(data_dir=source)
    stem = assert_complete_cache(fresh_cache)
    intact = snapshot(fresh_cache)
    pixels = ARRAYS["train_images"].reshape(N_TRAIN, 784).astype(np.float32) / np.float32(255)
    array = {"dtype": pixels.astype(np.float64), "shape": pixels.reshape(N_TRAIN, 28, 28),
             "fortran order": np.asfortranarray(pixels), "count": pixels[:-1]}[wrong]
    _rewrite_consistently(fresh_cache, stem, "train-images-f32", array)
    load_all_variants(source)
    assert snapshot(fresh_cache) == intact


@pytest.mark.parametrize("manifest", [
    "[]", "null", '{"counts": {"train": 36, "test": 12}}', '{"files": {}}',
    '{"counts": {"train": "36", "test": 12}, "files": {}}', "\xff\xfe not text",
], ids=["a list", "null", "no files", "no counts", "a count as text", "not UTF-8"])
def test_a_malformed_manifest_is_rebuilt(source, fresh_cache, manifest):
    load_mnist(data_dir=source)
    stem = assert_complete_cache(fresh_cache)
    intact = snapshot(fresh_cache)
    (fresh_cache / f"{stem}.json").write_bytes(manifest.encode("latin-1"))
    load_all_variants(source)
    assert snapshot(fresh_cache) == intact


@pytest.mark.parametrize("error", [
    NotImplementedError("zip file version 17.3"), RuntimeError("File 'train_images.npy' is encrypted"),
    zipfile.BadZipFile("Bad CRC-32"), ValueError("cannot reshape"), OSError(5, "Input/output error"),
    KeyError("train"), MemoryError(), EOFError(), UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid"),
], ids=lambda e: type(e).__name__)
def test_any_exception_while_reading_the_cache_means_rebuild(source, fresh_cache, monkeypatch, error):
    load_mnist(data_dir=source)
    stem = assert_complete_cache(fresh_cache)
    manifest_inode = (fresh_cache / f"{stem}.json").stat().st_ino
    calls = []
    read_magic = np.lib.format.read_magic

    def fail_once(f):
        calls.append(f)
        if len(calls) == 1:
            raise error
        return read_magic(f)

    monkeypatch.setattr(np.lib.format, "read_magic", fail_once)
    (x, _), _ = got = load_mnist(data_dir=source)
    assert_same(got, expected())
    assert (fresh_cache / f"{stem}.json").stat().st_ino != manifest_inode  # rebuilt: a new manifest
    assert is_map_of(x, fresh_cache / f"{stem}-train-images-f32.npy")  # and read from the new cache
    assert_complete_cache(fresh_cache)


def test_fuzz_single_byte_changes_and_truncations(source, fresh_cache):
    """Change one byte (or cut the file short) at a few hundred seeded positions spread over every
    cache file, headers and manifest included: each load returns exactly the right arrays, and
    the cache is rebuilt to exactly what it was."""
    load_mnist(data_dir=source)
    intact = snapshot(fresh_cache)
    assert len(intact) == 7
    rng = np.random.default_rng(2024)
    cases = []
    for name, content in intact.items():
        head = min(len(content), 128)  # the .npy header (or the short manifest), densely
        positions = [*rng.choice(head, size=min(head, 16), replace=False),
                     *rng.integers(0, len(content), size=24)]
        cases += [(name, int(p), int(rng.integers(1, 256))) for p in positions]
        cases += [(name, int(p), None) for p in rng.integers(0, len(content), size=4)]
    assert len(cases) >= 300
    for name, position, xor in cases:
        with open(fresh_cache / name, "r+b") as f:  # in place, as a failing disk would
            if xor is None:
                f.truncate(position)
            else:
                f.seek(position)
                byte = f.read(1)[0]
                f.seek(position)
                f.write(bytes([byte ^ xor]))
        load_all_variants(source)
        assert snapshot(fresh_cache) == intact, (name, position, xor)


# --- temporary files ----------------------------------------------------------------------------

def test_a_failed_write_leaves_no_temporary_file(source, fresh_cache, monkeypatch):
    def no_space(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_space)
    for _ in range(2):
        assert_same(load_mnist(data_dir=source), expected())  # decoded in memory
    assert cache_files(fresh_cache) == []


def test_a_killed_first_load_leaves_a_temporary_file_that_a_later_load_removes(source, fresh_cache, monkeypatch):
    script = textwrap.dedent("""
        import os, signal, sys
        import numpy as np
        from mnist_lib import load_mnist

        def save_then_die(f, array, **kwargs):  # killed in the middle of writing the cache
            f.write(b"half an array")
            os.kill(os.getpid(), signal.SIGKILL)

        np.save = save_then_die
        load_mnist(data_dir=sys.argv[1])
    """)
    done = subprocess.run([sys.executable, "-c", script, str(source)], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "MNIST_LIB_CACHE": str(fresh_cache)})
    assert done.returncode == -signal.SIGKILL, done.stderr
    [left] = cache_files(fresh_cache)
    assert left.endswith(".tmp")
    assert_same(load_mnist(data_dir=source), expected())
    assert left in cache_files(fresh_cache)  # young: it might belong to a load still running
    old = time.time() - _cache.STALE_TEMPORARY_SECONDS - 60
    os.utime(fresh_cache / left, (old, old))
    assert_same(load_mnist(data_dir=source), expected())
    assert left not in cache_files(fresh_cache)
    assert_complete_cache(fresh_cache)


def test_only_our_own_stale_temporary_files_are_removed(source, fresh_cache):
    load_mnist(data_dir=source)
    old = time.time() - _cache.STALE_TEMPORARY_SECONDS - 60
    names = ["mnist-0123-train-labels.npy.abc.tmp", "notes.tmp", "mnist-0123.json"]
    for name in names:
        (fresh_cache / name).write_bytes(b"x")
        os.utime(fresh_cache / name, (old, old))
    load_mnist(data_dir=source)
    assert [n for n in names if (fresh_cache / n).exists()] == ["notes.tmp", "mnist-0123.json"]


# --- a cache folder shared by several users -------------------------------------------------------

def test_a_readable_cache_of_another_user_is_used_without_writing(source, fresh_cache, monkeypatch):
    """Simulated (the tests run as root, which chmod does not stop): any rename is refused."""
    load_mnist(data_dir=source)
    before = {p.name: (p.stat().st_ino, p.read_bytes()) for p in fresh_cache.iterdir()}

    def refused(src, dst):
        raise PermissionError(1, "Operation not permitted", str(dst))

    monkeypatch.setattr(os, "replace", refused)
    (x, _), _ = got = load_mnist(data_dir=source)
    assert_same(got, expected())
    assert is_map_of(x, fresh_cache / f"{assert_complete_cache(fresh_cache)}-train-images-f32.npy")
    assert {p.name: (p.stat().st_ino, p.read_bytes()) for p in fresh_cache.iterdir()} == before


@pytest.mark.parametrize("damaged", [False, True])
def test_an_unreadable_or_damaged_cache_of_another_user_falls_back_to_memory(source, fresh_cache,
                                                                              monkeypatch, damaged):
    """Simulated (the tests run as root, which chmod does not stop): opening the other user's
    files fails with EACCES and renaming onto them with EPERM, as in a sticky shared folder."""
    load_mnist(data_dir=source)
    stem = assert_complete_cache(fresh_cache)
    if damaged:
        path = fresh_cache / f"{stem}-train-labels.npy"
        path.write_bytes(_bit_flip(path.read_bytes()))
    before = {p.name: (p.stat().st_ino, p.read_bytes()) for p in fresh_cache.iterdir()}
    theirs = set(before)
    real_open = open

    def guarded_open(file, mode="r", *args, **kwargs):
        if not damaged and os.path.basename(str(file)) in theirs:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, mode, *args, **kwargs)

    def refused(src, dst):
        raise PermissionError(1, "Operation not permitted", str(dst))

    monkeypatch.setattr("builtins.open", guarded_open)
    monkeypatch.setattr("io.open", guarded_open)
    monkeypatch.setattr(os, "replace", refused)
    for normalize in (True, False):
        (x, _), _ = got = load_mnist(normalize=normalize, data_dir=source)
        assert_same(got, expected(normalize))
        assert x.base is None or not isinstance(x.base, np.memmap)  # decoded in memory
    monkeypatch.undo()
    assert {p.name: (p.stat().st_ino, p.read_bytes()) for p in fresh_cache.iterdir()} == before  # no .tmp


OTHER_USER = 65534  # nobody


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0 or not shutil.which("setpriv"),
                    reason="needs root and setpriv to act as a user whom file permissions bind")
@pytest.mark.parametrize("mode", [0o644, 0o600], ids=["readable", "unreadable"])
def test_a_shared_folder_owned_by_another_user(source, tmp_path, mode):
    """For real: the cache folder (mode 1777, like /tmp) and its files belong to another user; the
    load runs as root without any capability, so the files' permissions bind it like any user."""
    shared = tmp_path / "shared"
    env = {**os.environ, "MNIST_LIB_CACHE": str(shared)}
    subprocess.run([sys.executable, "-c", "import sys, mnist_lib; mnist_lib.load_mnist(data_dir=sys.argv[1])",
                    str(source)], env=env, check=True, timeout=120)
    for path in [shared, *shared.iterdir()]:
        os.chown(path, OTHER_USER, OTHER_USER)
        path.chmod(0o1777 if path == shared else mode)
    assert_complete_cache(shared)
    before = {p.name: (p.stat().st_ino, p.read_bytes()) for p in shared.iterdir()}
    script = textwrap.dedent("""
        import hashlib, sys
        import numpy as np
        from mnist_lib import load_mnist
        for normalize in (True, False):
            (x, t), (xt, tt) = load_mnist(normalize=normalize, data_dir=sys.argv[1])
            print(isinstance(x.base, np.memmap), *(hashlib.md5(a.tobytes()).hexdigest() for a in (x, t, xt, tt)))
    """)
    done = subprocess.run(["setpriv", "--bounding-set=-all", "--inh-caps=-all", "--",
                           sys.executable, "-c", script, str(source)],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    for line, normalize in zip(done.stdout.splitlines(), (True, False)):
        mapped, *digests = line.split()
        assert mapped == str(mode == 0o644)  # readable: shared; unreadable: decoded in memory
        want = [a for split in expected(normalize) for a in split]
        assert digests == [hashlib.md5(a.tobytes()).hexdigest() for a in want]
    assert {p.name: (p.stat().st_ino, p.read_bytes()) for p in shared.iterdir()} == before
