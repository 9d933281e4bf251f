"""HTML input: visible text, trafilatura's article matched back to it, accounting, hostile pages."""

from __future__ import annotations

import gzip
import itertools
import json
import re
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaners import Cleaner, Rejected
from cleaners.accounting import cut_removals
from cleaners.decode import decode_text
from cleaners.documents import discover, read_document
from cleaners.html import (
    EXTRACTOR_RULE,
    ExtractedPage,
    continuation_kept,
    extract_page,
    extractor_kept,
    parse_html,
    trafilatura_document,
    visible_blocks,
    visible_lines,
    visible_structure,
    visible_text,
)
from cleaners.model import Hit
from cleaners.registry import rule_ids
from cleaners.settings import load_settings
from tests.conftest import ARTICLE, TITLE, without_the_line_model

OPTIONS = load_settings()["html"]

MENU = ["Home", "World", "Business", "Sport", "Weather", "Contact"]
RELATED = ["Harbour ferry timetable changes next month", "Storm closes the coastal road for two days"]


def page(*, extra_body: str = "", head: str = "") -> str:
    """A news page: menu, headline, article paragraphs, a related list, a comment form, a footer."""
    menu = "".join(f'<li><a href="/{item.lower()}">{item}</a></li>' for item in MENU)
    paragraphs = "".join(f"<p>{text}</p>" for text in ARTICLE)
    related = "".join(f'<li><a href="/r{i}">{text}</a></li>' for i, text in enumerate(RELATED))
    return (
        f"<!DOCTYPE html><html><head><title>{TITLE}</title>{head}<script>var x = 'never text';</script>"
        f"<style>p {{ color: red }}</style></head><body>"
        f'<header><nav><ul class="menu">{menu}</ul></nav></header>'
        f"<main><article><h1>{TITLE}</h1>{paragraphs}</article>"
        f'<aside class="related"><h3>Related stories</h3><ul>{related}</ul></aside></main>'
        f'<div id="comments"><h3>Leave a Reply</h3><form><label>Name</label><input name="n"></form></div>'
        f"<footer><p>© 2025 The Valley Courier. All rights reserved.</p></footer>{extra_body}</body></html>"
    )


def links(text: str, shares: list[float]) -> ExtractedPage:
    """A page whose extractor kept every line, with these link shares."""
    return ExtractedPage(text, left_out=(), link_shares=tuple(shares))


def words(text: str) -> list[str]:
    return re.findall(r"\S+", text)


def test_the_text_after_a_hidden_element_comes_once():
    tree = parse_html("<html><body><p>a <script>x()</script> tail text</p><div>b<style>s</style>c</div></body></html>")
    assert visible_lines(tree) == ["a tail text", "bc"]


def test_visible_lines_are_blocks_with_no_hidden_text():
    tree = parse_html(
        "<html><body><div>One <b>bold</b> line<br>after a break</div><script>hidden()</script>"
        "<!-- a comment --><p>  spaced\n   out  </p><ul><li>item</li><li>other</li></ul>tail text</body></html>"
    )
    assert visible_lines(tree) == ["One bold line", "after a break", "spaced out", "item", "other", "tail text"]


def test_the_page_keeps_its_article_and_logs_every_left_out_line():
    extracted = extract_page(page(), OPTIONS)
    assert extracted.text.startswith("Home\nWorld\n")
    assert "never text" not in extracted.text
    removed = {extracted.text[hit.start : hit.end] for hit in extracted.left_out}
    assert set(MENU) <= removed
    assert not any(paragraph in removed for paragraph in ARTICLE)
    assert extracted.metadata["title"] == TITLE


def test_text_rules_run_on_what_the_extractor_kept_and_the_accounting_holds():
    extracted = extract_page(page(), OPTIONS)
    cleaned = Cleaner().clean("page", extracted.text, page=extracted)
    assert all(paragraph in cleaned.cleaned_text for paragraph in ARTICLE)
    assert "Leave a Reply" not in cleaned.cleaned_text and "All rights reserved" not in cleaned.cleaned_text
    assert words(cut_removals(extracted.text, cleaned.removals)) == words(cleaned.cleaned_text)
    rules = {removal.rule for removal in cleaned.removals}
    assert EXTRACTOR_RULE in rules
    # The extractor's removals are html_boilerplate, or of the category of the text rule that
    # recognizes them (tests/unit/test_left_out.py).
    categories = {rule.id: rule.category for rule in Cleaner().rules}
    for removal in cleaned.removals:
        if removal.rule == EXTRACTOR_RULE and removal.category != "html_boilerplate":
            assert categories[removal.reason.split("; ", 1)[1].split(" ")[0]] == removal.category


def test_skipped_rules_do_not_run_on_extracted_text_but_do_without_an_extractor():
    cleaner = Cleaner()
    skipped = set(rule_ids(on_extracted_html=False))
    assert skipped and not skipped & {rule.id for rule in cleaner.extracted_rules}
    assert skipped <= {rule.id for rule in cleaner.rules}


def test_the_prose_share_counts_the_characters_of_prose_lines_the_extraction_holds():
    from cleaners.html import _prose_share

    prose = "A line of prose that is long enough to count as running text for this test here."
    lines = [prose, "Home", prose + " More.", "Sport"]
    assert _prose_share(lines, [True, False, False, False], 12) == len(prose) / (2 * len(prose) + 6)
    assert _prose_share(lines, [False, True, False, True], 12) == 0.0
    assert _prose_share(["Home", "Sport"], [False, False], 12) == 1.0  # no prose: nothing was missed


def test_the_full_search_finds_the_article_the_fast_pass_missed_for_a_table_of_links(shared):
    """A real page (L3S-GN1): trafilatura's fast pass returns the site's table of sections, which is
    long enough not to look short but holds none of the page's prose; the full search finds the story."""
    page = shared / "bench" / "l3s-gn1" / "html" / "f70d2b06-2e15-4383-9bfb-5b2052de8452.html.gz"
    html = decode_text(gzip.decompress(page.read_bytes())).text
    story = "New Delhi, Dec. 30: India today restarted"
    extracted = extract_page(html, OPTIONS)
    assert story in cut_removals(extracted.text, extracted.left_out or ())
    fast_only = extract_page(html, {**OPTIONS, "full_search_below_prose_share": 0.0, "gap_max_structure_lines": 0})
    assert story not in cut_removals(fast_only.text, fast_only.left_out or ())


def test_the_extractor_leaves_the_tree_it_is_given_as_parsed():
    """The fast pass and the full search read one parsed tree (trafilatura works on a copy)."""
    from lxml import etree

    tree = parse_html(page())
    before = etree.tostring(tree)
    for fast in (True, False):
        assert trafilatura_document(tree, load_settings()["html"], fast=fast) is not None
    assert etree.tostring(tree) == before


def test_lines_know_their_share_of_link_text():
    tree = parse_html("<html><body><ul><li><a href=x>Home</a></li><li>Plain <a href=y>link</a></li></ul></body></html>")
    assert visible_blocks(tree) == (["Home", "Plain link"], [1.0, 4 / 9])


def test_on_a_page_a_menu_run_must_be_links():
    """A list of dates after the article is not a menu when none of it is a link; the same lines as links are."""
    dates = [
        "June 9 – Harbour Hall",
        "June 11 – City Arena",
        "June 14 – Old Theatre",
        "June 16 – Park Stage",
        "June 19 – River Club",
        "June 21 – North Hall",
    ]
    text = "".join(line + "\n" for line in [TITLE, *ARTICLE, *dates])
    lines = text.count("\n")
    plain = Cleaner().clean("p", text, page=links(text, [0.0] * lines))
    linked = Cleaner().clean("p", text, page=links(text, [0.0] * (lines - len(dates)) + [1.0] * len(dates)))
    assert all(date in plain.cleaned_text for date in dates)
    assert not any(date in linked.cleaned_text for date in dates)
    assert {r.rule for r in linked.removals} == {"navigation.menu_run"}


def test_on_a_page_the_lines_between_a_menu_and_the_article_that_are_no_links_stay():
    """A menu of links runs into the article's head: the headline, standfirst, byline and date under
    it hold no link and are the article's, though they are short lines like the menu's."""
    menu = ["Home", "World", "Business", "Sport", "Culture", "Travel"]
    head = [TITLE, "· Branches to open on Sundays", "Ann Walker in Riverton", "Thursday January 10, 2008"]
    text = "".join(line + "\n" for line in [*menu, *head, *ARTICLE])
    lines = text.count("\n")
    cleaned = Cleaner().clean("p", text, page=links(text, [1.0] * len(menu) + [0.0] * (lines - len(menu))))
    assert all(line in cleaned.cleaned_text for line in [*head, *ARTICLE])
    assert not any(item in cleaned.cleaned_text.split("\n") for item in menu)
    assert "navigation.menu_run" in {r.rule for r in cleaned.removals}


def test_on_a_page_lines_of_links_after_the_article_are_related_links():
    teasers = ["Storm closes the coastal road for two days", "The market hall reopens in May after repairs"]
    text = "".join(line + "\n" for line in [TITLE, *ARTICLE, *teasers])
    lines = text.count("\n")
    linked = Cleaner().clean("p", text, page=links(text, [0.0] * (lines - 2) + [1.0, 0.9]))
    plain = Cleaner().clean("p", text, page=links(text, [0.0] * lines))
    assert {r.rule for r in linked.removals} == {"related_links.link_lines"}
    assert "link text" in linked.removals[0].reason
    assert all(teaser in plain.cleaned_text for teaser in teasers)
    assert all(paragraph in linked.cleaned_text for paragraph in ARTICLE)


HEADLINES = [
    "Police make an arrest in the harbour theft case",
    "Worker rescued from a trench at the building site",
    "Investigators return to the site of the crane accident",
]


def test_on_a_page_a_run_of_linked_headlines_inside_the_article_is_related_links():
    """The extractor kept a site's latest headlines between the article's paragraphs."""
    body = [*ARTICLE[:2], *HEADLINES, *ARTICLE[2:]]
    text = "".join(line + "\n" for line in [TITLE, *body])
    shares = [0.0] * 3 + [0.8] * len(HEADLINES) + [0.0] * (len(ARTICLE) - 2)
    cleaned = Cleaner().clean("p", text, page=links(text, shares))
    assert not any(headline in cleaned.cleaned_text for headline in HEADLINES)
    assert {r.rule for r in cleaned.removals} == {"related_links.link_lines"}
    assert "a list of headlines" in cleaned.removals[0].reason
    assert all(paragraph in cleaned.cleaned_text for paragraph in ARTICLE)


def test_on_a_page_with_no_article_body_lists_of_links_are_related_links():
    """The extractor kept a page of links: no body is found, and the lists still go."""
    places = ["Harbour", "Old Town", "Riverside", "North Hill", "Castle Park", "Mill Lane"]
    text = "".join(line + "\n" for line in ["Local news", *places, "Choose your area"])
    cleaned = Cleaner().clean("p", text, page=links(text, [0.0, *([1.0] * len(places)), 0.0]))
    assert not any(place in cleaned.cleaned_text.split("\n\n") for place in places)
    assert "Choose your area" in cleaned.cleaned_text


@pytest.mark.parametrize(
    ("lines", "share", "why"),
    [
        (HEADLINES[:2], 0.8, "two linked lines are not a list"),
        (HEADLINES, 0.3, "mostly plain text"),
        ([h + ", the council said on Monday." for h in HEADLINES], 0.8, "a digest's linked sentences"),
    ],
)
def test_linked_lines_inside_the_article_that_are_no_headline_list_stay(lines, share, why):
    text = "".join(line + "\n" for line in [TITLE, *ARTICLE[:2], *lines, *ARTICLE[2:]])
    shares = [0.0] * 3 + [share] * len(lines) + [0.0] * (len(ARTICLE) - 2)
    cleaned = Cleaner().clean("p", text, page=links(text, shares))
    assert all(line in cleaned.cleaned_text for line in lines), why


def test_table_cells_and_teasers_are_matched_back_to_lines():
    article = "The first paragraph of the story is long enough to be matched by its word pairs here."
    extracted = f"{article}\n| Pos. | Driver | Points |\n| 1 | Martin Truex Jr. | 5035 |"
    lines = ["The first paragraph of the story is long", article, "Pos.", "Driver", "Martin Truex Jr.", "5035", "Home"]
    assert extractor_kept(lines, extracted, min_share=0.5) == [False, True, True, True, True, True, False]


PARAGRAPH = (
    "The council said the new timetable would add two evening ferries from March, after a survey "
    "found that most commuters left the city later than the current last crossing allowed."
)


def test_the_article_after_an_advertisement_is_taken_back():
    """trafilatura took the first half of an article that an advertisement label cut in two."""
    short = "Fares stay the same until the end of the year, the council said."
    lines = [TITLE, PARAGRAPH, "Advertisement", PARAGRAPH, short, "Advertisement", PARAGRAPH, "More stories", "Ferry"]
    kept = [True, True] + [False] * 7
    assert continuation_kept(lines, kept, OPTIONS) == [True, True, False, True, True, False, True, False, False]


@pytest.mark.parametrize(
    ("after", "why"),
    [
        (["Share", "Tweet", "Email", PARAGRAPH], "three short lines are more than a label"),
        (["Related stories", "Storm closes the coastal road for two days and the ferries stop"], "a headline"),
        (["Five things to know about the new ferry timetable and the fares that come with it"], "no sentence"),
        (["Advertisement", "Short sentence here."], "too short to start a continuation"),
        ([PARAGRAPH], "prose right after the article, with no label between, is another container"),
        (["About the author", PARAGRAPH], "a section title is not a label"),
    ],
)
def test_what_follows_the_article_and_does_not_read_as_it_stays_out(after, why):
    lines = [TITLE, PARAGRAPH, *after]
    kept = [True, True] + [False] * len(after)
    assert continuation_kept(lines, kept, OPTIONS) == kept, why


def test_no_continuation_without_an_article_or_when_turned_off():
    assert continuation_kept([PARAGRAPH], [False], OPTIONS) == [False]
    lines, kept = [PARAGRAPH, "Advertisement", PARAGRAPH], [True, False, False]
    assert continuation_kept(lines, kept, {**OPTIONS, "continuation_min_words": 0}) == kept


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.html", b"", "empty"),
        ("binary.html", bytes(range(256)) * 8, "binary"),
        ("no-text.html", b"<html><head><title>t</title></head><body><script>x()</script></body></html>", "visible"),
    ],
)
def test_pages_with_nothing_to_read_are_rejected_with_a_reason(tmp_path, name, content, expected):
    (tmp_path / name).write_bytes(content)
    (source,), _ = discover(tmp_path)
    with pytest.raises(Rejected, match=expected):
        read_document(tmp_path, source, html_options=OPTIONS)


def test_a_drop_down_shows_its_chosen_option_not_its_list():
    tree = parse_html(
        "<html><body><p>Sort by <select><option>Newest</option><option selected>Oldest</option></select> first</p>"
        "<form><select><option>Choose a team</option><option>Anaheim</option><option>Arizona</option></select>"
        "<datalist><option>hidden</option></datalist></form><p>Text</p></body></html>"
    )
    assert visible_lines(tree) == ["Sort by Oldest first", "Choose a team", "Text"]


def test_what_follows_the_end_of_the_page_is_read_as_a_browser_shows_it():
    """A page built of several documents, or a server's error printed after `</html>`."""
    second = "<!DOCTYPE html>\n<html><head><title>T</title><script>s()</script></head><body><p>Second page</p>"
    tree = parse_html(f"<html><body><p>First page</p></body></html>\n{second}</body></html>\nWarning: leaked")
    assert visible_lines(tree) == ["First page", "Second page", "Warning: leaked"]


def test_broken_and_lying_pages_are_read(tmp_path):
    lying = page().replace("<head>", '<head><meta charset="iso-8859-1">').replace("Valley", "Zürich")
    (tmp_path / "lying-charset.html").write_bytes(lying.encode("utf-8"))
    unclosed = f"<html><body><div><p>{ARTICLE[0]}<p>{ARTICLE[1]}"
    (tmp_path / "unclosed.htm").write_bytes(unclosed.encode("utf-8"))
    (tmp_path / "no-body.html").write_bytes(b"<p>" + ARTICLE[2].encode() + b"</p>")
    with gzip.open(tmp_path / "zipped.html.gz", "wb") as handle:
        handle.write(page().encode("utf-8"))
    sources, rejected = discover(tmp_path)
    assert not rejected and {s.kind for s in sources} == {"html"}
    documents = {s.doc_id: read_document(tmp_path, s, html_options=OPTIONS) for s in sources}
    assert "Zürich" in documents["lying-charset"].text
    assert ARTICLE[0] in documents["unclosed"].text and ARTICLE[1] in documents["unclosed"].text
    assert documents["no-body"].text == ARTICLE[2] + "\n"
    assert documents["zipped"].page.left_out is not None and documents["zipped"].is_html


def test_a_big_page_is_read():
    paragraphs = "".join(f"<div><p>{ARTICLE[i % len(ARTICLE)]} ({i})</p></div>" for i in range(8000))
    extracted = extract_page(page(extra_body=paragraphs), OPTIONS)
    assert len(extracted.text) > 1_500_000


TAGS = st.sampled_from(["div", "p", "span", "a", "li", "ul", "td", "table", "br", "b", "section", "script", "h2"])
TEXTS = st.text(alphabet=st.sampled_from([*"abc XYZ.,é\n\t<>&", "ü", "–"]), max_size=40)


@st.composite
def html_trees(draw, depth: int = 3) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        if depth and draw(st.booleans()):
            tag = draw(TAGS)
            parts.append(f"<{tag}>{draw(html_trees(depth - 1))}" + ("" if draw(st.booleans()) else f"</{tag}>"))
        else:
            parts.append(draw(TEXTS).replace("<", "&lt;"))
    return "".join(parts)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=html_trees(), article=st.booleans())
def test_any_page_is_accounted_for(body, article):
    """Whatever the markup: no crash, and the source text minus the log is the cleaned text."""
    html = page(extra_body=body) if article else f"<html><body>{body}</body></html>"
    try:
        extracted = extract_page(html, OPTIONS)
    except Rejected:
        return
    cleaned = Cleaner().clean("page", extracted.text, page=extracted)
    assert words(cut_removals(extracted.text, cleaned.removals)) == words(cleaned.cleaned_text)
    for removal in cleaned.removals:
        assert extracted.text[removal.start : removal.end] == removal.text


def test_the_headline_above_the_extracted_text_can_be_kept():
    from cleaners.html import headline_kept

    lines = ["Home", "News", TITLE, "By Jane Doe", *ARTICLE]
    kept = [False, False, False, False] + [True] * len(ARTICLE)
    options = {**OPTIONS, "headline_max_lines_above": 12}
    assert headline_kept(lines, kept, TITLE + " | The Daily Courier", options)[2] is True
    assert headline_kept(lines, kept, TITLE, {**options, "headline_max_lines_above": 0}) == kept  # off by default
    assert headline_kept(lines, kept, "Another story entirely about ferries", options) == kept
    assert headline_kept(lines, kept, "", options) == kept


def test_a_lead_paragraph_right_above_the_extracted_text_is_taken_back():
    from cleaners.html import lead_kept

    teaser = (
        "Ferry service resumes after the winter storms, operators said on Monday, with the first crossings "
        "at reduced capacity."
    )
    lines = ["Home", teaser, TITLE, *ARTICLE]
    kept = [False, False, False, False] + [True] * (len(ARTICLE) - 1)
    taken = lead_kept(lines, kept, OPTIONS)
    assert taken[3] is True  # the article's first paragraph, which the extractor left out
    assert taken[:3] == [False, False, False]  # the headline stops it: the teaser above is not the lead
    assert lead_kept(lines, kept, {**OPTIONS, "lead_min_words": 0}) == kept
    with_headline = [False, False, True] + [True] * len(ARTICLE)  # the extractor kept the headline
    assert lead_kept(["Home", ARTICLE[0], TITLE, *ARTICLE], with_headline, OPTIONS) == with_headline


def _page(lines: list[str], left_out: set[int]) -> ExtractedPage:
    """A page whose extractor left out the lines at `left_out` (a menu's links)."""
    starts = list(itertools.accumulate((len(line) + 1 for line in lines), initial=0))
    hits = tuple(Hit(starts[i], starts[i] + len(lines[i]), "left out") for i in sorted(left_out))
    shares = tuple(1.0 if i in left_out else 0.0 for i in range(len(lines)))
    return ExtractedPage("".join(line + "\n" for line in lines), hits, link_shares=shares)


def test_lines_the_extractor_left_out_keep_a_footer_far_below_out_of_the_article_body():
    menu = [f"Section {n}" for n in range(12)]
    promo = "Our breaking news alerts will keep you informed. Find out more."
    lines = [TITLE, *ARTICLE, *menu, promo]
    extracted = _page(lines, set(range(len(ARTICLE) + 1, len(lines) - 1)))
    cleaned = Cleaner().clean("page", extracted.text, page=extracted)
    assert [r.text for r in cleaned.removals if r.rule == "advertising.site_promo"] == [promo]
    assert all(paragraph in cleaned.cleaned_text for paragraph in ARTICLE)
    # Without the extractor's lines between, the same sentence reads as the article's last line.
    alone = _page([TITLE, *ARTICLE, promo], set())
    assert promo in Cleaner().clean("page", alone.text, page=alone).cleaned_text


def test_a_label_the_extractor_left_out_inside_the_article_does_not_split_its_body():
    lines = [TITLE, *ARTICLE[:2], "Advertisement", *ARTICLE[2:]]
    extracted = _page(lines, {3})
    cleaned = Cleaner().clean("page", extracted.text, page=extracted)
    assert [r.text for r in cleaned.removals] == ["Advertisement"]


def test_paragraphs_the_extractor_skipped_inside_its_text_are_taken_back():
    from cleaners.html import gap_kept

    teaser = "Football: the cup draw pairs the two city clubs"
    lines = [teaser, ARTICLE[0], ARTICLE[1], "The plan", ARTICLE[2], ARTICLE[3]]
    kept = [True, False, True, True, False, False]
    shares = [1.0, 0.0, 0.0, 0.0, 0.0, 0.0]
    taken = gap_kept(lines, kept, shares, ["p"] * 6, OPTIONS)
    assert taken == [True, True, True, True, False, False]  # the lead under a teaser; nothing after the text
    off = {**OPTIONS, "gap_max_lines": 0, "gap_prose_share": 0.0}
    assert gap_kept(lines, kept, shares, ["p"] * 6, off) == kept


def test_a_skipped_run_with_a_menu_label_or_links_in_it_stays_out():
    from cleaners.html import gap_kept

    options = {**OPTIONS, "gap_prose_share": 0.0}  # sections of prose: the test below
    lines = [ARTICLE[0], "Advertisement", ARTICLE[1], ARTICLE[2], ARTICLE[3]]
    kept = [True, False, False, True, True]
    assert gap_kept(lines, kept, [0.0] * 5, ["p", "div", "p", "p", "p"], options) == kept  # a label in the run
    linked = [ARTICLE[0], ARTICLE[1], ARTICLE[2]]
    assert gap_kept(linked, [True, False, True], [0.0, 0.6, 0.0], ["p"] * 3, OPTIONS) == [True, False, True]
    long_gap = [ARTICLE[0], *ARTICLE[1:4], ARTICLE[1], ARTICLE[2], ARTICLE[0]]
    assert gap_kept(long_gap, [True] + [False] * 5 + [True], [0.0] * 7, ["p"] * 7, options) == [True] + [False] * 5 + [
        True
    ]


def test_a_section_of_prose_skipped_inside_the_text_is_taken_back_without_its_buttons():
    from cleaners.html import gap_kept

    button = "Learn more"
    caption = "The reading room of the central library on its first Sunday opening, photographed in March."
    section = [ARTICLE[1], ARTICLE[2], caption, button, "Advertisement", ARTICLE[3], caption, button]
    lines = [ARTICLE[0], *section, ARTICLE[0]]
    kept = [True] + [False] * len(section) + [True]
    shares = [1.0 if line == button else 0.0 for line in lines]
    taken = gap_kept(lines, kept, shares, ["p"] * len(lines), OPTIONS)
    # The paragraphs come back; the buttons, the label and the caption the page shows twice do not.
    assert [line for line, is_kept in zip(lines, taken, strict=True) if is_kept] == [
        ARTICLE[0],
        ARTICLE[1],
        ARTICLE[2],
        ARTICLE[3],
        ARTICLE[0],
    ]
    # More than gap_prose_max_ratio times what the extractor kept: the rest of the page, not a section.
    assert gap_kept(lines, kept, shares, ["p"] * len(lines), {**OPTIONS, "gap_prose_max_ratio": 0.5}) == kept
    # Mostly links and labels: a menu with a blurb in it.
    menu = ["Home and garden", "News from the region", "Sport and results", "Weather for the week", ARTICLE[1]]
    menu += ["Contact the newsroom", "Letters to the editor", "Jobs at the paper", "Subscribe for a year"]
    mixed = [ARTICLE[0], *menu, ARTICLE[0]]
    unkept = [True] + [False] * len(menu) + [True]
    assert gap_kept(mixed, unkept, [0.0] * len(mixed), ["p"] * len(mixed), OPTIONS) == unkept
    assert gap_kept(lines, kept, shares, ["p"] * len(lines), {**OPTIONS, "gap_prose_share": 0.0}) == kept


def article_page(paragraphs: list[str]) -> str:
    """A page of a menu, an article of these paragraphs and a footer."""
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    menu = "".join(f'<a href="/{item.lower()}">{item}</a> ' for item in MENU)
    return (
        f"<html><head><title>{TITLE}</title></head><body><nav>{menu}</nav>"
        f"<article><h1>{TITLE}</h1>{body}</article><footer>Imprint</footer></body></html>"
    )


def hyphenated(text: str) -> str:
    """Soft hyphens in every word longer than five letters, as hyphenating sites write them."""
    return " ".join(word[:3] + "\u00ad" + word[3:] if len(word) > 5 else word for word in text.split())


@pytest.mark.parametrize(
    "paragraphs",
    [
        [hyphenated(text) for text in ARTICLE],
        [text.replace(" ", "\u200b ") for text in ARTICLE],
        [
            unicodedata.normalize("NFD", f"Theo các chuyên gia, việc nâng cấp hệ thống giao thông số {number} sẽ giúp.")
            for number in range(5)
        ],
        ["\ufb01nal o\ufb03ce \ufb02oor: " + text for text in ARTICLE],  # ligatures the extractor may fold
    ],
    ids=["soft-hyphens", "zero-width-spaces", "nfd", "ligatures"],
)
def test_invisible_characters_and_normalization_forms_do_not_hide_the_article(paragraphs):
    extracted = extract_page(article_page(paragraphs), OPTIONS)
    removed = [extracted.text[hit.start : hit.end] for hit in extracted.left_out]
    assert removed and not any(paragraph in removed for paragraph in paragraphs), removed
    # The source text keeps the page's characters: the match normalizes, the offsets do not move.
    assert paragraphs[0] in extracted.text


def test_ruby_readings_are_not_read_into_the_line():
    sentence = "<ruby>漢字<rp>(</rp><rt>かんじ</rt><rp>)</rp></ruby>を使った文章は、学校でたくさん学びます。"
    extracted = extract_page(article_page([sentence + f"その{number}番目の段落です。" for number in range(6)]), OPTIONS)
    assert "漢字を使った文章は、学校でたくさん学びます。その0番目の段落です。" in extracted.text
    assert "かんじ" not in extracted.text
    removed = [extracted.text[hit.start : hit.end] for hit in extracted.left_out]
    assert not any("漢字" in line for line in removed)


def paragraphs_html() -> str:
    return f"<h1>{TITLE}</h1>" + "".join(f"<p>{text}</p>" for text in ARTICLE)


def kept_text(extracted: ExtractedPage) -> str:
    return cut_removals(extracted.text, list(extracted.left_out or ()))


def test_ten_thousand_nested_wrappers_do_not_hide_the_article():
    deep = "<div class='wrap'>" * 10_000 + paragraphs_html() + "</div>" * 10_000
    extracted = extract_page(f"<html><body><nav><a href='/'>Home</a></nav>{deep}</body></html>", OPTIONS)
    assert all(paragraph in kept_text(extracted) for paragraph in ARTICLE)


def test_deep_wrappers_of_alternating_names_do_not_hide_the_article():
    deep = "<ul><li>" * 400 + "Contents" + "</li></ul>" * 400
    nested = "<div><section>" * 300 + paragraphs_html() + "</section></div>" * 300
    extracted = extract_page(f"<html><body><nav><a href='/'>Home</a></nav>{deep}{nested}</body></html>", OPTIONS)
    assert all(paragraph in kept_text(extracted) for paragraph in ARTICLE)


def test_an_unclosed_div_in_noscript_does_not_take_the_page_into_it():
    markup = (
        "<html><body><noscript><div class='warn'>Please enable JavaScript</noscript>"
        f"<nav><a href='/'>Home</a></nav><article>{paragraphs_html()}</article></body></html>"
    )
    extracted = extract_page(markup, OPTIONS)
    assert "Please enable JavaScript" not in extracted.text
    assert all(paragraph in kept_text(extracted) for paragraph in ARTICLE)


def test_a_page_that_shows_its_content_only_without_scripts_is_read_so():
    # A forum that renders itself from a script carries the thread for readers without scripts.
    posts = "".join(
        f"<div class='post'><span class='author'>member{i}</span><p>{text}</p></div>" for i, text in enumerate(ARTICLE)
    )
    markup = (
        "<html><head><title>A thread</title></head><body><div id='app'>Loading…</div>"
        f"<noscript><header><a href='/'>Home</a></header><main>{posts}</main></noscript></body></html>"
    )
    extracted = extract_page(markup, OPTIONS)
    assert all(paragraph in extracted.text for paragraph in ARTICLE)
    assert "without scripts" in extracted.metadata["read_without_scripts"]
    assert all(paragraph in visible_text(markup) for paragraph in ARTICLE)  # what the log tools read
    # A page that shows its article keeps its fallback unread.
    shown = f"<html><body><article>{paragraphs_html()}</article><noscript>{posts}</noscript></body></html>"
    assert "member0" not in extract_page(shown, OPTIONS).text
    assert "read_without_scripts" not in extract_page(shown, OPTIONS).metadata


@pytest.mark.parametrize(
    ("holder", "found_in"),
    [
        (
            "<script type='application/ld+json'>"
            + json.dumps(
                {
                    "@context": "https://schema.org",
                    "@graph": [
                        {"@type": "WebPage"},
                        {"@type": ["NewsArticle"], "headline": TITLE, "articleBody": "\n\n".join(ARTICLE)},
                    ],
                }
            )
            + "</script>",
            "json-ld articleBody",
        ),
        (f"<script type='text/template'><article>{paragraphs_html()}</article></script>", "script template"),
    ],
    ids=["json-ld", "script-template"],
)
def test_an_article_only_in_structured_data_is_read_and_logged_as_such(holder, found_in):
    markup = (
        f"<html><head><title>{TITLE}</title>{holder}</head><body><nav><a href='/'>Home</a> "
        "<a href='/world'>World</a></nav><div id='app'></div><footer>© 2025 The Courier</footer></body></html>"
    )
    extracted = extract_page(markup, OPTIONS)
    assert extracted.metadata["body_from"] == found_in
    assert all(paragraph in kept_text(extracted) for paragraph in ARTICLE)
    assert "World" not in kept_text(extracted)
    # Every visible line left out says why; the source text still holds all of them.
    assert all(extracted.text[h.start : h.end] in ("Home World", "© 2025 The Courier") for h in extracted.left_out)


def test_a_page_that_shows_its_article_is_read_as_shown_whatever_its_json_ld_holds():
    other = "A different, longer text that only the structured data holds. " * 30
    holder = (
        "<script type='application/ld+json'>" + json.dumps({"@type": "NewsArticle", "articleBody": other}) + "</script>"
    )
    extracted = extract_page(page(head=holder), OPTIONS)
    assert "body_from" not in extracted.metadata and "only the structured data" not in extracted.text


FORUM_POSTS = [
    "I am cooking for a party of two hundred people next month. How far ahead can I prepare the pasta?",
    "You can cook it a day ahead, toss it with a little oil and keep it cold until you reheat it in batches.",
    "Undercook it by two minutes so that it does not go soft when you reheat it in the sauce on the day.",
    "We did this for a wedding last year and reheated it in hotel pans in the oven, which worked very well.",
]


def forum_page(declared: bool) -> str:
    schema = {"@context": "https://schema.org", "@type": "QAPage", "mainEntity": {"@type": "Question", "name": TITLE}}
    head = f"<script type='application/ld+json'>{json.dumps(schema)}</script>" if declared else ""
    answers = "".join(
        f"<div class='comment' id='comment-{n}'><p class='author'>user{n} wrote on 3 March 2025</p><p>{text}</p></div>"
        for n, text in enumerate(FORUM_POSTS[1:], 1)
    )
    return (
        f"<html><head><title>{TITLE}</title>{head}</head><body><nav><a href='/'>Home</a></nav>"
        f"<article><h1>{TITLE}</h1><p>{FORUM_POSTS[0]}</p></article>"
        f"<section id='comments' class='comments'><h2>Comments</h2>{answers}</section></body></html>"
    )


def test_a_page_that_declares_itself_a_discussion_keeps_its_posts_and_says_it_is_a_forum():
    cleaner = Cleaner()
    extracted = extract_page(forum_page(declared=True), OPTIONS)
    assert extracted.metadata["page_type"] == "forum"
    cleaned = cleaner.clean("forum", extracted.text, page=extracted)
    assert all(post in cleaned.cleaned_text for post in FORUM_POSTS)
    assert not any(r.category == "comments" and r.rule != EXTRACTOR_RULE for r in cleaned.removals)


def test_a_discussion_is_cleaned_by_the_text_rules_and_its_record_says_so():
    extracted = extract_page(forum_page(declared=True), OPTIONS)
    cleaned = Cleaner().clean("forum", extracted.text, page=extracted)
    assert "discussion" in cleaned.set_aside
    assert not [r for r in cleaned.removals if r.rule == EXTRACTOR_RULE]
    settings = load_settings()
    settings["html"]["forums_as_text"] = False
    kept_decision = Cleaner(settings).clean("forum", extracted.text, page=extracted)
    assert not kept_decision.set_aside


SERVICES = [
    "We repair leaking roofs of any age, replace broken tiles and slates, and check the flashing around "
    "chimneys and windows so that the next storm finds nothing to get in through.",
    "Our gutter service clears leaves and moss from gutters and downpipes, fixes sagging brackets and "
    "seals the joints that drip, and we send you photographs of the work when we are done.",
    "For flat roofs we lay new membranes that carry a fifteen year guarantee, and we can add insulation "
    "under them to keep the rooms below warmer in winter and cooler through the summer.",
    "Every visit starts with a free inspection: a roofer walks the whole roof, notes what needs doing now "
    "and what can wait, and gives you a written quote before any work begins.",
]


def _sections_page(kept: set[int]) -> tuple[list[str], ExtractedPage]:
    """A service page of sections (a heading and a paragraph each) of which the extractor kept the
    lines at `kept`."""
    lines = ["Home", "Services", "Contact", "Roof repairs you can count on"]
    for n, text in enumerate(SERVICES):
        lines += [f"Service {n + 1}", text]
    starts = list(itertools.accumulate((len(line) + 1 for line in lines), initial=0))
    hits = tuple(Hit(starts[i], starts[i] + len(lines[i]), "left out") for i in range(len(lines)) if i not in kept)
    shares = tuple(1.0 if i < 3 else 0.0 for i in range(len(lines)))
    return lines, ExtractedPage("".join(line + "\n" for line in lines), hits, link_shares=shares)


def test_a_page_whose_content_the_extractor_kept_a_sliver_of_is_cleaned_by_the_text_rules():
    _, extracted = _sections_page({4, 5})  # one section of four
    cleaned = Cleaner().clean("service", extracted.text, page=extracted)
    assert all(text in cleaned.cleaned_text for text in SERVICES)
    assert "the extractor kept" in cleaned.set_aside
    assert not [r for r in cleaned.removals if r.rule == EXTRACTOR_RULE]
    assert cut_removals(extracted.text, cleaned.removals) == cleaned.cleaned_text


def test_a_sliver_is_set_aside_the_same_with_the_explanations_turned_off():
    """The pass that explains the left-out lines also finds the pages to set aside; turned off,
    it runs only for a page that may be one, and the cleaned text is the same."""
    _, extracted = _sections_page({4, 5})
    settings = load_settings()
    settings["html"]["explain_left_out"] = False
    bare = Cleaner(settings).clean("service", extracted.text, page=extracted)
    explained = Cleaner().clean("service", extracted.text, page=extracted)
    assert bare.set_aside == explained.set_aside and "the extractor kept" in bare.set_aside
    assert bare.cleaned_text == explained.cleaned_text


def test_the_extractor_decides_where_it_kept_the_content_or_where_told_to():
    _, extracted = _sections_page(set(range(3, 12)))  # everything but the menu
    cleaned = Cleaner().clean("service", extracted.text, page=extracted)
    assert not cleaned.set_aside
    assert all(text in cleaned.cleaned_text for text in SERVICES)
    assert [r.text for r in cleaned.removals if r.rule == EXTRACTOR_RULE] == ["Home", "Services\nContact"]
    _, sliver = _sections_page({4, 5})
    settings = load_settings()
    settings["html"]["text_rules_below_words"] = 0
    kept_decision = Cleaner(settings).clean("service", sliver.text, page=sliver)
    assert not kept_decision.set_aside
    assert SERVICES[1] not in kept_decision.cleaned_text


TEASERS = [
    "Harbour ferry timetable changes next monthThe ferry company will run fewer boats in winter and "
    "more in summer, after a year of complaints about crowded crossings.",
    "Storm closes the coastal road for two daysCrews worked through the night to clear fallen trees "
    "and rocks from the road between the two harbour towns.",
    "School board names a new head of the district's music programmeThe new head has taught music "
    "in the valley's schools for twenty years and led the youth orchestra.",
]


def test_prose_that_is_all_links_does_not_start_the_article_body():
    lines = [*TEASERS, TITLE, *ARTICLE]
    shares = [1.0] * len(TEASERS) + [0.0] + [0.3, *[0.0] * (len(ARTICLE) - 1)]  # a link in the lead
    page = ExtractedPage("".join(line + "\n" for line in lines), None, link_shares=tuple(shares))
    rules = without_the_line_model()  # on so short a page the model reads every line as the article's
    cleaned = rules.clean("page", page.text, page=page)
    assert all(paragraph in cleaned.cleaned_text for paragraph in ARTICLE)
    assert [r.rule for r in cleaned.removals] == ["related_links.link_lines"]
    assert not any(teaser in cleaned.cleaned_text for teaser in TEASERS)
    as_text = rules.clean("text", page.text)  # without link shares they read as the article's
    assert all(teaser in as_text.cleaned_text for teaser in TEASERS)


def test_the_same_page_undeclared_is_an_article_whose_comments_go():
    extracted = extract_page(forum_page(declared=False), OPTIONS)
    assert extracted.metadata["page_type"] == "article"
    cleaned = Cleaner().clean("page", extracted.text, page=extracted)
    assert FORUM_POSTS[0] in cleaned.cleaned_text
    assert not any(post in cleaned.cleaned_text for post in FORUM_POSTS[1:])


def listing_page(declared: bool) -> str:
    schema = {"@context": "https://schema.org", "@type": "CollectionPage", "name": "Wallets"}
    head = f"<script type='application/ld+json'>{json.dumps(schema)}</script>" if declared else ""
    entries = "".join(
        f"<li><a href='/p/{n}'>Slim wallet {colour}</a> <a href='/p/{n}'>${20 + n}</a></li>"
        for n, colour in enumerate(["black", "red", "blue", "green", "grey", "orange", "brown"])
    )
    return (
        f"<html><head><title>Wallets</title>{head}</head><body><nav><a href='/'>Home</a></nav><main><h1>Wallets</h1>"
        "<p>Our wallets are cut from one sheet of aluminium and hold up to twelve cards without stretching.</p>"
        f"<ul class='products'>{entries}</ul></main></body></html>"
    )


def test_a_page_that_declares_itself_a_collection_is_a_listing_whose_entries_no_menu_rule_takes():
    extracted = extract_page(listing_page(declared=True), OPTIONS)
    assert extracted.metadata["page_type"] == "listing"
    cleaned = Cleaner().clean("listing", extracted.text, page=extracted)
    assert not [
        r for r in cleaned.removals if r.rule != EXTRACTOR_RULE and r.category in ("navigation", "related_links")
    ]
    assert "Slim wallet black $20" in cleaned.cleaned_text
    undeclared = extract_page(listing_page(declared=False), OPTIONS)
    assert undeclared.metadata["page_type"] == "article"  # its entries read as a menu there
    taken = Cleaner().clean("page", undeclared.text, page=undeclared).removals
    assert any(r.rule == "navigation.menu_run" and "Slim wallet black" in r.text for r in taken)


def test_a_list_a_table_or_a_subheading_skipped_inside_the_text_is_taken_back():
    from cleaners.html import gap_kept

    lines = [ARTICLE[0], "What the budget pays for", "Sunday opening", "Forty librarians", "Laptops", ARTICLE[1]]
    tags = ["p", "h2", "li", "li", "li", "p"]
    kept = [True, False, False, False, False, True]
    assert gap_kept(lines, kept, [0.0] * 6, tags, OPTIONS) == [True] * 6
    # Linked items are a menu or a related list, not the article's list; without kept text on both
    # sides, or in plain blocks, nothing is taken back.
    assert gap_kept(lines, kept, [0.0, 0.0, 1.0, 1.0, 1.0, 0.0], tags, OPTIONS) == kept
    open_end = [*kept[:5], False]
    assert gap_kept(lines, open_end, [0.0] * 6, tags, OPTIONS) == open_end
    assert gap_kept(lines, kept, [0.0] * 6, ["p", "div", "div", "div", "div", "p"], OPTIONS) == kept
    assert gap_kept(lines, kept, [0.0] * 6, tags, {**OPTIONS, "gap_max_structure_lines": 0}) == kept


def test_the_key_points_right_above_the_extracted_text_are_taken_back():
    """A page without <article>: trafilatura's fast pass starts at the first paragraph and leaves
    out the key points list above it."""
    from cleaners.html import lead_structure_kept

    lines = ["Home", "News", TITLE, "Key points", "Sunday opening", "Forty librarians", "Laptops", *ARTICLE[:2]]
    tags = ["li", "li", "h1", "h2", "li", "li", "li", "p", "p"]
    shares = [1.0, 1.0] + [0.0] * 7
    kept = [False] * 7 + [True, True]
    # The list and its title; not the headline (h1) nor the menu (links) above them.
    assert lead_structure_kept(lines, kept, shares, tags, OPTIONS) == [False] * 3 + [True] * 6
    assert lead_structure_kept(lines, kept, shares, tags, {**OPTIONS, "lead_max_structure_lines": 0}) == kept


def test_a_page_without_article_markup_keeps_the_list_it_opens_with():
    from cleaners.html import extract_page

    points = ["Sunday opening at every branch", "Forty new librarians", "Laptops to lend"]
    html = (
        '<html><head><title>Budget | Daily</title></head><body><div class="top"><a href="/">Home</a> '
        '<a href="/news">News</a></div><div class="c"><h1>' + TITLE + "</h1><h2>Key points</h2><ul>"
        + "".join(f"<li>{point}</li>" for point in points) + "</ul>"
        + "".join(f"<p>{paragraph}</p>" for paragraph in ARTICLE) + "</div></body></html>"
    )  # fmt: skip
    extracted = extract_page(html, OPTIONS)
    left_out = {extracted.text[hit.start : hit.end] for hit in extracted.left_out}
    assert not left_out & {"Key points", *points, *ARTICLE}


def test_a_byline_a_date_or_a_menu_above_the_extracted_text_stays_out():
    from cleaners.html import lead_structure_kept

    # A byline and a date in list items: two items, no list.
    lines = [TITLE, "By Jane Roe", "12 March 2026", *ARTICLE[:2]]
    tags, kept = ["h2", "li", "li", "p", "p"], [False, False, False, True, True]
    assert lead_structure_kept(lines, kept, [0.0] * 5, tags, OPTIONS) == kept
    # A menu's items are links.
    menu = ["Home", "News", "Sport", "Weather", *ARTICLE[:2]]
    tags, kept = ["li"] * 4 + ["p", "p"], [False] * 4 + [True, True]
    assert lead_structure_kept(menu, kept, [1.0] * 4 + [0.0, 0.0], tags, OPTIONS) == kept
    # Under a first line that is no paragraph (a headline trafilatura kept), the article starts there.
    lines = ["Sunday opening", "Forty librarians", "Laptops", TITLE, *ARTICLE[:2]]
    tags, kept = ["li", "li", "li", "h2", "p", "p"], [False, False, False, True, True, True]
    assert lead_structure_kept(lines, kept, [0.0] * 6, tags, OPTIONS) == kept


def test_the_sections_after_the_extractors_last_line_are_taken_back():
    from cleaners.html import section_after_kept

    after = ["What the budget pays for", "Sunday opening", "Forty librarians", *ARTICLE[2:5]]
    lines = [ARTICLE[0], ARTICLE[1], *after, "Share this story"]
    tags = ["p", "p", "h2", "td", "td", "p", "p", "p", "div"]
    shares = [0.0] * 8 + [1.0]
    kept = [True, True] + [False] * 7
    # The table and the section under its subheading; the share button ends the article.
    assert section_after_kept(lines, kept, shares, tags, OPTIONS) == [True] * 8 + [False]


def test_a_bio_a_comment_thread_or_a_new_article_after_the_text_stays_out():
    from cleaners.html import section_after_kept

    kept = [True, False, False, False]
    bio = [ARTICLE[0], "About the author", ARTICLE[1], ARTICLE[2]]  # two paragraphs: not a section
    assert section_after_kept(bio, kept, [0.0] * 4, ["p", "h3", "p", "p"], OPTIONS) == kept
    thread = [ARTICLE[0], ARTICLE[1], "maria_k 3 days ago", ARTICLE[2], ARTICLE[3]]
    assert section_after_kept(thread, [*kept, False], [0.0] * 5, ["p"] * 5, OPTIONS) == [*kept, False]
    glued = [ARTICLE[0], "Next: the city's new budget", ARTICLE[1], ARTICLE[2], ARTICLE[3]]
    assert section_after_kept(glued, [*kept, False], [0.0] * 5, ["p", "h1", "p", "p", "p"], OPTIONS) == [*kept, False]
    section = [ARTICLE[0], ARTICLE[1], ARTICLE[2], ARTICLE[3]]
    assert section_after_kept(section, kept, [0.0] * 4, ["p"] * 4, {**OPTIONS, "after_min_paragraphs": 0}) == kept


def test_a_faq_of_details_skipped_inside_the_text_is_taken_back():
    from cleaners.html import gap_kept

    faq = parse_html(
        f"<html><body><p>{ARTICLE[0]}</p><details><summary>Who pays for the Sunday opening?</summary>"
        f"<p>{ARTICLE[1]}</p></details><details><summary>When does it start?</summary><p>{ARTICLE[2]}</p>"
        f"</details><p>{ARTICLE[3]}</p></body></html>"
    )
    lines, shares, tags = visible_structure(faq)
    assert tags == ["p", "summary", "p", "summary", "p", "p"]
    kept = [True, False, False, False, False, True]
    assert gap_kept(lines, kept, shares, tags, OPTIONS) == [True] * 6


def test_a_post_the_article_quotes_skipped_inside_the_text_is_taken_back():
    """An embedded tweet is a quotation: its text (ending in a link, no sentence) and its
    attribution line are the article's, as trafilatura's skipping them between its lines shows."""
    from cleaners.html import gap_kept

    page = parse_html(
        f"<html><body><p>{ARTICLE[0]}</p><blockquote class='twitter-tweet'><p>Sunday opening at last "
        "for our library, and forty new librarians to run it <a href='https://t.co/x'>pic.twitter.com/x</a>"
        "</p>— Ann Lee of the Riverside Readers (@annlee) "
        f"<a href='https://twitter.com/annlee/status/1'>March 3, 2025</a></blockquote><p>{ARTICLE[1]}</p>"
        "</body></html>"
    )
    lines, shares, tags = visible_structure(page)
    assert tags == ["p", "blockquote", "blockquote", "p"]
    kept = [True, False, False, True]
    assert gap_kept(lines, kept, shares, tags, OPTIONS) == [True] * 4
    divs = ["p", "div", "div", "p"]  # the same lines outside a quotation: a label and a link line
    assert gap_kept(lines, kept, shares, divs, OPTIONS) == kept


def test_lines_know_the_block_they_stand_in():
    tree = parse_html(
        "<html><body><div>intro<ul><li><p>one</p></li><li>two</li></ul><h2>Head</h2><p>para</p>"
        "<table><tr><td>a</td></tr></table>tail</div></body></html>"
    )
    assert visible_structure(tree)[2] == ["div", "li", "li", "h2", "p", "td", "div"]


def test_markup_a_broken_script_tag_swallowed_is_read_as_markup():
    """An attribute's quote left open in a script tag takes the page up to the next `</script>` into
    the script; a script with a `src` has no content of its own, so its page tags are the page's."""
    markup = (
        "<html><head><title>Libraries</title>\n"
        "<script type='text/javascript' src=\"/te.backgroundColor='yellow';\n}\n</script>\n"
        '</head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav>'
        f"<table><tr><td>{paragraphs_html()}</td></tr></table>"
        '<script src="/ads.js"></script><footer><p>About us</p></footer></body></html>'
    )
    from lxml.html import document_fromstring

    swallowed = document_fromstring(markup)
    assert ARTICLE[0] in "".join(script.text or "" for script in swallowed.iter("script"))
    extracted = extract_page(markup, OPTIONS)
    assert all(paragraph in kept_text(extracted) for paragraph in ARTICLE)
    assert "backgroundColor" not in extracted.text


def test_a_script_with_a_source_and_a_little_markup_in_it_stays_a_script():
    markup = (
        "<html><body><script src='/w.js'>document.write('<div><p>Ad</p></div>')</script>"
        f"<article>{paragraphs_html()}</article></body></html>"
    )
    extracted = extract_page(markup, OPTIONS)
    assert "document.write" not in extracted.text
    assert all(paragraph in kept_text(extracted) for paragraph in ARTICLE)
