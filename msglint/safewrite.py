"""Writing a file the user named (``--output``): only regular files, atomically, never overwriting unasked.

The text goes to a new temporary file in the same directory (``O_CREAT | O_EXCL | O_NOFOLLOW``, so
nobody else's file or link is ever opened), is flushed to disk, and is then put in place:

- without ``force`` by ``os.link``, which fails if the name exists by then, whatever it is, so
  there is no window between "does it exist?" and "create it";
- with ``force`` by ``os.rename`` over the existing regular file, which replaces the name and
  never writes through it.

Symbolic links, FIFOs, sockets, device nodes and directories are refused even with ``force``
(``/dev/full`` must not become a regular file). A new file gets mode 0644 minus the umask, as
``open()`` would give it; a replaced file keeps its mode.
"""
from __future__ import annotations

import errno
import os
import stat
from typing import Optional, Union

__all__ = ["WriteError", "check_target", "write_file"]


class WriteError(Exception):
    """The file cannot or may not be written; the message is one line naming the file."""


_KINDS = (
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def _what(mode: int) -> Optional[str]:
    """What a non-regular file is ("a FIFO", ...), None for a regular file."""
    for test, name in _KINDS:
        if test(mode):
            return name
    return None if stat.S_ISREG(mode) else "not a regular file"


def check_target(path: str, force: bool) -> Optional[os.stat_result]:
    """Refuse early what ``write_file`` would refuse; the existing file's stat, or None if there is none."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise WriteError(f"{path}: cannot write ({exc.strerror})") from None
    kind = _what(st.st_mode)
    if kind is not None:
        raise WriteError(f"{path}: is {kind}; --output writes only regular files")
    if not force:
        raise WriteError(f"{path} exists; use --force to overwrite it")
    return st


def write_file(path: str, data: Union[str, bytes], force: bool = False) -> None:
    """Write ``data`` (str as UTF-8) to ``path`` atomically; WriteError with a one-line reason."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    existing = check_target(path, force)
    directory = os.path.dirname(os.path.abspath(path))
    tmp, fd = _create_temporary(directory, path)
    try:
        try:
            if existing is not None:
                os.fchmod(fd, stat.S_IMODE(existing.st_mode))
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        if force:
            _replace(tmp, path, existing)
        else:
            _link_new(tmp, path)
    except OSError as exc:
        raise WriteError(f"{path}: cannot write ({exc.strerror or exc})") from None
    finally:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
    _sync_directory(directory)


def _create_temporary(directory: str, path: str) -> tuple[str, int]:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        tmp = os.path.join(directory, f".msglint-{os.urandom(6).hex()}.tmp")
        try:
            # 0o644: the kernel takes the umask off, as for any new file
            return tmp, os.open(tmp, flags, 0o644)
        except FileExistsError:
            continue
        except OSError as exc:
            raise WriteError(f"{path}: cannot write ({exc.strerror})") from None
    raise WriteError(f"{path}: cannot write (no free temporary name in {directory})")


def _link_new(tmp: str, path: str) -> None:
    """Give the temporary file its final name only if the name is still free (atomic)."""
    try:
        os.link(tmp, path, follow_symlinks=False)
    except FileExistsError:
        raise WriteError(f"{path} exists; use --force to overwrite it") from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise
        # a file system without hard links: rename only onto a free name, re-checked right before
        if os.path.lexists(path):
            raise WriteError(f"{path} exists; use --force to overwrite it") from None
        os.rename(tmp, path)


def _replace(tmp: str, path: str, existing: Optional[os.stat_result]) -> None:
    """Rename over ``path``, which must still be the regular file checked before (or still absent)."""
    try:
        now = os.lstat(path)
    except FileNotFoundError:
        now = None
    if now is not None:
        kind = _what(now.st_mode)
        if kind is not None:
            raise WriteError(f"{path}: is {kind}; --output writes only regular files")
        if existing is None or (now.st_dev, now.st_ino) != (existing.st_dev, existing.st_ino):
            # the file appeared or was replaced since the check: keep the mode it has now
            os.chmod(tmp, stat.S_IMODE(now.st_mode))
    os.rename(tmp, path)


def _sync_directory(directory: str) -> None:
    """Make the new name durable (best effort: not every file system lets a directory be fsynced)."""
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
