"""The manifest of a clean folder."""

from __future__ import annotations

import pytest

from flows.io import RunSetupError
from flows.state import MANIFEST_FILE, STATE_FOLDER, Manifest


def test_a_corrupt_manifest_is_one_clear_error(tmp_path):
    (tmp_path / STATE_FOLDER).mkdir()
    (tmp_path / STATE_FOLDER / MANIFEST_FILE).write_bytes(b"this is not a database" * 100)
    with pytest.raises(RunSetupError, match=r"manifest .* cannot be read .*move it away and run again with --full"):
        Manifest(tmp_path)
