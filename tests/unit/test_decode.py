"""Decoding: every encoding a scraper saves is read right, anything else is rejected with a reason."""

from __future__ import annotations

import codecs
import gzip

import pytest

from cleaners.decode import decode_text, read_raw_bytes
from cleaners.model import Rejected

TEXT = "Café owners in Zürich said “the señor’s price rise” was a surprise – and a costly one."


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be"),
    ],
)
def test_unicode_encodings(data, encoding):
    decoded = decode_text(data)
    assert decoded.text == TEXT
    assert decoded.encoding == encoding


def test_cp1252_with_smart_quotes():
    text = ("The minister said “we will not give up” – and the crowd cheered. " * 8).strip()
    decoded = decode_text(text.encode("cp1252"))
    assert decoded.text == text


def test_latin1_accents():
    text = "Les élèves de l'école ont présenté leur projet à la mairie, où le maire a salué leur travail. " * 6
    decoded = decode_text(text.encode("latin-1"))
    assert decoded.text == text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"   \n\t \n", "only white space"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "PNG"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) * 4, "PDF"),
        (bytes(range(256)) * 16, "binary"),
    ],
)
def test_rejections_say_why(data, reason):
    with pytest.raises(Rejected, match=reason):
        decode_text(data)


def test_gzip_and_its_size_limit():
    data = gzip.compress(TEXT.encode("utf-8"))
    assert read_raw_bytes(data, gzipped=True, max_bytes=1000) == TEXT.encode("utf-8")
    with pytest.raises(Rejected, match="decompresses to over the size limit"):
        read_raw_bytes(gzip.compress(b"a" * 5000), gzipped=True, max_bytes=1000)
    with pytest.raises(Rejected, match="not a readable gzip file"):
        read_raw_bytes(b"not gzip at all", gzipped=True, max_bytes=1000)


def test_size_limit():
    with pytest.raises(Rejected, match="over the size limit"):
        read_raw_bytes(b"x" * 2000, gzipped=False, max_bytes=1000)


def test_utf8_with_a_few_stray_bytes_stays_utf8_and_counts_them():
    """A paragraph pasted from a cp1252 page into a UTF-8 file: read as UTF-8, the stray bytes as U+FFFD,
    not the whole file as mac_roman ("schÃ¶n")."""
    data = ("Fundacja przekazała środki – schön, große Grüße. " * 4).encode("utf-8") + b"caf\xe9 \x93quoted\x94"
    decoded = decode_text(data)
    assert decoded.encoding == "utf-8" and decoded.replaced == 3
    assert decoded.text.startswith("Fundacja przekazała środki – schön")
    assert decoded.text.endswith("caf\ufffd \ufffdquoted\ufffd")


def test_a_legacy_file_is_still_read_in_its_code_page():
    decoded = decode_text("Le café où naît la crème brûlée, à Noël.".encode("cp1252"))
    assert decoded.text == "Le café où naît la crème brûlée, à Noël." and decoded.replaced == 0
