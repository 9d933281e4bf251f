"""One batch end to end without Prefect: files of the contract, atomic parts, rejects."""

from __future__ import annotations

import gzip
import json
from dataclasses import replace
from pathlib import Path

from cleaners.documents import discover
from flows.batch import PAGES_FOLDER, Job, gather_corpus, gather_evidence, process_batch, process_shard
from flows.corpus import keep_statistics
from tests.conftest import ARTICLE, article_text
from tests.generated import SHARED_LINE, add_shared_line, write_generated_corpus


def run_batch(raw: Path, out: Path, **job_options):
    sources, _refused = discover(raw)
    job = Job(str(raw), str(out), "test-run", **job_options)
    return process_batch(0, sources, job).report, job


def test_batch_writes_the_contract_files(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "clean"
    raw.mkdir()
    text = article_text(after=["Advertisement"])
    (raw / "story.txt").write_text(text, encoding="utf-8")
    report, job = run_batch(raw, out)
    assert (report.cleaned, report.rejected) == (1, 0)
    record = json.loads((out / "story.json").read_text(encoding="utf-8"))
    assert {
        "id",
        "source",
        "sha256",
        "encoding",
        "language",
        "language_probability",
        "removals",
        "chars_in",
        "chars_out",
        "rules_version",
    } <= set(record)
    assert record["removals"][0]["rule"] == "advertising.marker"
    assert (out / "story.txt").read_text(encoding="utf-8").endswith("\n")
    log = (job.parts_folder / "000000.removals.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(log[0])["id"] == "story"
    assert not list(out.rglob("*.newsclean-tmp"))


def test_the_record_says_when_the_line_model_did_not_judge_a_document(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "clean"
    raw.mkdir()
    (raw / "story.txt").write_text(article_text(), encoding="utf-8")
    greek = "Η νέα γραμμή του μετρό εγκαινιάστηκε σήμερα και θα εξυπηρετεί χιλιάδες επιβάτες καθημερινά."
    (raw / "greek.txt").write_text("Αρχική\nΕιδήσεις\n" + greek + "\n", encoding="utf-8")
    run_batch(raw, out)
    assert "line_model" not in json.loads((out / "story.json").read_text(encoding="utf-8"))
    note = json.loads((out / "greek.json").read_text(encoding="utf-8"))["line_model"]
    assert note.startswith("not applied: trained on pages in LATIN script") and "GREEK" in note


def test_the_record_says_when_the_text_rules_read_a_page_instead_of_the_extractor(tmp_path):
    from tests.unit.test_html import forum_page

    raw, out = tmp_path / "raw", tmp_path / "clean"
    raw.mkdir()
    (raw / "thread.html").write_text(forum_page(declared=True), encoding="utf-8")
    (raw / "article.html").write_text(forum_page(declared=False), encoding="utf-8")
    report, _ = run_batch(raw, out)
    assert report.set_aside == 1 and report.to_dict()["set_aside"] == 1  # the run's summary counts them
    assert "discussion" in json.loads((out / "thread.json").read_text(encoding="utf-8"))["set_aside"]
    assert "set_aside" not in json.loads((out / "article.json").read_text(encoding="utf-8"))


def test_bad_documents_are_rejected_and_old_outputs_removed(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "clean"
    raw.mkdir()
    out.mkdir()
    (raw / "empty.txt").write_bytes(b"")
    (raw / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    (raw / "big.txt").write_text("word " * 500, encoding="utf-8")
    (out / "empty.txt").write_text("stale output of an earlier run", encoding="utf-8")
    report, job = run_batch(raw, out, max_bytes=1000)
    assert report.rejected == 3 and report.cleaned == 0
    assert not (out / "empty.txt").exists()
    rejects = [json.loads(line) for line in (job.parts_folder / "000000.rejects.jsonl").read_text().splitlines()]
    reasons = {r["id"]: r["reason"] for r in rejects}
    assert "empty" in reasons["empty"]
    assert "PNG" in reasons["image"]
    assert "size limit" in reasons["big"]


def test_shard_is_cleaned_as_a_stream_into_an_output_shard(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "clean"
    raw.mkdir()
    records = [
        {"id": "a", "text": article_text(after=["Advertisement"]), "url": "https://example.org/a"},
        {"id": "b", "html": "<html><body><h1>A page</h1><p>" + ARTICLE[0] + "</p></body></html>"},
        "not an object",
        {"id": "c", "text": "   "},
        {"id": "d", "text": article_text()},
    ]
    lines = [json.dumps(r) for r in records] + ["{broken json"]
    with gzip.open(raw / "shard-0001.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    sources, _ = discover(raw)
    assert sources[0].kind == "shard"
    job = Job(str(raw), str(out), "test-run", batch_size=2)
    result = process_shard(3, sources[0], job)
    assert (result.report.cleaned, result.report.rejected) == (3, 3)
    with gzip.open(out / "shard-0001.jsonl.gz", "rt", encoding="utf-8") as handle:
        cleaned = [json.loads(line) for line in handle]
    assert [r["id"] for r in cleaned] == ["a", "b", "d"]
    assert cleaned[1]["source_text"] == "A page\n" + ARTICLE[0] + "\n"  # an HTML record: its visible text
    assert ARTICLE[0] in cleaned[1]["text"]
    assert cleaned[0]["url"] == "https://example.org/a"
    assert "Advertisement" not in cleaned[0]["text"]
    assert cleaned[0]["removals"][0]["rule"] == "advertising.marker"
    assert cleaned[0]["source"] == "shard-0001.jsonl.gz:1"
    rejects = [json.loads(x) for x in (job.parts_folder / "000003.rejects.jsonl").read_text().splitlines()]
    reasons = " | ".join(r["reason"] for r in rejects)
    assert "not a JSON object" in reasons and "empty text" in reasons
    assert result.states[0].status == "cleaned" and result.states[0].outputs == "shard-0001.jsonl.gz"


def test_a_document_whose_outputs_cannot_be_written_is_rejected_alone(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "clean"
    raw.mkdir()
    (raw / "a.txt").write_text(article_text(), encoding="utf-8")
    (raw / "b.txt").write_text(article_text(), encoding="utf-8")
    (out / "a.txt").mkdir(parents=True)  # a folder where a's cleaned text goes: its write fails
    report, job = run_batch(raw, out)
    assert (report.cleaned, report.rejected) == (1, 1)
    rejects = [json.loads(x) for x in (job.parts_folder / "000000.rejects.jsonl").read_text().splitlines()]
    assert rejects[0]["id"] == "a" and "cannot write its outputs" in rejects[0]["reason"]
    assert not (out / "a.json").exists() and (out / "b.json").exists()


def test_a_record_with_a_lone_surrogate_is_cleaned_and_the_shard_goes_on(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "clean"
    (raw / "sub").mkdir(parents=True)
    records = [
        {"id": "odd", "text": article_text().replace("twelve", "tw\ud800elve")},
        {"id": "b", "text": article_text()},
    ]
    (raw / "sub" / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    (source,), _ = discover(raw)
    result = process_shard(0, source, Job(str(raw), str(out), "test-run"))
    assert (result.report.cleaned, result.report.rejected) == (2, 0)
    cleaned = [json.loads(line) for line in (out / "sub" / "feed.jsonl").read_text(encoding="utf-8").splitlines()]
    assert "tw\ufffdelve" in cleaned[0]["text"] and cleaned[0]["decode_replacements"] == 1
    assert result.states[0].outputs == "sub/feed.jsonl"  # tracked by its path, not its base name


def test_a_failed_unit_rejects_its_documents_and_leaves_no_output(tmp_path):
    from flows.batch import fail_unit

    raw, out = tmp_path / "raw", tmp_path / "clean"
    raw.mkdir()
    for name in ("a", "b"):
        (raw / f"{name}.txt").write_text(article_text(), encoding="utf-8")
    sources, _ = discover(raw)
    job = Job(str(raw), str(out), "test-run")
    process_batch(0, sources, job)  # both cleaned, then the unit "fails" (its log part cannot be written)
    result = fail_unit(0, sources, job, "unit failed after retries: OSError: No space left on device")
    assert (result.report.rejected, result.report.cleaned) == (2, 0)
    assert [s.status for s in result.states] == ["failed", "failed"]
    assert not list(out.glob("*.txt")) and not list(out.glob("*.json"))  # none both cleaned and rejected
    assert not (job.parts_folder / "000000.removals.jsonl").exists()
    rejects = (job.parts_folder / "000000.rejects.jsonl").read_text().splitlines()
    assert len(rejects) == 2 and "No space left" in rejects[0]


def test_with_corpus_statistics_the_output_does_not_depend_on_the_batches(tmp_path):
    """The documents of a corpus cleaned in one batch, or in batches of three, read the same
    statistics (gathered first over all of them) and come out the same, records and logs alike."""
    raw = tmp_path / "raw"
    ids = write_generated_corpus(raw, tmp_path / "gold.jsonl", documents=8)
    add_shared_line(raw, ids[::2])  # in four documents: two in a batch of three at most
    sources, _ = discover(raw)
    outputs = {}
    for size in (8, 3):
        out = tmp_path / f"clean-{size}"
        job = Job(str(raw), str(out), "test-run")
        statistics = gather_corpus(sources, job)
        job = replace(job, statistics=str(keep_statistics(out, statistics)))
        logs = [process_batch(n, sources[i : i + size], job) for n, i in enumerate(range(0, len(sources), size))]
        assert sum(unit.report.cleaned for unit in logs) == 8
        outputs[size] = {p.name: p.read_text(encoding="utf-8") for p in sorted(out.glob("*.[tj]*"))}
    assert outputs[8] == outputs[3]
    record = json.loads(outputs[3]["generated-00-en.json"])
    assert record["statistics"] == {"generation": "test-run", "documents": 8, "site": "", "site_documents": 8}
    # The line that half of the documents share was read as the site's in every batch.
    assert SHARED_LINE in [r["text"] for r in record["removals"] if r["rule"] == "navigation.repeated_line"]


def test_the_pages_the_first_pass_extracted_are_cleaned_as_kept_and_dropped(tmp_path):
    """A page the statistics pass extracted is not extracted again: its unit reads what the pass
    kept (the same output as a fresh extraction) and drops it; a page changed since is read afresh."""
    from tests.unit.test_html import page

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "one.html").write_text(page(), encoding="utf-8")
    (raw / "two.html").write_text(page(extra_body="<p>A second page with a line of its own.</p>"), encoding="utf-8")
    sources, _ = discover(raw)
    run_batch(raw, tmp_path / "fresh")
    job = Job(str(raw), str(tmp_path / "clean"), "test-run")
    gather_evidence(sources, job, frozenset(s.source for s in sources))
    pages = job.run_folder / PAGES_FOLDER
    assert len(list(pages.iterdir())) == 2
    (raw / "two.html").write_text(page(extra_body="<p>Changed after the first pass.</p>"), encoding="utf-8")
    process_batch(0, sources, job)
    assert not list(pages.iterdir())
    one, fresh_one = (folder / "one.json" for folder in (tmp_path / "clean", tmp_path / "fresh"))
    record, expected = (json.loads(p.read_text(encoding="utf-8")) for p in (one, fresh_one))
    assert record["removals"] == expected["removals"] and record["sha256"] == expected["sha256"]
    assert "Changed after the first pass." in (tmp_path / "clean" / "two.source.txt").read_text(encoding="utf-8")
