"""Writing outputs so that a crash never leaves a half-written file: temp file, then rename."""

from __future__ import annotations

import gzip
import io
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

TEMP_SUFFIX = ".newsclean-tmp"


def atomic_write_text(path: Path, text: str) -> None:
    """Writes text to path atomically: readers see the old file or the whole new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


class AtomicWriter:
    """A text file written as a stream and put in place only when complete (gzip on request)."""

    def __init__(self, path: Path, *, gzipped: bool = False) -> None:
        self.path = path
        self.gzipped = gzipped

    def __enter__(self) -> AtomicWriter:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, self.temp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.", suffix=TEMP_SUFFIX)
        raw = os.fdopen(fd, "wb")
        self._raw = raw
        binary = gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6) if self.gzipped else raw
        self._binary = binary
        self._handle = io.TextIOWrapper(binary, encoding="utf-8", newline="")
        return self

    def write(self, text: str) -> None:
        self._handle.write(text)

    def __exit__(self, exc_type: object, exc: object, traceback: object) -> None:
        try:
            self._handle.close()  # closes the gzip stream and the file under it
            if self.gzipped:
                self._raw.close()
        finally:
            if exc_type is None:
                os.replace(self.temp, self.path)
            else:
                Path(self.temp).unlink(missing_ok=True)


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
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=TEMP_SUFFIX)
    lines = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            for part in parts:
                with part.open(encoding="utf-8") as handle:
                    for line in handle:
                        out.write(line)
                        lines += 1
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return lines


def sweep_temp_files(folder: Path) -> int:
    """Deletes temp files a killed run left behind; returns how many."""
    if not folder.is_dir():
        return 0
    removed = 0
    for temp in folder.rglob(f".*{TEMP_SUFFIX}"):
        temp.unlink(missing_ok=True)
        removed += 1
    return removed


class RunSetupError(ValueError):
    """A run that cannot start (missing raw folder, clean folder inside it, bad rules file)."""


def check_folders(raw: str, clean: str) -> tuple[Path, Path]:
    """Absolute raw and clean folders, or a RunSetupError that says what is wrong."""
    raw_dir, clean_dir = Path(raw).expanduser().resolve(), Path(clean).expanduser().resolve()
    if not raw_dir.exists():
        raise RunSetupError(f"raw folder not found: {raw}")
    if not raw_dir.is_dir():
        raise RunSetupError(f"raw folder is not a folder: {raw}")
    if clean_dir == raw_dir or raw_dir in clean_dir.parents:
        raise RunSetupError(f"the clean folder {clean} is inside the raw folder {raw}; the raw folder is never written")
    if clean_dir.exists() and not clean_dir.is_dir():
        raise RunSetupError(f"clean folder is not a folder: {clean}")
    return raw_dir, clean_dir
