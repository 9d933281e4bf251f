"""Output writing: atomic and whole, readable JSON, and folders that never overlap."""

from __future__ import annotations

import json
import stat
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows.io import TEMP_SUFFIX, AtomicWriter, RunSetupError, atomic_write_text, check_folders, readable_json
from tests.conftest import REPO

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
    max_leaves=12,
)


@given(st.dictionaries(st.text(), JSON_VALUES, max_size=6) | JSON_VALUES)
def test_readable_json_reads_back_as_written(value):
    assert json.loads(readable_json(value)) == value


def test_a_record_has_a_field_a_line_and_a_removal_a_line():
    text = readable_json({"id": "a", "removals": [{"start": 0, "end": 4}, {"start": 9, "end": 12}]})
    assert text.splitlines() == [
        "{",
        ' "id": "a",',
        ' "removals": [',
        '  {"start": 0, "end": 4},',
        '  {"start": 9, "end": 12}',
        " ]",
        "}",
    ]


@pytest.mark.parametrize(
    ("raw", "clean", "message"),
    [
        ("top/in", "top", "the raw folder top/in is inside the clean folder top"),
        ("top", "top/out", "the clean folder top/out is inside the raw folder top"),
        ("top", "top", "the clean folder top is the raw folder"),
        ("", "clean", "no raw folder given"),
        ("top", " ", "no clean folder given"),
    ],
)
def test_raw_and_clean_folders_may_not_hold_each_other(tmp_path, monkeypatch, raw, clean, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "top" / "in").mkdir(parents=True)
    with pytest.raises(RunSetupError, match=message):
        check_folders(raw, clean)


def test_a_target_of_the_longest_legal_name_is_written(tmp_path):
    target = tmp_path / ("n" * 250 + ".json")  # 255 bytes: no room for a temp name built from it
    atomic_write_text(target, "whole")
    with AtomicWriter(tmp_path / ("m" * 249 + ".jsonl")) as writer:
        writer.write("streamed")
    assert target.read_text() == "whole" and (tmp_path / ("m" * 249 + ".jsonl")).read_text() == "streamed"
    assert not list(tmp_path.glob(f"*{TEMP_SUFFIX}"))


def test_outputs_get_the_permissions_of_the_umask(tmp_path):
    """mkstemp makes 0600 files; outputs are for the team that reads them (0666 less the umask).
    In a child process, so that its umask is the one flows.io reads when imported."""
    script = (
        "import os, sys; os.umask(0o027)\n"
        "from pathlib import Path; from flows.io import AtomicWriter, atomic_write_text\n"
        "atomic_write_text(Path(sys.argv[1]) / 'a.txt', 'text')\n"
        "with AtomicWriter(Path(sys.argv[1]) / 'b.jsonl.gz', gzipped=True) as w: w.write('{}')\n"
    )
    subprocess.run([sys.executable, "-c", script, str(tmp_path)], check=True, cwd=REPO)
    assert stat.S_IMODE((tmp_path / "a.txt").stat().st_mode) == 0o640
    assert stat.S_IMODE((tmp_path / "b.jsonl.gz").stat().st_mode) == 0o640


def test_a_failed_stream_leaves_the_old_file_and_no_temp(tmp_path):
    target = tmp_path / "shard.jsonl"
    target.write_text("old\n")
    with pytest.raises(RuntimeError), AtomicWriter(target) as writer:
        writer.write("half")
        raise RuntimeError("killed half-way")
    assert target.read_text() == "old\n" and not list(tmp_path.glob(f"*{TEMP_SUFFIX}"))
