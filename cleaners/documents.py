"""Raw documents on disk: which files are documents, their ids, and reading them into text.

Three kinds of input: one text document a file (`.txt`, `.txt.gz`), one HTML page a file (`.html`,
`.htm`, and `.gz`), and JSON Lines shards of many documents (`.jsonl`, `.jsonl.gz`: one object a
line with `id`, `text` or `html`, optional `url`), read as a stream so that memory does not grow
with the shard. An HTML page is read as its visible text (the text every offset refers to) with
the lines trafilatura left out of the article as removals to start from.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import os
import re
import stat
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

from .decode import decode_text, read_raw_bytes
from .html import ExtractedPage, extract_page, visible_text
from .model import Rejected

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
    # A shard's records whose id another source holds: (line number, why), rejected when it is cleaned.
    taken_lines: tuple[tuple[int, str], ...] = ()

    @property
    def gzipped(self) -> bool:
        return self.source.lower().endswith(".gz")

    @property
    def outputs(self) -> tuple[str, ...]:
        """The files its cleaning writes, relative to the clean folder (CONTRACT.md)."""
        return output_names(self.doc_id, self.kind, gzipped=self.gzipped)


SOURCE_TEXT_SUFFIX = ".source.txt"
# Folders of the clean folder's own: no document's output may go into them.
RESERVED_FOLDERS = frozenset({"_runs", "_state", "_serve"})
NAME_MAX_BYTES = 255


def output_names(doc_id: str, kind: str, *, gzipped: bool = False) -> tuple[str, ...]:
    """A document's outputs: its text and record (and for a page its visible text); a shard's
    cleaned records in one file named like the shard."""
    if kind == "shard":
        return (doc_id + (".jsonl.gz" if gzipped else ".jsonl"),)
    names = (doc_id + ".txt", doc_id + ".json")
    return (*names, doc_id + SOURCE_TEXT_SUFFIX) if kind == "html" else names


@dataclass(frozen=True, slots=True)
class RawDocument:
    doc_id: str
    source: str
    sha256: str
    encoding: str
    text: str
    url: str | None = None
    page: ExtractedPage | None = None  # HTML only: `text` is page.text, the page's visible text
    replacements: int = 0  # characters that could not be decoded, each read as U+FFFD

    @property
    def is_html(self) -> bool:
        return self.page is not None


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


_FILE_TYPES = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a named pipe",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}


def kind_of(suffix: str) -> str | None:
    """The kind of source a file suffix names (text, html, shard), or None for what is not read."""
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix in HTML_SUFFIXES:
        return "html"
    return "shard" if suffix in SHARD_SUFFIXES else None


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


class _OutputClaims:
    """The clean folder's names that sources claimed so far, so that no two write the same file,
    and none writes a file where another needs a folder (`a.txt` beside a folder `a.txt/`)."""

    def __init__(self) -> None:
        self.files: dict[str, str] = {}
        self.folders: dict[str, str] = {}

    def conflict(self, outputs: tuple[str, ...]) -> str | None:
        """Why these outputs cannot be written, or None."""
        for output in outputs:
            parts = output.split("/")
            if len(parts) > 1 and parts[0] in RESERVED_FOLDERS:
                return f"its output would go into the clean folder's own {parts[0]}/ folder"
            longest = max(parts, key=lambda part: len(part.encode("utf-8")))
            if len(longest.encode("utf-8")) > NAME_MAX_BYTES:
                return (
                    f"its name is too long for its outputs ({len(longest.encode('utf-8'))} bytes in "
                    f"'{longest[:40]}...'; a file name holds at most {NAME_MAX_BYTES})"
                )
            if output in self.files:
                return f"its output {output} would overwrite the output of {self.files[output]}"
            if output in self.folders:
                return f"its output {output} is a folder of the outputs of {self.folders[output]}"
            for depth in range(1, len(parts)):
                folder = "/".join(parts[:depth])
                if folder in self.files:
                    return f"its output {output} needs a folder where {self.files[folder]} writes the file {folder}"
        return None

    def claim(self, outputs: tuple[str, ...], source: str) -> None:
        for output in outputs:
            self.files[output] = source
            parts = output.split("/")
            for depth in range(1, len(parts)):
                self.folders.setdefault("/".join(parts[:depth]), source)


def discover(raw_dir: Path) -> tuple[list[SourceFile], list[SourceRejection]]:
    """Every file under raw_dir, sorted: the sources to clean, and the entries rejected at sight.

    Unsupported kinds, ids or outputs already taken, links out of the raw folder, links to folders,
    files that are not regular files and folders that cannot be read are rejected here with a
    reason, so that every entry of the raw folder ends up either cleaned or rejected.
    """
    accepted: list[SourceFile] = []
    rejected: list[SourceRejection] = []
    seen: dict[str, str] = {}
    claims = _OutputClaims()
    root = os.path.realpath(raw_dir)

    def relative_name(path: str) -> str:
        return _printable(os.path.relpath(path, raw_dir).replace(os.sep, "/"))

    def refuse(path: str, reason: str) -> None:
        relative = relative_name(path)
        rejected.append(SourceRejection(split_name(relative)[0], relative, reason))

    def unreadable_folder(error: OSError) -> None:
        refuse(str(error.filename), f"cannot read the folder: {error.strerror or error}; its files are not cleaned")

    for dirpath, dirnames, filenames in os.walk(raw_dir, onerror=unreadable_folder):
        dirnames.sort()
        for name in [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            dirnames.remove(name)  # os.walk would pass over it in silence
            refuse(os.path.join(dirpath, name), "a link to a folder; links to folders are not followed")
        for filename in sorted(filenames):
            path = os.path.join(dirpath, filename)
            fs_path = os.path.relpath(path, raw_dir)
            relative = relative_name(path)
            doc_id, suffix, gzipped = split_name(relative)
            kind = kind_of(suffix)
            if kind is None:
                what = f"'{suffix}'" if suffix else "no extension"
                reason = f"unsupported file type ({what}); newsclean reads .txt, .html, .htm and .jsonl, optionally .gz"
                rejected.append(SourceRejection(doc_id, relative, reason))
                continue
            if os.path.islink(path) and not _inside(os.path.realpath(path), root):
                reason = "a link to a file outside the raw folder; not followed"
                rejected.append(SourceRejection(doc_id, relative, reason))
                continue
            try:
                status = os.stat(path)
            except OSError as exc:
                rejected.append(SourceRejection(doc_id, relative, f"cannot read the file: {exc.strerror or exc}"))
                continue
            if not stat.S_ISREG(status.st_mode):
                what = _FILE_TYPES.get(stat.S_IFMT(status.st_mode), "a special file")
                rejected.append(SourceRejection(doc_id, relative, f"not a regular file ({what})"))
                continue
            if doc_id in seen:
                rejected.append(SourceRejection(doc_id, relative, f"id '{doc_id}' is already taken by {seen[doc_id]}"))
                continue
            outputs = output_names(doc_id, kind, gzipped=gzipped)
            conflict = claims.conflict(outputs)
            if conflict:
                rejected.append(SourceRejection(doc_id, relative, conflict))
                continue
            seen[doc_id] = relative
            claims.claim(outputs, relative)
            accepted.append(SourceFile(doc_id, relative, fs_path, kind, status.st_size, status.st_mtime_ns))
    return accepted, rejected


def open_source(raw_dir: Path, source: SourceFile) -> int:
    """A read-only descriptor of a regular file inside the raw folder, or Rejected.

    Opened without blocking (a named pipe put in place of a file answers at once) and checked
    again after opening: a link may have changed since the folder was listed.
    """
    path = os.path.join(raw_dir, source.fs_path)
    real = os.path.realpath(path)
    if not _inside(real, os.path.realpath(raw_dir)):
        raise Rejected("a link to a file outside the raw folder; not followed")
    try:
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError as exc:
        raise Rejected(f"cannot read the file: {exc.strerror or exc}") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise Rejected(f"not a regular file ({_FILE_TYPES.get(stat.S_IFMT(mode), 'a special file')})")
    return fd


def _read_bytes(raw_dir: Path, source: SourceFile, max_bytes: int) -> bytes:
    fd = open_source(raw_dir, source)
    with os.fdopen(fd, "rb") as handle:
        try:
            size = os.fstat(fd).st_size
            if size > max_bytes:
                raise Rejected(f"file is {size:,} bytes, over the size limit of {max_bytes:,} bytes")
            data = handle.read(max_bytes + 1)  # a file that grew since is still read no further
        except OSError as exc:
            raise Rejected(f"cannot read the file: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise Rejected(f"file is over the size limit of {max_bytes:,} bytes")
    return data


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
    is_page = split_name(source.source)[1] in HTML_SUFFIXES
    decoded = decode_text(content, html=is_page)
    sha256 = hashlib.sha256(data).hexdigest()
    doc = RawDocument(
        source.doc_id, source.source, sha256, decoded.encoding, decoded.text, replacements=decoded.replaced
    )
    return html_document(doc, html_options) if is_page else doc


def html_document(doc: RawDocument, html_options: dict[str, Any] | None) -> RawDocument:
    """The page as the cleaner reads it: its visible text, and what the extractor left out."""
    page = ExtractedPage(visible_text(doc.text)) if html_options is None else extract_page(doc.text, html_options)
    if html_options is not None and not page.text.strip():
        raise Rejected("the page has no visible text")
    return replace(doc, text=page.text, page=page)


def file_sha256(raw_dir: Path, source: SourceFile) -> str:
    """The SHA-256 of a source's bytes, read in chunks; Rejected when it cannot be read."""
    digest = hashlib.sha256()
    with os.fdopen(open_source(raw_dir, source), "rb") as handle:
        try:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        except OSError as exc:
            raise Rejected(f"cannot read the file: {exc.strerror or exc}") from None
    return digest.hexdigest()


@contextlib.contextmanager
def _shard_stream(raw_dir: Path, source: SourceFile) -> Iterator[IO[bytes]]:
    """The shard's bytes, gunzipped when it is gzipped; Rejected when it cannot be opened."""
    with os.fdopen(open_source(raw_dir, source), "rb") as handle:
        if not source.gzipped:
            yield handle
            return
        with gzip.GzipFile(fileobj=handle, mode="rb") as stream:
            yield stream


def iter_shard(
    raw_dir: Path,
    source: SourceFile,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    html_options: dict[str, Any] | None = None,
) -> Iterator[RawDocument | SourceRejection]:
    """The documents of a JSON Lines shard, one at a time; a bad line is a rejection, not an error."""
    try:
        with _shard_stream(raw_dir, source) as stream:
            yield from _shard_records(stream, source, max_bytes, html_options)
    except Rejected as exc:
        yield SourceRejection(source.doc_id, source.source, f"cannot read the shard: {exc}")
    except (OSError, EOFError, zlib.error) as exc:
        yield SourceRejection(source.doc_id, source.source, f"the shard breaks off: {exc}")


def shard_record_ids(
    raw_dir: Path, source: SourceFile, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[tuple[int, str]]:
    """(line number, id) of each record of a shard whose id can be read, without cleaning anything:
    what a run checks for ids that another source holds before it cleans the shard."""
    try:
        with _shard_stream(raw_dir, source) as stream:
            for number, line in enumerate(_bounded_lines(stream, max_bytes), start=1):
                try:
                    record = json.loads(line) if line and line.strip() else None
                    if isinstance(record, dict):
                        yield number, _record_id(record, f"{source.doc_id}:{number}")
                except (ValueError, RecursionError):  # not JSON, or an id of no use: its own rejection says so
                    continue
    except (Rejected, OSError, EOFError, zlib.error):
        return  # the shard's unit says what is wrong with it


def _bounded_lines(stream: IO[bytes], max_bytes: int) -> Iterator[bytes | None]:
    """The stream's lines, each read up to max_bytes; a longer line is skipped in chunks and
    yields None, so that one huge line never sits in memory whole."""
    while True:
        line = stream.readline(max_bytes + 1)
        if not line:
            return
        if len(line) <= max_bytes or line.endswith(b"\n"):
            yield line
            continue
        while line and not line.endswith(b"\n"):
            line = stream.readline(1 << 20)
        yield None


_SURROGATES = re.compile("[\ud800-\udfff]")


def _without_surrogates(text: str) -> tuple[str, int]:
    """JSON may hold lone surrogates ("\\ud800"), which no file can store: each becomes U+FFFD,
    one character for one, so that offsets into the text stay the same."""
    count = len(_SURROGATES.findall(text))
    return (_SURROGATES.sub("\ufffd", text), count) if count else (text, 0)


def _record_id(record: dict[str, Any], fallback: str) -> str:
    """The record's id: a string or a whole number as written; without one, the shard's id and the
    line number. Raises ValueError with the reason for any other id."""
    value = record.get("id")
    if value is None:
        return fallback
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError(f"the record's 'id' must be a string or a whole number, not {type(value).__name__}")
    text = _without_surrogates(str(value))[0].strip()
    if not text:
        raise ValueError("the record's 'id' is empty")
    return text


def _shard_records(
    stream: IO[bytes], source: SourceFile, max_bytes: int, html_options: dict[str, Any] | None
) -> Iterator[RawDocument | SourceRejection]:
    taken: dict[str, str] = {}
    held_elsewhere = dict(source.taken_lines)
    for number, line in enumerate(_bounded_lines(stream, max_bytes), start=1):
        where = f"{source.source}:{number}"
        fallback_id = f"{source.doc_id}:{number}"
        if line is None:
            yield SourceRejection(fallback_id, where, f"record is over the size limit of {max_bytes:,} bytes")
            continue
        if not line.strip():
            continue
        try:
            record: Any = json.loads(line)
        except (ValueError, RecursionError) as exc:  # not JSON, not UTF-8, or nested past any reason
            yield SourceRejection(fallback_id, where, f"not a JSON object: {type(exc).__name__}: {exc}"[:300])
            continue
        if not isinstance(record, dict):
            yield SourceRejection(fallback_id, where, "not a JSON object")
            continue
        try:
            doc_id = _record_id(record, fallback_id)
        except ValueError as exc:
            yield SourceRejection(fallback_id, where, str(exc))
            continue
        if doc_id in taken or number in held_elsewhere:
            holder = taken.get(doc_id) or held_elsewhere[number]
            yield SourceRejection(doc_id, where, f"id '{doc_id}' is already taken by {holder}")
            continue
        taken[doc_id] = where
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
        is_html = content is html
        content, replaced = _without_surrogates(content)
        url = record.get("url") if isinstance(record.get("url"), str) else None
        url = _without_surrogates(url)[0] if url else None
        doc = RawDocument(doc_id, where, sha, "utf-8", content, url, replacements=replaced)
        if is_html:
            try:
                doc = html_document(doc, html_options)
            except Rejected as exc:
                yield SourceRejection(doc_id, where, str(exc))
                continue
        yield doc
