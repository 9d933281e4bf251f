"""Decoding: every encoding a scraper saves is read right, anything else is rejected with a reason."""

from __future__ import annotations

import codecs
import gzip

import pytest

from cleaners.decode import declared_charset, decode_text, read_raw_bytes
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
        # A .txt that is gzip, or a .gz compressed twice: read once decompressed, it is still gzip.
        (gzip.compress(b"Plain words of a story."), "gzip-compressed data .* ends in .gz, once"),
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


def test_whole_lines_of_two_encodings_are_each_read_in_their_own():
    """Two sources joined: UTF-8 lines and cp1252 lines. Neither a replacement character nor
    mojibake ("cafÃ©"): every line is read as written, and the encoding names both."""
    data = "Paragraph one: café au lait, naïve.\r\n".encode() + "Paragraph two: “crème” brûlée.\r\n".encode("cp1252")
    decoded = decode_text(data)
    assert decoded.text == "Paragraph one: café au lait, naïve.\r\nParagraph two: “crème” brûlée.\r\n"
    assert decoded.encoding == "utf-8+cp1252" and decoded.replaced == 0


def test_a_line_mixing_both_encodings_is_read_as_utf8_with_its_stray_bytes_counted():
    data = "Zażółć gęślą jaźń\n".encode() + "Łódź wspiera szkoły ".encode() + b"caf\xe9\n"
    decoded = decode_text(data)
    assert decoded.encoding == "utf-8" and decoded.replaced == 1
    assert decoded.text == "Zażółć gęślą jaźń\nŁódź wspiera szkoły caf\ufffd\n"


def test_a_legacy_file_is_still_read_in_its_code_page():
    decoded = decode_text("Le café où naît la crème brûlée, à Noël.".encode("cp1252"))
    assert decoded.text == "Le café où naît la crème brûlée, à Noël." and decoded.replaced == 0


def page(body: str, head: str) -> str:
    return f"<!DOCTYPE html><html><head>{head}<title>t</title></head><body>{body}</body></html>"


ENGLISH = "<p>The council met on Tuesday and approved the plan for the new library. " * 5 + "</p>"


def test_a_page_declared_utf8_with_a_few_invalid_bytes_stays_utf8_and_counts_them():
    # Few multi-byte characters (an English page), two bytes cut from a character: detection alone
    # would read the whole page in a legacy code page.
    data = page(ENGLISH + "<p>Fundacja \u201cNowa\u201d</p>", '<meta charset="utf-8">').encode("utf-8")
    data = data.replace("\u201d".encode(), b"\xe2\x80") + b"<p>caf\xe9</p>"
    decoded = decode_text(data, html=True)
    assert decoded.encoding == "utf-8" and decoded.replaced == 2
    assert "Fundacja \u201cNowa" in decoded.text


def test_a_page_declared_iso_8859_2_is_read_in_it_not_in_cp1252():
    polish = "<p>Zażółć gęślą jaźń: Fundacja Łódź wspiera szkoły.</p>" * 3
    for head in (
        '<meta charset="iso-8859-2">',
        '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-2">',
    ):
        decoded = decode_text(page(polish, head).encode("iso-8859-2"), html=True)
        assert decoded.encoding == "iso8859_2" and "Zażółć gęślą jaźń" in decoded.text


def test_latin_1_declared_is_read_as_windows_1252_as_browsers_do():
    decoded = decode_text(
        page("<p>\u201cQuoted\u201d caf\u00e9</p>", '<meta charset="iso-8859-1">').encode("cp1252"), html=True
    )
    assert decoded.encoding == "cp1252" and "\u201cQuoted\u201d café" in decoded.text


def test_a_declaration_that_lies_is_not_believed():
    # Re-encoded to UTF-8, the declaration left at ISO-8859-1: the UTF-8 reading wins.
    utf8 = page("<p>schön, Fundacja Łódź</p>" * 3, '<meta charset="iso-8859-1">').encode("utf-8")
    assert decode_text(utf8, html=True).text.count("schön") == 3
    # Declared UTF-8, written in cp1252 throughout: detection reads it.
    french = (
        "<p>Le café de la place a rouvert ses portes après des mois de travaux; les habitués étaient ravis "
        "de retrouver leur crème. « C’est une très bonne nouvelle », a déclaré le maire.</p>"
    )
    decoded = decode_text(page(french * 5, '<meta charset="utf-8">').encode("cp1252"), html=True)
    assert decoded.encoding == "cp1252" and "les habitués étaient ravis" in decoded.text


def test_declarations_are_read_from_meta_and_xml_and_unknown_ones_ignored():
    text = '<meta charset="iso-8859-2"> Zażółć'.encode("iso-8859-2")
    assert decode_text(text, html=True).encoding == "iso8859_2"
    assert declared_charset(b'<?xml version="1.0" encoding="windows-1251"?><html>') == "cp1251"
    assert declared_charset(b'<meta charset="no-such-charset">') is None
