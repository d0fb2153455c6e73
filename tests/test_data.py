"""load_mnist: published facts about MNIST, every kind of damaged file, and the cache.

Expected values are published facts about MNIST (label counts, first labels, pixels, MD5 of the
canonical files) or come from parsing the shipped files here with gzip and NumPy alone. The shipped
data is loaded as the notebooks load it, through the user's cache (the ``mnist`` fixtures of
conftest.py); a test that damages data or needs an empty cache gets a folder of its own
(``fresh_cache``).
"""
import gzip
import hashlib
import os
import shutil
import stat
import struct
import subprocess
import sys
import textwrap
import time

import numpy as np
import psutil
import pytest

import blas_threads

import mnist_lib._cache as _cache
import mnist_lib.data as data
from mnist_lib.data import FILES, PACKAGE_DATA_DIR, DataError, load_mnist, split_validation

TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
MD5 = {  # of the uncompressed canonical files
    "train-images-idx3-ubyte.gz": "6bbc9ace898e44ae57da46a324031adb",
    "train-labels-idx1-ubyte.gz": "a25bea736e30d166cdddb491f175f624",
    "t10k-images-idx3-ubyte.gz": "2646ac647ad5339dbf082846283269ea",
    "t10k-labels-idx1-ubyte.gz": "27ae3e4e09519cfbb04c329615203637",
}
FIRST_TRAIN_PIXELS_230 = [0, 18, 219, 253, 253, 253, 253, 253, 198, 182, 247, 241, 0, 0, 0, 0, 0, 0, 0, 0]
FIRST_TEST_PIXELS_230 = [222, 254, 254, 254, 254, 241, 198, 198, 198, 198, 198, 198, 198, 198, 170, 52,
                         0, 0, 0, 0]


# --- fixtures ----------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def decompressed():
    """The four shipped files, decompressed here with gzip alone (independent of the loader)."""
    return {name: gzip.decompress((PACKAGE_DATA_DIR / name).read_bytes()) for name in FILES.values()}


def cache_files(folder):
    return sorted(p.name for p in folder.glob("*")) if folder.exists() else []


CACHED_KEYS = [f"{split}-{kind}" for split in ("train", "test")
               for kind in ("images-f32", "images-u8", "labels")]


def assert_complete_cache(folder):
    """The folder holds one complete cache (a manifest and its six arrays), nothing else; returns its stem."""
    [manifest] = [name for name in cache_files(folder) if name.endswith(".json")]
    stem = manifest[: -len(".json")]
    assert cache_files(folder) == sorted([manifest, *(f"{stem}-{key}.npy" for key in CACHED_KEYS)])
    _cache.read(folder, stem, CACHED_KEYS, data._CACHED)  # every file matches the manifest
    return stem


# --- the shipped data: published facts ---------------------------------------------------------

def test_shipped_files_decompress_to_the_canonical_files(decompressed):
    for name, content in decompressed.items():
        assert hashlib.md5(content).hexdigest() == MD5[name], name


def test_loader_matches_an_independent_parse(mnist_raw, decompressed):
    (x, t), (xt, tt) = mnist_raw
    np.testing.assert_array_equal(x.ravel(), np.frombuffer(decompressed[FILES["train_images"]], np.uint8, offset=16))
    np.testing.assert_array_equal(t, np.frombuffer(decompressed[FILES["train_labels"]], np.uint8, offset=8))
    np.testing.assert_array_equal(xt.ravel(), np.frombuffer(decompressed[FILES["test_images"]], np.uint8, offset=16))
    np.testing.assert_array_equal(tt, np.frombuffer(decompressed[FILES["test_labels"]], np.uint8, offset=8))


def test_raw_shapes_and_dtypes(mnist_raw):
    (x, t), (xt, tt) = mnist_raw
    assert x.shape == (60000, 784) and xt.shape == (10000, 784)
    assert x.dtype == xt.dtype == np.uint8
    assert t.shape == (60000,) and tt.shape == (10000,)
    assert t.dtype == tt.dtype == np.int64
    assert x.max() == 255 and x.min() == 0


def test_label_counts(mnist_raw):
    (_, t), (_, tt) = mnist_raw
    assert np.bincount(t, minlength=10).tolist() == TRAIN_COUNTS
    assert np.bincount(tt, minlength=10).tolist() == TEST_COUNTS


def test_first_labels_and_pixels(mnist_raw):
    (x, t), (xt, tt) = mnist_raw
    assert t[0] == 5 and tt[0] == 7
    assert x[0, 230:250].tolist() == FIRST_TRAIN_PIXELS_230
    assert xt[0, 230:250].tolist() == FIRST_TEST_PIXELS_230


def test_default_is_normalized_float32_rows(mnist_raw):
    (x, t), (xt, tt) = load_mnist()
    assert x.shape == (60000, 784) and xt.shape == (10000, 784)
    assert x.dtype == xt.dtype == np.float32
    assert x.min() == 0.0 and x.max() == 1.0
    rows = slice(None, None, 97)  # a spread-out sample of rows keeps this test fast
    np.testing.assert_array_equal(x[rows], mnist_raw[0][0][rows].astype(np.float32) / np.float32(255))
    np.testing.assert_array_equal(xt[0, 230:250] * 255, np.float32(FIRST_TEST_PIXELS_230))
    assert t.dtype == np.int64 and t.shape == (60000,)
    np.testing.assert_array_equal(t, mnist_raw[0][1])


def test_images_not_flattened(mnist_raw):
    (x, _), (xt, _) = load_mnist(normalize=False, flatten=False)
    assert x.shape == (60000, 1, 28, 28) and xt.shape == (10000, 1, 28, 28)
    assert x.dtype == np.uint8
    np.testing.assert_array_equal(xt.reshape(10000, 784), mnist_raw[1][0])
    # pixel 230 of the flat image is row 8, column 6
    assert xt[0, 0, 8, 6:26].tolist() == FIRST_TEST_PIXELS_230


def test_one_hot_labels(mnist_raw):
    (x, t), (_, tt) = load_mnist(flatten=False, one_hot_label=True)
    assert x.shape == (60000, 1, 28, 28) and x.dtype == np.float32
    assert t.shape == (60000, 10) and tt.shape == (10000, 10)
    assert t.dtype == tt.dtype == np.float32
    assert set(np.unique(t)) == {0.0, 1.0}
    np.testing.assert_array_equal(t.sum(axis=1), 1.0)
    np.testing.assert_array_equal(t.argmax(axis=1), mnist_raw[0][1])
    np.testing.assert_array_equal(tt.argmax(axis=1), mnist_raw[1][1])


@pytest.mark.parametrize("kwargs", [{}, {"normalize": False, "flatten": False, "one_hot_label": True}])
def test_editing_a_returned_array_does_not_change_the_next_load(kwargs):
    arrays = [a for split in load_mnist(**kwargs) for a in split]
    originals = [a[:5].copy() for a in arrays]
    for a in arrays:
        a[:5] = 3
    again = [a for split in load_mnist(**kwargs) for a in split]
    for a, b in zip(again, originals):
        np.testing.assert_array_equal(a[:5], b)


# --- a small data set of our own, for the error cases ------------------------------------------

def idx_images(images, magic=2051, rows=28, cols=28, count=None):
    n = len(images) if count is None else count
    return struct.pack(">IIII", magic, n, rows, cols) + np.asarray(images, np.uint8).tobytes()


def idx_labels(labels, magic=2049, count=None):
    n = len(labels) if count is None else count
    return struct.pack(">II", magic, n) + np.asarray(labels, np.uint8).tobytes()


def small_arrays(seed=0):
    rng = np.random.default_rng(seed)
    return {
        "train_images": rng.integers(0, 256, (6, 28, 28), dtype=np.uint8),
        "train_labels": np.array([0, 1, 2, 3, 4, 9], np.uint8),
        "test_images": rng.integers(0, 256, (4, 28, 28), dtype=np.uint8),
        "test_labels": np.array([5, 6, 7, 8], np.uint8),
    }


def write_dataset(folder, arrays=None, raw_files=None):
    """Write the four .gz files; ``raw_files`` maps a file name to the exact bytes to write instead."""
    arrays = small_arrays() if arrays is None else arrays
    raw_files = raw_files or {}
    folder.mkdir(parents=True, exist_ok=True)
    for key, name in FILES.items():
        content = (idx_images if key.endswith("images") else idx_labels)(arrays[key])
        (folder / name).write_bytes(raw_files.get(name, gzip.compress(content)))
    return folder


def test_own_data_dir_loads(tmp_path, fresh_cache):
    arrays = small_arrays()
    folder = write_dataset(tmp_path / "mine")
    (x, t), (xt, tt) = load_mnist(normalize=False, data_dir=folder)
    np.testing.assert_array_equal(x, arrays["train_images"].reshape(6, 784))
    np.testing.assert_array_equal(t, [0, 1, 2, 3, 4, 9])
    np.testing.assert_array_equal(xt, arrays["test_images"].reshape(4, 784))
    np.testing.assert_array_equal(tt, [5, 6, 7, 8])
    assert_complete_cache(fresh_cache)
    (x2, _), _ = load_mnist(normalize=False, data_dir=str(folder))  # from the cache, str path
    np.testing.assert_array_equal(x2, x)


def test_changed_files_in_own_data_dir_are_reloaded(tmp_path, fresh_cache):
    folder = write_dataset(tmp_path / "mine")
    assert load_mnist(data_dir=folder)[1][1].tolist() == [5, 6, 7, 8]
    labels = folder / FILES["test_labels"]
    labels.write_bytes(gzip.compress(idx_labels([1, 1, 1, 1])))
    os.utime(labels, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    assert load_mnist(data_dir=folder)[1][1].tolist() == [1, 1, 1, 1]


def _truncated_gzip():
    content = gzip.compress(idx_images(small_arrays()["train_images"]))
    return content[: len(content) // 2]


def _corrupt_gzip():
    content = bytearray(gzip.compress(idx_images(small_arrays()["train_images"])))
    content[len(content) // 2] ^= 0xFF
    return bytes(content)


_A = small_arrays()
CORRUPTIONS = {  # case: (file name, bytes written to it (None: the file is missing))
    "missing file": (FILES["test_labels"], None),
    "empty file": (FILES["train_labels"], b""),
    "truncated gzip": (FILES["train_images"], _truncated_gzip()),
    "corrupt gzip": (FILES["train_images"], _corrupt_gzip()),
    "not gzip": (FILES["test_images"], idx_images(_A["test_images"])),
    "wrong magic (label magic in an image file)": (FILES["train_images"], gzip.compress(idx_images(_A["train_images"], magic=2049))),
    "wrong magic (label file)": (FILES["test_labels"], gzip.compress(idx_labels(_A["test_labels"], magic=2051))),
    "header too short": (FILES["test_images"], gzip.compress(struct.pack(">III", 2051, 4, 28))),
    "wrong dimensions": (FILES["train_images"], gzip.compress(idx_images(np.zeros((6, 32, 32)), rows=32, cols=32))),
    "fewer bytes than the header says": (FILES["train_images"], gzip.compress(idx_images(_A["train_images"][:5], count=6))),
    "more bytes than the header says": (FILES["test_images"], gzip.compress(idx_images(_A["test_images"]) + b"\0" * 100)),
    "label bytes do not match the header": (FILES["train_labels"], gzip.compress(idx_labels([0, 1, 2, 3, 4], count=6))),
    "image and label counts differ": (FILES["train_labels"], gzip.compress(idx_labels([0, 1, 2, 3, 4]))),
    "label > 9": (FILES["test_labels"], gzip.compress(idx_labels([5, 6, 10, 8]))),
}


@pytest.mark.parametrize("case", CORRUPTIONS)
def test_damaged_file_raises_data_error_naming_it(tmp_path, fresh_cache, case):
    name, content = CORRUPTIONS[case]
    folder = write_dataset(tmp_path / "damaged")
    if content is None:
        (folder / name).unlink()
    else:
        (folder / name).write_bytes(content)
    with pytest.raises(DataError) as err:
        load_mnist(data_dir=folder)
    message = str(err.value)
    assert name in message, message
    assert str(folder) in message, message
    assert cache_files(fresh_cache) == [], "nothing may be cached from damaged data"


def test_count_mismatch_names_both_files(tmp_path, fresh_cache):
    folder = write_dataset(tmp_path / "damaged")
    (folder / FILES["train_labels"]).write_bytes(gzip.compress(idx_labels([0, 1, 2])))
    with pytest.raises(DataError, match="6 images but .* 3 labels") as err:
        load_mnist(data_dir=folder)
    assert FILES["train_images"] in str(err.value) and FILES["train_labels"] in str(err.value)


def test_missing_data_dir(tmp_path, fresh_cache):
    with pytest.raises(DataError, match="not found"):
        load_mnist(data_dir=tmp_path / "nowhere")


def test_error_then_repair_loads(tmp_path, fresh_cache):
    folder = write_dataset(tmp_path / "mine")
    good = (folder / FILES["test_labels"]).read_bytes()
    (folder / FILES["test_labels"]).write_bytes(good[:10])
    with pytest.raises(DataError):
        load_mnist(data_dir=folder)
    (folder / FILES["test_labels"]).write_bytes(good)
    assert load_mnist(data_dir=folder)[1][1].tolist() == [5, 6, 7, 8]


def test_a_data_set_with_0_items_is_a_data_error(tmp_path, fresh_cache):
    empty = {key: a[:0] for key, a in small_arrays().items()}
    folder = write_dataset(tmp_path / "empty", empty)
    with pytest.raises(DataError) as err:
        load_mnist(data_dir=folder)
    message = str(err.value)
    assert f"{folder / FILES['train_images']}: the file holds 0 images; a data set needs at least one." in message
    assert cache_files(fresh_cache) == []


# --- arguments of the wrong kind: refused before any work ---------------------------------------

@pytest.mark.parametrize("value", [123, 1.5, b"/tmp/mnist", ["mnist"]])
def test_data_dir_of_the_wrong_type(value, fresh_cache):
    with pytest.raises(TypeError) as err:
        load_mnist(data_dir=value)
    message = str(err.value)
    assert message.startswith("data_dir must be a folder path (a str or pathlib.Path)"), message
    assert f"got {value!r} ({type(value).__name__})" in message
    assert cache_files(fresh_cache) == []


@pytest.mark.parametrize("value", ["", "   "])
def test_an_empty_data_dir_is_not_the_current_folder(value, tmp_path, monkeypatch, fresh_cache):
    monkeypatch.chdir(write_dataset(tmp_path / "here"))  # a loadable data set in the current folder
    with pytest.raises(ValueError, match=rf"data_dir is the empty path {value!r}: give the folder"):
        load_mnist(data_dir=value)
    assert load_mnist(data_dir=".")[1][1].tolist() == [5, 6, 7, 8]  # said explicitly, it works


@pytest.mark.parametrize("flag", ["normalize", "flatten", "one_hot_label"])
@pytest.mark.parametrize("value", [1, 0, "False", None, 1.0])
def test_flags_must_be_true_or_false(flag, value, fresh_cache):
    with pytest.raises(TypeError) as err:
        load_mnist(**{flag: value})
    assert str(err.value) == f"{flag} must be True or False, got {value!r} ({type(value).__name__})"
    assert cache_files(fresh_cache) == []


def test_numpy_booleans_are_accepted_as_flags(tmp_path, fresh_cache):
    folder = write_dataset(tmp_path / "mine")
    (x, t), _ = load_mnist(normalize=np.False_, flatten=np.bool_(False), data_dir=folder)
    assert x.shape == (6, 1, 28, 28) and x.dtype == np.uint8 and t.tolist() == [0, 1, 2, 3, 4, 9]


# --- the shipped copy: checksums, repair advice, read-only installs, unwritable caches ---------

def test_is_git_checkout(tmp_path):
    clone = tmp_path / "clone"
    (clone / "mnist_lib").mkdir(parents=True)
    assert not data._is_git_checkout(clone / "mnist_lib")
    (clone / ".git").mkdir()
    assert data._is_git_checkout(clone / "mnist_lib")
    worktree = tmp_path / "worktree"  # a git worktree has a .git file, not a folder
    (worktree / "mnist_lib").mkdir(parents=True)
    (worktree / ".git").write_text("gitdir: /somewhere/.git/worktrees/worktree\n")
    assert data._is_git_checkout(worktree / "mnist_lib")
    installed = clone / ".venv" / "lib" / "python3.11" / "site-packages" / "mnist_lib"
    installed.mkdir(parents=True)  # a wheel installed into a venv inside a clone is still a wheel
    assert not data._is_git_checkout(installed)


@pytest.mark.parametrize("git", [True, False], ids=["git checkout", "installed package"])
def test_repair_advice_fits_how_the_package_was_installed(package_copy, fresh_cache, tmp_path,
                                                          monkeypatch, git):
    project = tmp_path / "project"
    (project / "mnist_lib").mkdir(parents=True)
    if git:
        (project / ".git").mkdir()
    monkeypatch.setattr(data, "_PACKAGE_DIR", project / "mnist_lib")
    (package_copy / FILES["test_labels"]).unlink()
    with pytest.raises(DataError) as err:
        load_mnist()
    message = str(err.value)
    assert message.startswith(f"{package_copy / FILES['test_labels']}: file not found.")
    if git:
        assert f"in {project} (the project folder), run `git checkout -- mnist_lib/datasets/mnist`" in message
        assert "pip" not in message
    else:
        assert "`pip install --force-reinstall mnist_lib`" in message and "`pip install -e .`" in message
        assert "git" not in message



@pytest.fixture
def package_copy(tmp_path, monkeypatch):
    """A copy of the shipped files, used as the package's data folder."""
    folder = tmp_path / "package_data"
    shutil.copytree(PACKAGE_DATA_DIR, folder)
    monkeypatch.setattr(data, "PACKAGE_DATA_DIR", folder)
    yield folder
    for p in [folder, *folder.iterdir()]:
        p.chmod(p.stat().st_mode | stat.S_IWUSR)


def test_tampered_shipped_file_fails_the_sha256_check(package_copy, fresh_cache):
    path = package_copy / FILES["test_labels"]
    labels = bytearray(gzip.decompress(path.read_bytes()))
    labels[8] = 3  # a valid file, one label changed: only the checksum can tell
    path.write_bytes(gzip.compress(bytes(labels)))
    with pytest.raises(DataError, match="SHA-256") as err:
        load_mnist()
    assert FILES["test_labels"] in str(err.value)
    assert cache_files(fresh_cache) == []


def test_read_only_package_folder_loads(package_copy, fresh_cache, mnist_raw):
    shipped = sorted(p.name for p in package_copy.iterdir())
    for p in package_copy.iterdir():
        p.chmod(0o444)
    package_copy.chmod(0o555)
    (x, t), (xt, tt) = load_mnist(normalize=False)
    np.testing.assert_array_equal(t, mnist_raw[0][1])
    np.testing.assert_array_equal(xt, mnist_raw[1][0])
    assert sorted(p.name for p in package_copy.iterdir()) == shipped  # nothing written there
    assert_complete_cache(fresh_cache)


@pytest.mark.parametrize("how", ["read-only folder", "below a regular file"])
def test_unwritable_cache_still_loads(tmp_path, monkeypatch, mnist_raw, how):
    if how == "read-only folder":
        cache = tmp_path / "cache"
        cache.mkdir()
        cache.chmod(0o555)
    else:  # cannot be created, even by root
        (tmp_path / "a_file").write_text("")
        cache = tmp_path / "a_file" / "cache"
    monkeypatch.setenv("MNIST_LIB_CACHE", str(cache))
    try:
        for _ in range(2):
            (x, t), (xt, tt) = load_mnist(normalize=False)
            np.testing.assert_array_equal(tt, mnist_raw[1][1])
            np.testing.assert_array_equal(x[:100], mnist_raw[0][0][:100])
            x[0, 0] = 7  # returned arrays are writable
    finally:
        if how == "read-only folder":
            cache.chmod(0o755)


# --- the cache (more in test_data_cache.py) --------------------------------------------------

def test_concurrent_first_loads(tmp_path, decompressed):
    """Two processes load at the same moment into an empty cache: both get the right data."""
    cache = tmp_path / "cache"
    go = tmp_path / "go"
    script = textwrap.dedent(f"""
        import hashlib, pathlib, sys, time
        import numpy as np
        from mnist_lib import load_mnist
        pathlib.Path(sys.argv[1]).touch()
        while not pathlib.Path({str(go)!r}).exists():
            time.sleep(0.005)
        (x, t), (xt, tt) = load_mnist(normalize=False)
        for a in (x, t, xt, tt):
            print(hashlib.md5(a.astype(np.uint8).tobytes()).hexdigest())
    """)
    env = {**os.environ, "MNIST_LIB_CACHE": str(cache), **blas_threads.environment(1)}
    ready = [tmp_path / f"ready{i}" for i in range(2)]
    procs = [subprocess.Popen([sys.executable, "-c", script, str(r)], env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for r in ready]
    try:
        deadline = time.monotonic() + 60
        while (not all(r.exists() for r in ready) and time.monotonic() < deadline
               and all(p.poll() is None for p in procs)):
            time.sleep(0.005)
        go.touch()
        outputs = [p.communicate(timeout=120) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    header = {"images": 16, "labels": 8}
    expected = [hashlib.md5(decompressed[name][header[name.split("-")[1]]:]).hexdigest()
                for name in (FILES["train_images"], FILES["train_labels"], FILES["test_images"],
                             FILES["test_labels"])]
    for p, (out, err) in zip(procs, outputs):
        assert p.returncode == 0, err
        assert out.split() == expected
    stem = assert_complete_cache(cache)  # one complete cache, no temporary files left behind
    cached = _cache.read(cache, stem, ["test-labels", "train-images-u8"], data._CACHED)
    np.testing.assert_array_equal(cached["test-labels"],
                                  np.frombuffer(decompressed[FILES["test_labels"]], np.uint8, offset=8))
    assert hashlib.md5(cached["train-images-u8"].tobytes()).hexdigest() == expected[0]


USS_SCRIPT = textwrap.dedent("""
    import sys
    import psutil
    from mnist_lib import load_mnist

    def private_mb():  # USS: the pages that only this process maps
        return psutil.Process().memory_full_info().uss / 2**20

    before = private_mb()
    (x, t), (xt, tt) = load_mnist()
    loaded = private_mb()
    x.sum(), xt.sum(), t.sum(), tt.sum()  # read every pixel and label
    print(before, loaded, private_mb(), flush=True)
    sys.stdin.readline()  # stay alive, sharing the pages, until told to end
""")


@pytest.mark.skipif(not hasattr(psutil.Process().memory_full_info(), "uss"),
                    reason="psutil reads no USS on this system")
def test_notebooks_on_one_machine_share_the_pixels(mnist):
    """Two processes load MNIST (219 MB of float32) and read all of it: the second one's private
    memory (USS) grows by far less than one copy, because both map the same cache files (the
    user's cache, written by the time ``mnist`` is loaded)."""
    env = {**os.environ, **blas_threads.environment(1)}
    procs, figures = [], []
    try:
        for _ in range(2):
            procs.append(subprocess.Popen([sys.executable, "-c", USS_SCRIPT], env=env, text=True,
                                          stdin=subprocess.PIPE, stdout=subprocess.PIPE))
            figures.append([float(v) for v in procs[-1].stdout.readline().split()])
    finally:
        for p in procs:
            p.communicate("\n", timeout=60)
    for before, loaded, _ in figures:
        assert loaded - before <= 100, figures  # nothing copied by load_mnist() itself
    before, _, read_all = figures[1]
    assert read_all - before <= 100, figures  # the pages read are shared with the first process


# --- split_validation -----------------------------------------------------------------------------

def test_split_validation_takes_the_last_images_without_copying():
    x, t = np.arange(20.0).reshape(10, 2), np.arange(10)
    (xa, ta), (xv, tv) = split_validation(x, t, size=3)
    assert xa.shape == (7, 2) and xv.shape == (3, 2)
    assert np.array_equal(tv, [7, 8, 9]) and np.array_equal(ta, np.arange(7))
    assert np.shares_memory(xv, x)


def test_split_validation_shuffled_is_seeded_and_a_partition():
    x, t = np.arange(100.0).reshape(50, 2), np.arange(50)
    (_, ta), (_, tv) = split_validation(x, t, size=10, seed=1)
    (_, ta2), (_, tv2) = split_validation(x, t, size=10, seed=1)
    assert np.array_equal(tv, tv2) and np.array_equal(ta, ta2)
    assert sorted(np.concatenate([ta, tv]).tolist()) == list(range(50))
    assert not np.array_equal(tv, np.arange(40, 50))


@pytest.mark.parametrize("size, error", [(0, ValueError), (50, ValueError), (2.5, TypeError)])
def test_split_validation_refuses_bad_sizes(size, error):
    with pytest.raises(error, match="size"):
        split_validation(np.zeros((50, 2)), np.zeros(50, int), size=size)


# --- standardize ---------------------------------------------------------------------------------

def test_standardize_uses_the_published_mnist_mean_and_std(mnist_raw):
    """0.1307 and 0.3081 are the widely published mean and standard deviation of MNIST's training
    pixels in [0, 1] (e.g. torchvision's MNIST example): after standardize, a pixel value p is
    (p/255 - 0.1307) / 0.3081, in both sets."""
    (x, _), (x_test, _) = mnist_raw
    x_std, x_test_std = data.standardize(x / np.float32(255), x_test / np.float32(255))
    assert x_std.dtype == x_test_std.dtype == np.float32
    assert x_std.shape == x.shape and x_test_std.shape == x_test.shape
    for pixel in (0, 128, 255):
        expected = (pixel / 255 - 0.1307) / 0.3081
        assert x_std[x == pixel][0] == pytest.approx(expected, abs=2e-3)
        assert x_test_std[x_test == pixel][0] == pytest.approx(expected, abs=2e-3)
    assert float(x_std.mean(dtype=np.float64)) == pytest.approx(0, abs=1e-5)
    assert float(x_std.std(dtype=np.float64)) == pytest.approx(1, abs=1e-5)
    assert float(x_test_std.mean(dtype=np.float64)) != pytest.approx(0, abs=1e-3)  # the train's mean


def test_standardize_does_not_change_its_inputs_and_accepts_uint8(mnist_raw):
    (x, _), (x_test, _) = mnist_raw
    before = x[:100].copy()
    x_std, _ = data.standardize(x[:100], x_test[:10])
    assert np.array_equal(x[:100], before)
    by_hand = (x[:100] - x[:100].mean(dtype=np.float64)) / x[:100].std(dtype=np.float64)
    np.testing.assert_allclose(x_std, by_hand, rtol=1e-5, atol=1e-5)


def test_standardize_names_the_shapes_and_a_constant_input():
    with pytest.raises(ValueError, match=r"x_train \(5, 784\) and x_test \(5, 28, 28\)"):
        data.standardize(np.zeros((5, 784)), np.zeros((5, 28, 28)))
    with pytest.raises(ValueError, match="same value"):
        data.standardize(np.ones((5, 784)), np.ones((5, 784)))
