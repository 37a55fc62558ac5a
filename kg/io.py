"""Output-directory I/O: atomic files, the build lock, leftovers of killed builds.

* Atomic files: a reader never sees a half-written file, and a failed write
  (a full disk) leaves the old file whole and raises ``OutputError`` naming
  the file and the reason, which the CLI prints as one line (exit 2).
* The build lock: two builds into one directory would each replace the
  other's graph and prune the other's cache, so the second is refused with a
  message naming the first (``flock`` on ``DIR/.kg/build.lock``: the kernel
  drops it when the holder dies, so a killed build never leaves it stuck).
* Leftovers: a build killed half-way can leave temporary files and store
  directories; the next build (holding the lock) removes them.
"""
from __future__ import annotations

import errno
import os
import shutil
import socket
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from kg.errors import OutputError


def ensure_dir(path: str | Path) -> Path:
    """Create an output directory, or say in one line why it cannot be."""
    p = Path(path)
    try:
        p.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"cannot create output directory {p}: {err.strerror or err}") from err
    if not os.access(p, os.W_OK):
        raise OutputError(f"output directory {p} is not writable")
    return p


@contextmanager
def atomic_writer(path: str | Path, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Write to a temporary file beside ``path`` and rename it into place on success."""
    target = Path(path)
    binary = "b" in mode
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as err:
        raise OutputError(write_failure(target, err)) from err
    try:
        with os.fdopen(fd, mode, encoding=None if binary else encoding) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)     # mkstemp makes 0600; outputs are ordinary files
        os.replace(tmp, target)
    except BaseException as err:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(err, OSError):
            raise OutputError(write_failure(target, err)) from err
        raise


def write_failure(target: str | Path, err: OSError) -> str:
    """One line for a failed write that says what to do about it."""
    if err.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return (f"cannot write {target}: {err.strerror} (the disk or your quota is full); the previous "
                f"outputs were left as they were; free some space and build again")
    return f"cannot write {target}: {err.strerror or err}"


def atomic_write_text(path: str | Path, text: str) -> None:
    with atomic_writer(path) as fh:
        fh.write(text)


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    with atomic_writer(path, "wb") as fh:
        fh.write(data)


# --------------------------------------------------------------------------- build lock

LOCK_NAME = ".kg/build.lock"


class OutputLocked(OutputError):
    """Another build holds the output directory."""


@contextmanager
def locked_output(out: str | Path, what: str = "kg build") -> Iterator[Path]:
    """Hold ``DIR/.kg/build.lock`` for the body; refuse at once if another process holds it."""
    import fcntl

    out = Path(out)
    lock = out / LOCK_NAME
    try:
        lock.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as err:
        raise OutputError(write_failure(lock, err)) from err
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 500, 0).decode("utf-8", "replace").strip() or "another process"
            raise OutputLocked(f"{out} is being written by {holder}; wait for it to finish or "
                               f"build into another --out") from None
        stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime())
        info = f"{what} (pid {os.getpid()} on {socket.gethostname()}, started {stamp})"
        os.ftruncate(fd, 0)
        os.pwrite(fd, info.encode("utf-8"), 0)
        yield out
    finally:
        os.close(fd)       # closing drops the lock


# --------------------------------------------------------------------------- leftovers

#: what a killed build can leave behind in its output directory
LEFTOVER_PATTERNS = (".store-tmp-*", ".store-old-*", ".*.tmp", ".kg/.*.tmp", ".kg/extractions/.*.tmp",
                     ".kg/spill-*")


def clean_leftovers(out: str | Path) -> list[Path]:
    """Remove temporary files and store directories of killed builds; call with the lock held."""
    removed = []
    for pattern in LEFTOVER_PATTERNS:
        for path in Path(out).glob(pattern):
            try:
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path)
                else:
                    path.unlink()
                removed.append(path)
            except OSError:
                pass         # harmless: tried again by the next build
    return removed
