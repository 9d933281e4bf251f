"""Output writing: the per-document JSON reads back as written, one removal a line."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from flows.io import readable_json

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
