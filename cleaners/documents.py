"""Raw documents on disk: which files are documents, their ids, and reading them into text.

Three kinds of input: one text document a file (`.txt`, `.txt.gz`), one HTML page a file (`.html`,
`.htm`, and `.gz`), and JSON Lines shards of many documents (`.jsonl`, `.jsonl.gz`: one object a
line with `id`, `text` or `html`, optional `url`), read as a stream so that memory does not grow
with the shard. An HTML page is read as its visible text (the text every offset refers to) with
the lines trafilatura left out of the article as removals to start from.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import stat
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .decode import decode_text, read_raw_bytes
from .html import ExtractedPage, extract_page, visible_text
from .model import Hit, Rejected

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
SHARD_SUFFIXES = (".jsonl",)
DEFAULT_MAX_BYTES = 20_000_000


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file in the raw folder: its id (the output name) and its path relative to the folder."""

    doc_id: str
    source: str
    fs_path: str  # the path as the file system spells it (may hold undecodable bytes)
    kind: str = "text"  # "text", "html": one document; "shard": JSON Lines of documents
    size: int = 0
    mtime_ns: int = 0
    known_sha256: str | None = None  # the content hash an earlier run cleaned under the same rules

    @property
    def gzipped(self) -> bool:
        return self.source.lower().endswith(".gz")


@dataclass(frozen=True, slots=True)
class RawDocument:
    doc_id: str
    source: str
    sha256: str
    encoding: str
    text: str
    url: str | None = None
    page: ExtractedPage | None = None  # HTML only: `text` is page.text, the page's visible text

    @property
    def is_html(self) -> bool:
        return self.page is not None

    @property
    def prior(self) -> tuple[Hit, ...] | None:
        """What the HTML extractor left out; None for text, or when it found no article."""
        return self.page.removals if self.page is not None else None


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
    """Every file under raw_dir, sorted: the sources to clean, and the files rejected at sight.

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
            if suffix in TEXT_SUFFIXES:
                kind = "text"
            elif suffix in HTML_SUFFIXES:
                kind = "html"
            elif suffix in SHARD_SUFFIXES:
                kind = "shard"
            else:
                what = f"'{suffix}'" if suffix else "no extension"
                reason = f"unsupported file type ({what}); newsclean reads .txt, .html, .htm and .jsonl, optionally .gz"
                rejected.append(SourceRejection(doc_id, relative, reason))
                continue
            if doc_id in seen:
                rejected.append(SourceRejection(doc_id, relative, f"id '{doc_id}' is already taken by {seen[doc_id]}"))
                continue
            seen[doc_id] = relative
            try:
                status = os.stat(os.path.join(dirpath, filename))
            except OSError as exc:
                rejected.append(SourceRejection(doc_id, relative, f"cannot read the file: {exc.strerror or exc}"))
                continue
            accepted.append(SourceFile(doc_id, relative, fs_path, kind, status.st_size, status.st_mtime_ns))
    return accepted, rejected


def _read_bytes(raw_dir: Path, source: SourceFile, max_bytes: int) -> bytes:
    path = raw_dir / source.fs_path
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            raise Rejected("not a regular file")
        if status.st_size > max_bytes:
            raise Rejected(f"file is {status.st_size:,} bytes, over the size limit of {max_bytes:,} bytes")
        return path.read_bytes()
    except OSError as exc:
        raise Rejected(f"cannot read the file: {exc.strerror or exc}") from None


def read_document(
    raw_dir: Path,
    source: SourceFile,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    html_options: dict[str, Any] | None = None,
) -> RawDocument:
    """Reads and decodes one document; raises Rejected with the reason when it cannot be cleaned.

    An HTML page goes through trafilatura with `html_options` (the rules file's [html] table);
    without them only its visible text is read, which is all that the log tools need.
    """
    data = _read_bytes(raw_dir, source, max_bytes)
    content = read_raw_bytes(data, gzipped=source.gzipped, max_bytes=max_bytes)
    decoded = decode_text(content)
    doc = RawDocument(source.doc_id, source.source, hashlib.sha256(data).hexdigest(), decoded.encoding, decoded.text)
    return html_document(doc, html_options) if split_name(source.source)[1] in HTML_SUFFIXES else doc


def html_document(doc: RawDocument, html_options: dict[str, Any] | None) -> RawDocument:
    """The page as the cleaner reads it: its visible text, and what the extractor left out."""
    page = ExtractedPage(visible_text(doc.text)) if html_options is None else extract_page(doc.text, html_options)
    if html_options is not None and not page.text.strip():
        raise Rejected("the page has no visible text")
    return replace(doc, text=page.text, page=page)


def file_sha256(raw_dir: Path, source: SourceFile) -> str:
    digest = hashlib.sha256()
    with (raw_dir / source.fs_path).open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def iter_shard(
    raw_dir: Path,
    source: SourceFile,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    html_options: dict[str, Any] | None = None,
) -> Iterator[RawDocument | SourceRejection]:
    """The documents of a JSON Lines shard, one at a time; a bad line is a rejection, not an error."""
    path = raw_dir / source.fs_path
    try:
        stream = gzip.open(path, "rb") if source.gzipped else path.open("rb")  # noqa: SIM115 (closed below)
    except OSError as exc:
        yield SourceRejection(source.doc_id, source.source, f"cannot read the shard: {exc.strerror or exc}")
        return
    with stream:
        try:
            yield from _shard_records(stream, source, max_bytes, html_options)
        except (OSError, EOFError, zlib.error) as exc:
            yield SourceRejection(source.doc_id, source.source, f"the shard breaks off: {exc}")


def _shard_records(
    stream: io.BufferedIOBase, source: SourceFile, max_bytes: int, html_options: dict[str, Any] | None
) -> Iterator[RawDocument | SourceRejection]:
    for number, line in enumerate(stream, start=1):
        where = f"{source.source}:{number}"
        fallback_id = f"{source.doc_id}:{number}"
        if not line.strip():
            continue
        if len(line) > max_bytes:
            yield SourceRejection(fallback_id, where, f"record is over the size limit of {max_bytes:,} bytes")
            continue
        try:
            record: Any = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            yield SourceRejection(fallback_id, where, f"not a JSON object: {exc}")
            continue
        if not isinstance(record, dict):
            yield SourceRejection(fallback_id, where, "not a JSON object")
            continue
        doc_id = str(record.get("id") or fallback_id)
        text = record.get("text")
        html = record.get("html")
        content = text if isinstance(text, str) else html
        if not isinstance(content, str):
            yield SourceRejection(doc_id, where, "the record has neither a 'text' nor an 'html' string")
            continue
        if not content.strip():
            yield SourceRejection(doc_id, where, "empty text")
            continue
        sha = hashlib.sha256(content.encode("utf-8", "surrogatepass")).hexdigest()
        url = record.get("url") if isinstance(record.get("url"), str) else None
        doc = RawDocument(doc_id, where, sha, "utf-8", content, url)
        if content is html:
            try:
                doc = html_document(doc, html_options)
            except Rejected as exc:
                yield SourceRejection(doc_id, where, str(exc))
                continue
        yield doc
