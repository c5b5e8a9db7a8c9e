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
        return 0o666 & ~_umask()


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def _cannot_write(path: Path, exc: OSError) -> UsageError:
    return UsageError(f"cannot write {path}: {exc.strerror or exc}",
                      "give a writable file path (a folder or a read-only location will not do)")


def _tmp_prefix(path: Path) -> str:
    """Temp names carry the writer's pid, so a later run can tell a dead writer's leftovers
    (a SIGKILL leaves no chance to clean up) from a live writer's files: see sweep_stale."""
    return f".{path.name}.{os.getpid()}."


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_stale(folder: Path) -> list[Path]:
    """Remove temp files and folders that a killed egov-kg run left in folder (pid no longer alive)."""
    removed = []
    for p in Path(folder).glob(".*.tmp"):
        parts = p.name.split(".")
        pid = next((int(x) for x in parts[2:-1] if x.isdigit()), None)
        if pid is not None and pid != os.getpid() and not _alive(pid):
            shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)
            removed.append(p)
    return removed


BUILD_ID_LINE = "# egovkg build "


def read_build_id(path: Path) -> str | None:
    """The build id written in the first line of a build output (egov.trig, egov.ttl), if any."""
    try:
        with open(path, "rb") as fh:
            first = fh.readline(200).decode("utf-8", "replace").strip()
    except OSError:
        return None
    return first[len(BUILD_ID_LINE):].strip() or None if first.startswith(BUILD_ID_LINE.strip()) else None


@contextmanager
def atomic_files(paths: list[Path]) -> Iterator[list[Path]]:
    """Write several files as one: the block writes temp siblings, which are renamed over
    the targets only if it succeeds (a failed block leaves the old files and no temps).

    The renames are consecutive, not one atomic step; outputs that must pair carry a
    build id (read_build_id) so a reader can tell a mixed pair after a kill."""
    paths = [Path(p) for p in paths]
    tmps: list[Path] = []
    try:
        for p in paths:
            p.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=_tmp_prefix(p), suffix=".tmp", dir=p.parent)
            os.close(fd)
            tmps.append(Path(tmp))
    except OSError as exc:
        for t in tmps:
            t.unlink(missing_ok=True)
        raise _cannot_write(paths[len(tmps)], exc) from exc
    try:
        yield tmps
        for p, t in zip(paths, tmps, strict=True):
            os.chmod(t, _file_mode(p))
        for p, t in zip(paths, tmps, strict=True):
            os.replace(t, p)
    except BaseException as exc:
        for t in tmps:
            t.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _cannot_write(paths[0], exc) from exc
        raise


def write_bytes(path: Path, data: bytes) -> None:
    """Write bytes to path atomically; the file keeps its mode if it existed."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=_tmp_prefix(path), suffix=".tmp", dir=path.parent)
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
        tmp = Path(tempfile.mkdtemp(prefix=_tmp_prefix(path), suffix=".tmp", dir=path.parent))
    except OSError as exc:
        raise _cannot_write(path, exc) from exc
    try:
        os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp's 0o700 would make a build private
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = path.with_name(f"{_tmp_prefix(path)}old.tmp")
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
