"""Discovery and reading: ids, odd names, kinds of file, and every file accounted for."""

from __future__ import annotations

import gzip
import os

from cleaners.documents import discover, read_document, split_name


def test_ids_drop_the_extensions():
    assert split_name("a/b.txt.gz") == ("a/b", ".txt", True)
    assert split_name("story.TXT") == ("story", ".txt", False)
    assert split_name("no_extension") == ("no_extension", "", False)
    assert split_name("v1.2/notes") == ("v1.2/notes", "", False)


def test_discover_accepts_text_and_rejects_the_rest_with_reasons(tmp_path):
    (tmp_path / "one.txt").write_text("hello world", encoding="utf-8")
    (tmp_path / "two.txt.gz").write_bytes(gzip.compress(b"hello"))
    (tmp_path / "two.txt").write_text("same id", encoding="utf-8")
    (tmp_path / "page.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "three.txt").write_text("nested", encoding="utf-8")
    accepted, rejected = discover(tmp_path)
    assert [s.doc_id for s in accepted] == ["one", "two", "sub/three"]
    reasons = {r.source: r.reason for r in rejected}
    assert "unsupported file type" in reasons["page.pdf"]
    assert "already taken" in reasons["two.txt.gz"]


def test_odd_file_names_are_read(tmp_path):
    names = ["with space.txt", "ünïcödé ✓.txt", "semi;colon&amp.txt", "-leading-dash.txt"]
    for name in names:
        (tmp_path / name).write_text("Text of " + name, encoding="utf-8")
    raw_name = os.fsencode(tmp_path) + b"/latin1-\xe9.txt"
    with open(raw_name, "wb") as handle:
        handle.write(b"bytes in the name are not UTF-8")
    accepted, rejected = discover(tmp_path)
    assert rejected == []
    assert len(accepted) == 5
    for source in accepted:
        document = read_document(tmp_path, source)
        assert document.text.startswith(("Text of", "bytes in"))
        assert len(document.sha256) == 64


def test_read_document_rejects_instead_of_raising(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    accepted, _ = discover(tmp_path)
    import pytest

    from cleaners.model import Rejected

    with pytest.raises(Rejected, match="empty"):
        read_document(tmp_path, accepted[0])
