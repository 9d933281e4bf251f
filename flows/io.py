"""Writing outputs so that a crash never leaves a half-written file: temp file, then rename.

Temp files sit beside their target under a short name of their own (a target's name may be as long
as the file system allows) and get the permissions an ordinary file would (0666 less the umask).
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

TEMP_SUFFIX = ".newsclean-tmp"


def _current_umask() -> int:
    """The process's umask, read without changing it where /proc tells it (no race with threads)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


FILE_MODE = 0o666 & ~_current_umask()


class _TempFile:
    """A binary temp file beside `path`: commit() puts it in place, abort() deletes it."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, self.name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:40]}.", suffix=TEMP_SUFFIX)
        self.path = path
        self.handle: IO[bytes] = os.fdopen(fd, "wb")
        os.fchmod(fd, FILE_MODE)

    def commit(self) -> None:
        self.handle.close()
        os.replace(self.name, self.path)

    def abort(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.handle.close()
        Path(self.name).unlink(missing_ok=True)


@contextlib.contextmanager
def _replacing(path: Path) -> Iterator[IO[bytes]]:
    """A binary handle whose content replaces path atomically when the block ends without error."""
    temp = _TempFile(path)
    try:
        yield temp.handle
        temp.commit()
    except BaseException:
        temp.abort()
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """Writes text to path atomically: readers see the old file or the whole new one."""
    with _replacing(path) as handle:
        handle.write(text.encode("utf-8"))


class AtomicWriter:
    """A text file written as a stream and put in place only when complete (gzip on request)."""

    def __init__(self, path: Path, *, gzipped: bool = False) -> None:
        self.path = path
        self.gzipped = gzipped

    def __enter__(self) -> AtomicWriter:
        self._temp = _TempFile(self.path)
        raw = self._temp.handle
        binary = gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6) if self.gzipped else raw
        self._handle = io.TextIOWrapper(binary, encoding="utf-8", newline="")
        return self

    def write(self, text: str) -> None:
        self._handle.write(text)

    def __exit__(self, exc_type: object, exc: object, traceback: object) -> None:
        if exc_type is None:
            try:
                self._handle.close()  # flushes the gzip stream; the file under it is closed by commit
                self._temp.commit()
                return
            except BaseException:
                self._abort()
                raise
        self._abort()

    def _abort(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self._handle.close()
        self._temp.abort()


def atomic_write_json(path: Path, value: Any) -> None:
    atomic_write_text(path, readable_json(value))


def readable_json(value: Any) -> str:
    """JSON for people and machines: a dict's fields one a line, a list's items one a line.

    Every piece goes through json's C encoder: an indented dump runs its Python encoder, which
    cost more a document than most rules.
    """

    def encode(item: Any) -> str:
        return json.dumps(item, ensure_ascii=False)

    def field(item: Any) -> str:
        if isinstance(item, list) and item:
            return "[\n" + ",\n".join("  " + encode(element) for element in item) + "\n ]"
        return encode(item)

    if not isinstance(value, dict) or not value:
        return encode(value) + "\n"
    return "{\n" + ",\n".join(f" {encode(str(key))}: {field(item)}" for key, item in value.items()) + "\n}\n"


def jsonl(records: Iterable[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def concatenate_atomically(parts: list[Path], target: Path) -> int:
    """Streams part files into one target file atomically; returns the number of lines."""
    lines = 0
    with _replacing(target) as out:
        for part in parts:
            with part.open("rb") as handle:
                for line in handle:
                    out.write(line)
                    lines += 1
    return lines


def sweep_temp_files(folder: Path) -> int:
    """Deletes temp files a killed run left behind; returns how many. Only the run holding the
    folder's lock may call it: another live run's temp files look the same."""
    if not folder.is_dir():
        return 0
    removed = 0
    for temp in folder.rglob(f".*{TEMP_SUFFIX}"):
        temp.unlink(missing_ok=True)
        removed += 1
    return removed


class RunSetupError(ValueError):
    """A run that cannot start (missing raw folder, overlapping folders, bad rules file, folder in use)."""


def check_folders(raw: str, clean: str) -> tuple[Path, Path]:
    """Absolute raw and clean folders, or a RunSetupError that says what is wrong.

    Neither may hold the other: a clean folder inside the raw one would be read as input, and a
    raw folder inside the clean one would be written over by outputs and swept of temp files.
    """
    if not str(raw).strip():
        raise RunSetupError("no raw folder given")
    if not str(clean).strip():
        raise RunSetupError("no clean folder given")
    raw_dir, clean_dir = Path(raw).expanduser().resolve(), Path(clean).expanduser().resolve()
    if not raw_dir.exists():
        raise RunSetupError(f"raw folder not found: {raw}")
    if not raw_dir.is_dir():
        raise RunSetupError(f"raw folder is not a folder: {raw}")
    if clean_dir == raw_dir:
        raise RunSetupError(f"the clean folder {clean} is the raw folder; the raw folder is never written")
    if raw_dir in clean_dir.parents:
        raise RunSetupError(f"the clean folder {clean} is inside the raw folder {raw}; the raw folder is never written")
    if clean_dir in raw_dir.parents:
        raise RunSetupError(
            f"the raw folder {raw} is inside the clean folder {clean}; outputs would be written over it. "
            "Choose a clean folder beside the raw one"
        )
    if clean_dir.exists() and not clean_dir.is_dir():
        raise RunSetupError(f"clean folder is not a folder: {clean}")
    return raw_dir, clean_dir
