"""Bytes to text: gzip, BOMs, UTF-8, and everything else through charset-normalizer.

A file that is not text (an image, a PDF, an archive) or that no encoding explains is
rejected with a reason instead of being turned into mojibake.
"""

from __future__ import annotations

import codecs
import gzip
import io
import re
import zlib
from dataclasses import dataclass

from charset_normalizer import from_bytes

from .model import Rejected

# Magic numbers of formats scrapers save by mistake next to the text.
_BINARY_SIGNATURES: dict[bytes, str] = {
    b"\x89PNG\r\n\x1a\n": "a PNG image",
    b"%PDF-": "a PDF document",
    b"GIF87a": "a GIF image",
    b"GIF89a": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"PK\x03\x04": "a ZIP archive (or an Office document)",
    b"\x7fELF": "an executable",
    b"RIFF": "a RIFF media file",
    b"\x00\x00\x01\x00": "an icon",
    b"BZh": "a bzip2 archive",
    b"\xfd7zXZ\x00": "an xz archive",
    b"\x1f\x8b": "gzip-compressed data (a file is read decompressed when its name ends in .gz, once)",
}

_UTF16_32_BOMS: list[tuple[bytes, str]] = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]


@dataclass(frozen=True, slots=True)
class DecodedText:
    text: str
    encoding: str
    replaced: int = 0  # bytes that did not decode, each read as U+FFFD


def read_raw_bytes(data: bytes, *, gzipped: bool, max_bytes: int) -> bytes:
    """Undo gzip when asked, refusing anything that grows past max_bytes (gzip bombs too)."""
    if len(data) > max_bytes:
        raise Rejected(f"file is {len(data):,} bytes, over the size limit of {max_bytes:,} bytes")
    if not gzipped:
        return data
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            out = stream.read(max_bytes + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise Rejected(f"not a readable gzip file ({exc})") from None
    if len(out) > max_bytes:
        raise Rejected(f"decompresses to over the size limit of {max_bytes:,} bytes")
    return out


def decode_text(data: bytes, *, html: bool = False) -> DecodedText:
    """Decode raw bytes the way the contract defines offsets: BOM stripped, nothing normalized.

    The order is a browser's: a byte order mark; for a page, the charset its markup declares when
    the bytes agree with it; then detection."""
    if not data.strip():
        raise Rejected("empty file" if not data else "file holds only white space")
    for signature, what in _BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise Rejected(f"binary file: {what}, not text")
    if data.startswith(codecs.BOM_UTF8):
        return _checked(data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), "utf-8-sig")
    for bom, name in _UTF16_32_BOMS:
        if data.startswith(bom):
            try:
                return _checked(data[len(bom) :].decode(name), name)
            except UnicodeDecodeError:
                raise Rejected(f"starts with a {name} byte order mark but does not decode as {name}") from None
    declared = declared_charset(data) if html else None
    if declared is not None:
        agreed = _as_declared(data, declared)
        if agreed is not None:
            return agreed
    try:
        return _checked(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    mixed = _mixed_lines(data)
    if mixed is not None:
        return mixed
    mostly_utf8 = _mostly_utf8(data)
    if mostly_utf8 is not None:
        return mostly_utf8
    if b"\x00" in data[:4096] and not _looks_like_bomless_utf16(data):
        raise Rejected("binary file: it holds NUL bytes and no text encoding explains it")
    encoding = _likeliest_encoding(data[:200_000])
    if encoding is None:
        raise Rejected("undecodable: no text encoding explains these bytes")
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise Rejected(f"undecodable: looks like {encoding} but does not decode as it") from None
    return _checked(text, encoding)


# <meta charset="x">, <meta http-equiv="Content-Type" content="text/html; charset=x">, and an XML
# declaration's encoding="x": what a page declares in its first bytes (the HTML standard looks at
# the first 1024; pages with long heads put it later, so a little more is read).
_DECLARATION_BYTES = 8192
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)
# The HTML standard reads these labels as Windows code pages, as browsers do.
_WHATWG_LABELS = {
    "iso8859_1": "cp1252",
    "ascii": "cp1252",
    "iso8859_9": "cp1254",
    "tis_620": "cp874",
    "gb2312": "gbk",
    "euc_kr": "cp949",
    "shift_jis": "cp932",
    "big5": "big5hkscs",
}
# Invalid bytes a page declared UTF-8 may hold and still be read as UTF-8 (a byte or two cut from a
# multi-byte character, a pasted cp1252 quote): beyond this share the declaration is not believed.
_DECLARED_UTF8_STRAY_SHARE = 0.001
_DECLARED_UTF8_STRAY_MIN = 8


def declared_charset(data: bytes) -> str | None:
    """The Python codec name of the charset a page's markup declares, or None (none, or unknown)."""
    head = data[:_DECLARATION_BYTES]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    if match is None:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii").lower()).name
    except (LookupError, UnicodeDecodeError):
        return None
    name = name.replace("-", "_")
    if name in ("utf_16", "utf_16_le", "utf_16_be"):
        return "utf_8"  # a page read as bytes with a UTF-16 declaration and no BOM is ASCII-compatible
    return _WHATWG_LABELS.get(name, name)


def _as_declared(data: bytes, declared: str) -> DecodedText | None:
    """The page decoded as it declares, when its bytes agree; None when the declaration lies.

    Declared UTF-8: believed up to a few invalid bytes, each read as U+FFFD and counted. Declared
    anything else: believed when it decodes the bytes, unless the bytes are well-formed UTF-8 with
    multi-byte characters in them (a page re-encoded without its declaration being updated)."""
    if declared == "utf_8":
        text = data.decode("utf-8", errors="replace")
        stray = text.count("\ufffd") - data.count("\ufffd".encode())
        if stray > max(_DECLARED_UTF8_STRAY_MIN, _DECLARED_UTF8_STRAY_SHARE * len(data)):
            return None
        checked = _checked(text, "utf-8")
        return DecodedText(checked.text, checked.encoding, replaced=stray)
    try:
        if _UTF8_MULTIBYTE.search(data) and data.decode("utf-8"):
            return None
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode(declared)
    except (UnicodeDecodeError, LookupError):
        return None
    return _checked(text, declared)


# The legacy encodings of web pages, most common first. charset-normalizer often finds several
# encodings equally free of "chaos" (a DOS code page and Windows-1252 read typographic quotes the
# same way); among those, the one the web uses wins.
_WEB_PREFERENCE = [
    "cp1252",
    "latin_1",
    "iso8859_15",
    "cp1250",
    "iso8859_2",
    "cp1251",
    "koi8_r",
    "iso8859_5",
    "cp1253",
    "cp1254",
    "cp1257",
    "cp1255",
    "cp1256",
    "gb18030",
    "gbk",
    "gb2312",
    "big5",
    "shift_jis",
    "cp932",
    "euc_jp",
    "euc_kr",
    "cp949",
    "iso2022_jp",
    "tis_620",
    "cp874",
    "windows_1258",
    "mac_roman",
]


def _likeliest_encoding(data: bytes) -> str | None:
    matches = list(from_bytes(data))
    if not matches:
        return None
    least_chaos = min(m.chaos for m in matches)
    candidates = [m.encoding for m in matches if m.chaos <= least_chaos + 0.02]
    rank = {name: i for i, name in enumerate(_WEB_PREFERENCE)}
    encoding = min(candidates, key=lambda name: rank.get(name, len(rank)))
    # An equivalent reading in Windows-1252 is the likelier name for Western text.
    if encoding != "cp1252":
        try:
            if data.decode("cp1252") == data.decode(encoding):
                return "cp1252"
        except (UnicodeDecodeError, LookupError):
            pass
    return encoding


# A UTF-8 sequence of two to four bytes, the shape legacy single-byte text almost never makes.
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _mixed_lines(data: bytes) -> DecodedText | None:
    """A file of whole lines in UTF-8 and whole lines in one legacy code page (texts of two sources
    joined): each line read in its own encoding, when the lines UTF-8 does not decode hold no
    UTF-8 sequence at all and those it decodes hold some. Its encoding reads "utf-8+<code page>".

    Replacing the legacy lines' bytes would lose their accented letters; reading the whole file in
    the code page would garble the UTF-8 lines."""
    lines = data.split(b"\n")
    texts: list[str | None] = []  # None: a line UTF-8 does not decode
    utf8_sequences = False
    for line in lines:
        try:
            texts.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            if _UTF8_MULTIBYTE.search(line):
                return None  # UTF-8 with stray bytes inside a line: not two sources' whole lines
            texts.append(None)
            continue
        utf8_sequences = utf8_sequences or _UTF8_MULTIBYTE.search(line) is not None
    legacy = [index for index, text in enumerate(texts) if text is None]
    if not legacy or not utf8_sequences:
        return None
    encoding = _likeliest_encoding(b"\n".join(lines[index] for index in legacy)[:200_000])
    if encoding is None:
        return None
    try:
        for index in legacy:
            texts[index] = lines[index].decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    return _checked("\n".join(text or "" for text in texts), f"utf-8+{encoding}")  # every line read by now


def _mostly_utf8(data: bytes) -> DecodedText | None:
    """UTF-8 text with a few stray bytes (a paragraph pasted from a cp1252 page): decoded as UTF-8
    with each stray byte read as U+FFFD, when well-formed UTF-8 sequences outnumber the stray bytes
    three to one. Reading the whole file in a legacy code page would garble every other character."""
    text = data.decode("utf-8", errors="replace")
    stray = text.count("\ufffd") - data.count("\ufffd".encode())
    sequences = len(_UTF8_MULTIBYTE.findall(data))
    if stray <= 0 or sequences < 3 * stray:
        return None
    checked = _checked(text, "utf-8")
    return DecodedText(checked.text, checked.encoding, replaced=stray)


def _looks_like_bomless_utf16(data: bytes) -> bool:
    head = data[:4096]
    even_nuls = head[0::2].count(0)
    odd_nuls = head[1::2].count(0)
    half = max(1, len(head) // 2)
    return max(even_nuls, odd_nuls) > 0.3 * half and min(even_nuls, odd_nuls) < 0.05 * half


_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f]")


def _checked(text: str, encoding: str) -> DecodedText:
    """Refuse decoded text that is mostly control characters: binary that happened to decode."""
    if not text.strip():
        raise Rejected("file holds only white space")
    sample = text[:20_000]
    controls = len(_CONTROL_RE.findall(sample))
    if controls > 0.01 * len(sample):
        raise Rejected(f"binary file: {controls} control characters in the first {len(sample)} characters")
    return DecodedText(text=text, encoding=encoding)
