"""Files written whole or not at all.

A report file or a backup written straight to its name and cut short by a full disk (or a
killed process) leaves a file that looks like the real thing and is not. Writing to a temporary
name beside it, syncing, then renaming makes the name appear only once every byte is on disk."""

import errno
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .errors import DomainError

DISK_FULL = "Ổ đĩa đã đầy: không ghi được {name} (cần thêm chỗ trống); không có tệp nào bị ghi dở."
WRITE_FAILED = "Không ghi được {name}: {error}. Không có tệp nào bị ghi dở."


def _refusal(exc: OSError, path: Path) -> DomainError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DomainError(DISK_FULL.format(name=path.name), code="disk_full")
    return DomainError(WRITE_FAILED.format(name=path.name, error=exc.strerror or exc), code="write_failed")


def write_atomic(path: str | os.PathLike, data: bytes | Iterable[bytes]) -> int:
    """Writes `data` (bytes, or chunks of them) to `path` whole or not at all; returns the size.
    A full disk or any other write error leaves no file and no temporary file behind, and is
    raised as a DomainError with a Vietnamese message."""
    path = Path(path)
    chunks = [data] if isinstance(data, bytes | bytearray | memoryview) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    size = 0
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
                size += len(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise _refusal(exc, path) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return size
