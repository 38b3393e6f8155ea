"""Reading an input file, at most as many bytes as accord reads (accord.config's file limit), and
writing an output file all at once."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

from accord.config import FILE_BYTES_VARIABLE


def read_limited(path: str | Path, limit: int) -> bytes:
    """At most ``limit`` bytes of the file; :class:`FileTooLarge` when it holds more (or never ends).

    ``OSError`` passes through for the caller to name."""
    with open(path, "rb") as handle:
        raw = handle.read(limit + 1)
    if len(raw) > limit:
        raise FileTooLarge(limit)
    return raw


class FileTooLarge(Exception):
    """A file holds more bytes than accord reads (the limit is in the message)."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"the file is larger than {limit:,} bytes, the most accord reads "
            f"(set ${FILE_BYTES_VARIABLE} to change it)"
        )


def write_atomically(path: str | Path, write: Callable[[Path], object]) -> None:
    """Write ``path`` all at once, never half-written: ``write`` fills a temporary file next to it,
    which then replaces it.

    An ``OSError`` names ``path``, the file the user asked for, never the temporary one (which is
    removed)."""
    target = Path(path)
    temporary = target.with_name(f".{target.name}.tmp")
    with errors_name(target):
        try:
            write(temporary)
            temporary.replace(target)
        except OSError:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
            raise


@contextlib.contextmanager
def errors_name(path: str | Path) -> Iterator[None]:
    """An ``OSError`` raised inside (on a temporary file next to ``path``, say) names ``path``: the
    file the user gave is what a message must show."""
    try:
        yield
    except OSError as error:
        if error.errno is None:
            raise
        raise OSError(error.errno, error.strerror, str(path)) from error


def write_text_atomically(path: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` all at once; see :func:`write_atomically`."""
    write_atomically(path, lambda temporary: temporary.write_text(text, encoding="utf-8"))
