"""Atomic writes: output appears whole or not at all.

Every file egov-kg writes goes through here, so an interrupted or failed run never
leaves a half-written build/ file behind. A path that cannot be written (a folder,
no permission, a read-only disk) is a UsageError with one line, not a traceback.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kg.errors import UsageError


def write_text(path: Path, text: str) -> None:
    """Write text to path atomically (temp file in the same folder, then rename)."""
    write_bytes(path, text.encode("utf-8"))


def _file_mode(path: Path) -> int:
    """The mode a plain open() would give: the old file's, else 0o666 minus the umask.
    mkstemp makes its file 0o600, which would leave build/ outputs private after the rename."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _cannot_write(path: Path, exc: OSError) -> UsageError:
    return UsageError(f"cannot write {path}: {exc.strerror or exc}",
                      "give a writable file path (a folder or a read-only location will not do)")


def write_bytes(path: Path, data: bytes) -> None:
    """Write bytes to path atomically; the file keeps its mode if it existed."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise _cannot_write(path, exc) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, _file_mode(path))
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _cannot_write(path, exc) from exc
        raise


@contextmanager
def atomic_dir(path: Path) -> Iterator[Path]:
    """Build a directory in a temp sibling and swap it in only if the block succeeds.

    Errors raised inside the block pass through unchanged (the caller knows them best);
    only failing to create or swap the folder itself becomes a UsageError."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent))
    except OSError as exc:
        raise _cannot_write(path, exc) from exc
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = path.with_name(f".{path.name}.old")
    try:
        if path.exists():
            shutil.rmtree(old, ignore_errors=True)
            os.replace(path, old)
        try:
            os.replace(tmp, path)
        except OSError:
            if old.exists() and not path.exists():
                os.replace(old, path)  # put the previous version back
            raise
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise _cannot_write(path, exc) from exc
    shutil.rmtree(old, ignore_errors=True)
