"""Files that hold a secret: private directories, owners, a room check, atomic replacement.

``FileTokenStore`` (``eaccounting.tokens``) builds on these and words the errors; what is
here knows nothing about tokens.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from .errors import TokenStoreAccessError

__all__ = [
    "effective_uid",
    "foreign_symlink",
    "make_private_dirs",
    "reason",
    "replace_atomically",
    "write_probe",
]


def effective_uid() -> int | None:
    """This process's effective uid (None where there are no uids). A seam for tests."""
    geteuid = getattr(os, "geteuid", None)
    return int(geteuid()) if callable(geteuid) else None


def reason(exc: OSError) -> str:
    """The OS's words for ``exc`` ("Permission denied"), never a file's contents."""
    return exc.strerror or type(exc).__name__


def make_private_dirs(directory: Path) -> None:
    """Create ``directory`` and its missing parents as 0700, whatever the umask.

    ``Path.mkdir(parents=True)`` would create the parents 0777 & ~umask. Directories that
    exist already are left as they are.
    """
    missing: list[Path] = []
    current = directory
    while not os.path.lexists(current) and current != current.parent:
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        try:
            os.mkdir(path, 0o700)
        except FileExistsError:
            continue  # created meanwhile by someone else: not ours to chmod
        except OSError as exc:
            raise TokenStoreAccessError(
                f"cannot create the token directory {str(path)!r} ({reason(exc)}); expected "
                "a parent directory this process can write",
                path=str(path),
            ) from exc
        os.chmod(path, 0o700)  # mkdir's mode is masked by the umask


def foreign_symlink(path: Path, uid: int | None) -> tuple[Path, int] | None:
    """The first symlink on ``path``'s chain owned by neither ``uid`` nor root, and its owner.

    Such a link may have been planted to aim our writes at another file.
    """
    link = path
    for _ in range(40):  # the kernel's own limit on a chain of links
        try:
            info = os.lstat(link)
        except OSError:
            return None
        if not stat.S_ISLNK(info.st_mode):
            return None
        if uid not in (None, 0) and info.st_uid not in (uid, 0):
            return link, info.st_uid
        link = link.parent / os.readlink(link)
    return None


def write_probe(directory: Path, prefix: str, size: int) -> None:
    """Create, fill with ``size`` bytes, fsync and delete a hidden file in ``directory``.

    Raises the ``OSError`` of the step that failed (no permission, read-only, no room).
    """
    fd, probe = tempfile.mkstemp(prefix=prefix, suffix=".probe", dir=directory)
    try:
        written = 0
        while written < size:
            written += os.write(fd, bytes(size - written))
        os.fsync(fd)
    finally:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(probe)


def replace_atomically(real: Path, payload: bytes) -> None:
    """Write ``payload`` to a temporary file next to ``real``, fsync it, rename it onto ``real``.

    A crash leaves the old file or the new one, never a partial one. A new file is 0600; an
    existing one keeps its mode, and its owner where this process may give it (root).
    """
    directory = real.parent
    make_private_dirs(directory)
    try:
        previous: os.stat_result | None = os.stat(real)
    except FileNotFoundError:
        previous = None
    fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=directory)
    try:
        if previous is None:
            os.fchmod(fd, 0o600)
        else:
            os.fchmod(fd, stat.S_IMODE(previous.st_mode))
            _keep_owner(fd, previous)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, real)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    # Make the rename itself durable.
    with contextlib.suppress(OSError):
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _keep_owner(fd: int, previous: os.stat_result) -> None:
    """Give the new file the old one's owner and group (root rewriting a user's file)."""
    mine = os.fstat(fd)
    if (mine.st_uid, mine.st_gid) == (previous.st_uid, previous.st_gid):
        return
    if effective_uid() == 0:
        os.fchown(fd, previous.st_uid, previous.st_gid)
    else:
        # Anyone may hand a file to a group they belong to; otherwise it keeps ours.
        with contextlib.suppress(PermissionError):
            os.fchown(fd, -1, previous.st_gid)
