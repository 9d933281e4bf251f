"""Raw documents on disk: which files are documents, their ids, and reading one into text."""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from .decode import decode_text, read_raw_bytes
from .model import Rejected

TEXT_SUFFIXES = (".txt",)
DEFAULT_MAX_BYTES = 20_000_000


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file in the raw folder: its id (the output name) and its path relative to the folder."""

    doc_id: str
    source: str
    fs_path: str  # the path as the file system spells it (may hold undecodable bytes)


@dataclass(frozen=True, slots=True)
class RawDocument:
    doc_id: str
    source: str
    sha256: str
    encoding: str
    text: str


@dataclass(frozen=True, slots=True)
class SourceRejection:
    doc_id: str
    source: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.doc_id, "source": self.source, "reason": self.reason}


def _printable(name: str) -> str:
    """A file name as text even when its bytes are not UTF-8 (shown with replacement marks)."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def split_name(relative: str) -> tuple[str, str, bool]:
    """(id, kind suffix, gzipped) of a relative path: 'a/b.txt.gz' -> ('a/b', '.txt', True)."""
    gzipped = relative.lower().endswith(".gz")
    base = relative[:-3] if gzipped else relative
    stem, dot, suffix = base.rpartition(".")
    if not dot or "/" in suffix:
        return base, "", gzipped
    return stem, "." + suffix.lower(), gzipped


def discover(raw_dir: Path) -> tuple[list[SourceFile], list[SourceRejection]]:
    """Every file under raw_dir, sorted: the documents to clean, and the files rejected at sight.

    Unsupported kinds and a second file with an id already taken are rejected here with a reason,
    so that every file in the raw folder ends up either cleaned or rejected.
    """
    accepted: list[SourceFile] = []
    rejected: list[SourceRejection] = []
    seen: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(raw_dir):
        dirnames.sort()
        for filename in sorted(filenames):
            fs_path = os.path.relpath(os.path.join(dirpath, filename), raw_dir)
            relative = _printable(fs_path.replace(os.sep, "/"))
            doc_id, suffix, _ = split_name(relative)
            if suffix not in TEXT_SUFFIXES:
                what = f"'{suffix}'" if suffix else "no extension"
                rejected.append(
                    SourceRejection(
                        doc_id, relative, f"unsupported file type ({what}); newsclean reads .txt and .txt.gz"
                    )
                )
            elif doc_id in seen:
                rejected.append(SourceRejection(doc_id, relative, f"id '{doc_id}' is already taken by {seen[doc_id]}"))
            else:
                seen[doc_id] = relative
                accepted.append(SourceFile(doc_id, relative, fs_path))
    return accepted, rejected


def read_document(raw_dir: Path, source: SourceFile, *, max_bytes: int = DEFAULT_MAX_BYTES) -> RawDocument:
    """Reads and decodes one document; raises Rejected with the reason when it cannot be cleaned."""
    path = raw_dir / source.fs_path
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            raise Rejected("not a regular file")
        size = status.st_size
        if size > max_bytes:
            raise Rejected(f"file is {size:,} bytes, over the size limit of {max_bytes:,} bytes")
        data = path.read_bytes()
    except OSError as exc:
        raise Rejected(f"cannot read the file: {exc.strerror or exc}") from None
    _, _, gzipped = split_name(source.source)
    content = read_raw_bytes(data, gzipped=gzipped, max_bytes=max_bytes)
    decoded = decode_text(content)
    return RawDocument(source.doc_id, source.source, hashlib.sha256(data).hexdigest(), decoded.encoding, decoded.text)
