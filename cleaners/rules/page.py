"""The HTML extractor's decision as a rule: the visible lines it left out of the article.

It runs first, so that the text rules judge what the extractor kept (the ones whose policy
`on_extracted_html` allows it). On text, and on a page where the extractor found no article, it
takes nothing and every text rule runs.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Hit
from ..rule import Rule
from ..view import DocumentView


class ExtractorLeftOut(Rule):
    id = "html_boilerplate.extractor"
    category = "html_boilerplate"
    description = "On an HTML page, the visible lines trafilatura left out of the article."

    def find(self, doc: DocumentView) -> Iterator[Hit]:
        if doc.page is not None and doc.page.extractor_hits:
            yield from doc.page.extractor_hits
