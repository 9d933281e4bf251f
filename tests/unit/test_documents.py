"""Discovery and reading: ids, odd names, kinds of file, and every file accounted for."""

from __future__ import annotations

import gzip
import json
import os

import pytest

from cleaners.documents import SourceRejection, discover, file_sha256, iter_shard, read_document, split_name
from cleaners.model import Rejected


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
    with pytest.raises(Rejected, match="empty"):
        read_document(tmp_path, accepted[0])


def _reasons(rejected) -> dict[str, str]:
    return {r.source: r.reason for r in rejected}


def test_links_out_of_the_raw_folder_are_rejected_not_followed(tmp_path):
    raw, outside = tmp_path / "raw", tmp_path / "outside"
    raw.mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_text("not for the corpus", encoding="utf-8")
    (outside / "folder").mkdir()
    (outside / "folder" / "inner.txt").write_text("not for the corpus either", encoding="utf-8")
    (raw / "story.txt").write_text("An article.", encoding="utf-8")
    (raw / "passwd.txt").symlink_to(outside / "secret.txt")
    (raw / "linked").symlink_to(outside / "folder")
    (raw / "alias.txt").symlink_to(raw / "story.txt")  # inside the raw folder: read
    (raw / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    accepted, rejected = discover(raw)
    assert [s.doc_id for s in accepted] == ["alias", "story"]
    reasons = _reasons(rejected)
    assert "outside the raw folder" in reasons["passwd.txt"]
    assert "links to folders are not followed" in reasons["linked"]
    assert "outside the raw folder" in reasons["dangling.txt"]
    # A link swapped after discovery is still not followed out of the folder.
    (raw / "alias.txt").unlink()
    (raw / "alias.txt").symlink_to(outside / "secret.txt")
    with pytest.raises(Rejected, match="outside the raw folder"):
        read_document(raw, accepted[0])


def test_an_unreadable_folder_is_rejected_with_a_reason(tmp_path, monkeypatch):
    """Root reads any folder, so the refusal of a folder is simulated at os.scandir, which os.walk calls."""
    (tmp_path / "fine.txt").write_text("An article.", encoding="utf-8")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "hidden.txt").write_text("An article.", encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path="."):
        if os.fspath(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    accepted, rejected = discover(tmp_path)
    assert [s.doc_id for s in accepted] == ["fine"]
    assert "cannot read the folder: Permission denied" in _reasons(rejected)["locked"]


def test_a_named_pipe_is_rejected_without_waiting_for_a_writer(tmp_path):
    os.mkfifo(tmp_path / "feed.jsonl")
    os.mkfifo(tmp_path / "page.txt")
    accepted, rejected = discover(tmp_path)
    assert accepted == []
    assert {r.reason for r in rejected} == {"not a regular file (a named pipe)"}
    # A pipe put in place of a file after discovery answers at once too.
    (tmp_path / "late.txt").write_text("An article.", encoding="utf-8")
    (late,), _ = discover(tmp_path)
    (tmp_path / "late.txt").unlink()
    os.mkfifo(tmp_path / "late.txt")
    with pytest.raises(Rejected, match="named pipe"):
        read_document(tmp_path, late)
    with pytest.raises(Rejected, match="named pipe"):
        file_sha256(tmp_path, late)


def test_outputs_of_two_documents_never_collide(tmp_path):
    (tmp_path / "x.html").write_text("<p>A page.</p>", encoding="utf-8")
    (tmp_path / "x.source.txt").write_text("A text whose id is x.source.", encoding="utf-8")
    (tmp_path / "a.html").write_text("<p>A page.</p>", encoding="utf-8")
    (tmp_path / "a.txt").mkdir()  # a folder whose files' outputs need clean/a.txt/ to be a folder
    (tmp_path / "a.txt" / "b.txt").write_text("An article.", encoding="utf-8")
    (tmp_path / "_runs").mkdir()  # would write into the clean folder's own run logs
    (tmp_path / "_runs" / "c.txt").write_text("An article.", encoding="utf-8")
    accepted, rejected = discover(tmp_path)
    assert sorted(s.doc_id for s in accepted) == ["a", "x"]
    reasons = _reasons(rejected)
    assert "x.source.txt would overwrite the output of x.html" in reasons["x.source.txt"]
    assert "needs a folder where a.html writes the file a.txt" in reasons["a.txt/b.txt"]
    assert "clean folder's own _runs/ folder" in reasons["_runs/c.txt"]


def test_a_name_too_long_for_its_outputs_is_rejected_alone(tmp_path):
    stem = "n" * 240  # 244 bytes with .html: a legal name, but its .source.txt output would be 251...
    (tmp_path / (stem + ".html")).write_text("<p>A page.</p>", encoding="utf-8")
    longer = "m" * 248
    (tmp_path / (longer + ".html")).write_text("<p>A page.</p>", encoding="utf-8")  # ...this one's 259
    (tmp_path / "fine.txt").write_text("An article.", encoding="utf-8")
    accepted, rejected = discover(tmp_path)
    assert sorted(s.doc_id for s in accepted) == ["fine", stem]
    assert "too long for its outputs" in _reasons(rejected)[longer + ".html"]


def _shard(tmp_path, lines: list[str]):
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (source,), _ = discover(tmp_path)
    return list(iter_shard(tmp_path, source))


def test_a_lone_surrogate_costs_one_character_not_the_shard(tmp_path):
    items = _shard(
        tmp_path,
        [
            json.dumps({"id": "bad\ud800", "text": "An article with a lone \ud800 surrogate in it."}),
            json.dumps({"id": "good", "text": "An ordinary article."}),
        ],
    )
    first, second = items
    assert first.doc_id == "bad\ufffd" and first.text == "An article with a lone \ufffd surrogate in it."
    assert first.replacements == 1 and len(first.text) == len("An article with a lone \ud800 surrogate in it.")
    assert second.doc_id == "good" and second.replacements == 0


def test_record_ids_are_strings_or_whole_numbers_and_unique_in_their_shard(tmp_path):
    items = _shard(
        tmp_path,
        [
            json.dumps({"id": "a", "text": "One."}),
            json.dumps({"id": "a", "text": "The same id again."}),
            json.dumps({"id": 7, "text": "A number as id."}),
            json.dumps({"id": "", "text": "An empty id."}),
            json.dumps({"id": ["x"], "text": "A list as id."}),
            json.dumps({"id": False, "text": "A boolean as id."}),
            json.dumps({"text": "No id: the shard's id and the line."}),
        ],
    )
    kept = [i.doc_id for i in items if not isinstance(i, SourceRejection)]
    reasons = {i.source: i.reason for i in items if isinstance(i, SourceRejection)}
    assert kept == ["a", "7", "feed:7"]
    assert "already taken by feed.jsonl:1" in reasons["feed.jsonl:2"]
    assert reasons["feed.jsonl:4"] == "the record's 'id' is empty"
    assert "not list" in reasons["feed.jsonl:5"] and "not bool" in reasons["feed.jsonl:6"]


def test_a_huge_line_is_skipped_without_holding_it_in_memory():
    """A gzip bomb of one endless line: read in bounded pieces, rejected, and the next line read."""
    import io
    import tracemalloc

    from cleaners.documents import _bounded_lines

    stream = io.BufferedReader(io.BytesIO(b"x" * 30_000_000 + b"\n" + b'{"id": "next"}\n'), buffer_size=1 << 16)
    tracemalloc.start()
    lines = list(_bounded_lines(stream, 100_000))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert lines == [None, b'{"id": "next"}\n']
    assert peak < 5_000_000  # pieces of a megabyte at most, never the 30 MB line


def test_json_nested_past_any_reason_is_that_records_rejection(tmp_path):
    items = _shard(tmp_path, ["[" * 100_000 + "]" * 100_000, json.dumps({"id": "fine", "text": "An article."})])
    assert isinstance(items[0], SourceRejection) and "RecursionError" in items[0].reason
    assert items[1].doc_id == "fine"
