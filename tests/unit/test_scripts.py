"""News pages in seven scripts the line model never saw (written for these tests): a menu, the
headline and four paragraphs, a header and five other stories' headlines, a copyright line. The
article must come out whole; the menu and the other stories must go (Thai marks no sentence's end:
there a line reads as a sentence only when it is as long as running text)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleaners import Cleaner

PAGES = json.loads((Path(__file__).resolve().parents[1] / "data" / "pages_in_seven_scripts.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def cleaner() -> Cleaner:
    return Cleaner()


@pytest.mark.parametrize("language", sorted(PAGES))
def test_a_page_in_another_script_keeps_its_article_and_loses_its_menu(cleaner, language):
    page = PAGES[language]
    text = "\n".join([*page["menu"], page["title"], *page["body"], *page["related"], "© 2025"]) + "\n"
    result = cleaner.clean(language, text)
    kept = {line for line in result.cleaned_text.split("\n") if line.strip()}
    assert kept >= {page["title"], *page["body"]}
    assert not kept & set(page["menu"])
    assert not kept & set(page["related"])
    assert result.line_model_not_applied  # the rules decide: the model was trained on Latin script
