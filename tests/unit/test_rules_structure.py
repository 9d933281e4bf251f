"""Structural rules: sections, runs, taglines, datelines and duplicates, judged by position and shape."""

from __future__ import annotations

import pytest

from cleaners import Cleaner
from tests.conftest import ARTICLE, TITLE, article_text, kept_all, removed, run_rule, without_the_line_model

TEASERS = [
    "Related News",
    "Museum reopens its west wing after a two-year renovation",
    "The museum's west wing, closed since the flood, welcomed its first visitors on...",
    "Monday, March 3, 2025, 09:15 AM",
    "Ferry service resumes after winter storms",
    "Operators said the first crossings would run at reduced capacity while the pier is...",
    "Sunday, March 2, 2025, 06:40 PM",
]


@pytest.fixture(scope="module")
def cleaner() -> Cleaner:
    """These tests check the rules' own decisions, not the line model's verdicts on them."""
    return without_the_line_model()


def test_related_section_takes_header_titles_snippets_and_dates(cleaner):
    result = cleaner.clean("d", article_text(after=TEASERS))
    assert removed(result, "related_links.section") == TEASERS
    assert kept_all(result, [TITLE, *ARTICLE])


CARDS = [
    "More Stories",
    "Ferry service resumes after winter storms",
    "Operators said the first crossings would run at reduced capacity while engineers repair the pier.",
    "Hospital opens new maternity ward in the north",
    "The ward has forty beds and two operating theatres, and midwives from three regions moved in.",
    "Police arrest suspect after jewellery shop robbery",
    "Officers detained a 24-year-old man near the station, two days after watches were taken from a shop.",
]


def test_teaser_cards_under_a_related_header_go_with_their_summaries(cleaner):
    result = cleaner.clean("d", article_text(after=CARDS))
    assert removed(result, "related_links.section") == CARDS
    assert kept_all(result, [TITLE, *ARTICLE])
    reasons = {r.reason for r in result.removals if r.rule == "related_links.section"}
    assert len(reasons) == 1
    assert "a list of 1 link under the header “More Stories”, and 5 lines of teasers" in reasons.pop()


def test_the_article_going_on_after_a_box_of_links_stays(cleaner):
    """Its paragraphs share the article's words; a subheading between two of them does not make
    them teasers."""
    box = ["Related News", "Ferry service resumes after winter storms", "Hospital opens new maternity ward"]
    going_on = [ARTICLE[3], "What happens next", ARTICLE[4], "The library budget takes effect in the spring."]
    text = "\n\n".join([TITLE, *ARTICLE[:3], *box, *going_on]) + "\n"
    result = cleaner.clean("d", text)
    assert removed(result, "related_links.section") == box
    assert kept_all(result, going_on)


def test_a_listings_entries_under_a_menu_header_stay():
    """Cards holding more words than the running text above their header are the page's own
    entries (a listing under "Featured"), not teasers after an article: the header's list stops
    at the first summary, as without cards."""
    from cleaners.registry import rule_ids
    from cleaners.settings import load_settings, without_rules

    settings = without_rules(load_settings(), rule_ids(needs_model=True))
    settings["rules"]["related_links.section"]["min_reference_terms"] = 5  # the short intro is reference enough
    listing = Cleaner(settings)
    text = "\n\n".join([TITLE, ARTICLE[0], *CARDS, *CARDS[1:]]) + "\n"
    result = listing.clean("d", text)
    assert removed(result, "related_links.section") == CARDS[:2]
    assert kept_all(result, CARDS[2:])


def test_a_tables_cells_after_a_cell_that_reads_as_a_header_are_no_cards(cleaner):
    """A documentation table one cell a line, its requirement column saying "Recommended": the
    descriptions stand many cells apart, farther than a card's lines from its summary."""
    cells = ["Attribute", "Data Type", "Supported Values", "Example", "Requirement", "Dependencies", "Validation"]
    rows = [
        "Recommended",
        "review_count",
        "Integer",
        "Supply the number of reviews of the product, so that shoppers can weigh its rating.",
        *cells,
        "store_rating",
        "Number",
        "Supply the average rating of the store over all its products and all its reviews.",
        *cells,
        "Optional",
        "Give the store rating as a decimal number between zero and five, with two decimals.",
    ]
    result = cleaner.clean("d", article_text(after=rows))
    assert removed(result, "related_links.section") == rows[:3]
    assert kept_all(result, [rows[3], rows[13]])


def test_related_header_in_other_languages(cleaner):
    for header in ("Noticias relacionadas", "Leggi anche", "Похожие новости", "Das könnte Sie auch interessieren"):
        result = cleaner.clean("d", article_text(after=[header, "Another headline about something else"]))
        assert removed(result, "related_links.section")[0] == header


def test_a_subheading_that_looks_like_a_header_stays_when_prose_follows(cleaner):
    paragraphs = [TITLE, ARTICLE[0], "Recommended", *ARTICLE[1:]]
    result = cleaner.clean("d", "\n".join(paragraphs))
    assert "Recommended" in result.cleaned_text
    assert kept_all(result, ARTICLE)


def test_an_article_with_its_own_list_keeps_the_list(cleaner):
    items = ["Sunday opening at all branches", "Forty new librarians", "Free laptops for residents"]
    paragraphs = [TITLE, ARTICLE[0], "The plan includes:", *items, *ARTICLE[1:]]
    result = cleaner.clean("d", "\n".join(paragraphs))
    assert kept_all(result, items)


def test_menu_run_before_the_article_is_navigation(cleaner):
    menu = ["Home", "News", "World", "Business", "Sport", "Culture", "Weather"]
    result = cleaner.clean("d", article_text(before=menu, blank_lines=False))
    assert set(menu) <= set(removed(result))
    assert kept_all(result, [TITLE, *ARTICLE])


def test_headline_and_byline_stay_after_a_menu(cleaner):
    menu = ["Local", "Politics", "Schools", "Transport", "Libraries", "Parks"]
    text = "\n".join([*menu, TITLE, "By Jane Doe", "March 4, 2025", *ARTICLE])
    result = cleaner.clean("d", text)
    assert kept_all(result, [TITLE, "By Jane Doe", *ARTICLE])


def test_author_tagline_at_the_end(cleaner):
    tagline = "Tea drinker. Amateur cyclist. Lifelong reader. Occasional gardener. Newsroom veteran."
    result = cleaner.clean("d", article_text(after=[tagline]))
    assert removed(result, "author_bio.tagline") == [tagline]


def test_short_dramatic_sentences_in_the_story_stay(cleaner):
    drama = "The room fell silent. Then he stood up. Nobody spoke. The vote was over."
    paragraphs = [TITLE, ARTICLE[0], drama, *ARTICLE[1:]]
    result = cleaner.clean("d", "\n".join(paragraphs))
    assert drama in result.cleaned_text


def test_about_the_author_and_job_line(cleaner):
    bio = "Jane Doe is a senior reporter covering city hall and education for the newspaper."
    result = cleaner.clean("d", article_text(after=["About the author", bio]))
    assert removed(result, "author_bio.about") == ["About the author", bio]


def test_foreign_script_dateline_is_cut_from_the_first_line_only(cleaner):
    first = "[ベルリン 3日 ロイター] – " + ARTICLE[0]
    result = cleaner.clean("d", "\n".join([first, *ARTICLE[1:]]))
    assert removed(result, "dateline.foreign_script") == ["[ベルリン 3日 ロイター] –"]
    assert ARTICLE[0] in result.cleaned_text


def test_a_same_script_opening_is_no_dateline(cleaner):
    first = "BERLIN (Reuters) – " + ARTICLE[0]
    result = cleaner.clean("d", "\n".join([first, *ARTICLE[1:]]))
    assert removed(result, "dateline.foreign_script") == []


def test_repeated_title_is_a_duplicate(cleaner):
    result = cleaner.clean("d", "\n".join([TITLE, TITLE, *ARTICLE]))
    assert removed(result, "duplicate.line") == [TITLE]
    assert result.cleaned_text.count(TITLE) == 1


def test_an_interview_series_asks_each_guest_the_same_question(cleaner):
    """Inside the body a repeated question is the article's (the same question to each guest);
    a repeated statement there is still a duplicate."""
    question = "What made you start cooking for a living?"
    answers = [
        "Anna: My grandmother ran a small restaurant by the harbour, and I grew up in its kitchen.",
        "Ben: I was an engineer for ten years before I admitted that I only wanted to cook for people.",
    ]
    text = "\n".join([TITLE, ARTICLE[0], question, answers[0], question, answers[1], *ARTICLE[1:]])
    assert run_rule(cleaner, "duplicate.line", text) == []
    statement = "Both recipes are on the library's website."
    text = "\n".join([TITLE, ARTICLE[0], statement, answers[0], statement, answers[1], *ARTICLE[1:]])
    assert run_rule(cleaner, "duplicate.line", text) == [statement]


def test_a_row_two_tables_share_is_no_duplicate(cleaner):
    """Tables of a comparison repeat rows (the same mover in the local and the long-distance
    table); outside a table the repeated line still goes."""
    row = "| Seka Moving | 4.7 overall rating |"
    first = ["| Mover | Rating |", "| Zip to Zip Moving | 4.58 overall rating |", row]
    second = ["| Mover | Rating |", row, "| Safeway Moving | 4.9 overall rating |"]
    text = "\n".join([TITLE, ARTICLE[0], *first, ARTICLE[1], *second, *ARTICLE[2:]])
    assert run_rule(cleaner, "duplicate.line", text) == []
    line = "Seka Moving has 4.7 of 5 stars from its customers."
    text = "\n".join([TITLE, ARTICLE[0], line, ARTICLE[1], line, *ARTICLE[2:]])
    assert run_rule(cleaner, "duplicate.line", text) == [line]


def test_comment_signatures_below_the_article(cleaner):
    signature = "Posted by: libraryfan | Jan 11, 2025 1:37:01 AM"
    byline = "Posted by Jane Doe on March 4, 2025"
    text = "\n".join([TITLE, byline, *ARTICLE, "Sundays at the branch are the best.", signature])
    result = cleaner.clean("d", text)
    assert signature in removed(result, "comments.signature")
    assert byline in result.cleaned_text


READER_COMMENTS = [
    "I have used the branch on Elm Street for twenty years and I am glad the council finally listened to "
    "the people who rely on it every single week, especially the parents and the pensioners.",
    "- Maria, Riverside",
    "Twelve percent sounds generous until you remember how much was cut in the years before, so this "
    "only brings the libraries back to where they were, and the council should say so plainly.",
    "- Tom, Northgate",
    "Sunday opening is the best news I have read all year, and my children will be thrilled to hear it, "
    "as the reading club was the only thing they looked forward to during the long winter months.",
    "- Priya, Old Town",
    "Why should my taxes pay for laptops when half the town already has one, and the other half could "
    "use the money far better on buses that run on time and roads without potholes in them?",
    "- Gary, Hillside",
]


def test_comment_header_after_the_article_takes_comments_longer_than_it(cleaner):
    """Comments longer than their article put the header in the page's first half; it still heads them."""
    header = "Reader views (4)"
    result = cleaner.clean("d", article_text(after=[header, *READER_COMMENTS]))
    assert removed(result, "comments.section") == [header, *READER_COMMENTS]
    assert kept_all(result, ARTICLE)


@pytest.mark.parametrize(
    "header",
    [
        "Have your say on this story",
        "Comments are now closed for this story",
        "Thanks for your comments - this feedback is now closed",
        "What you think...",
    ],
)
def test_comment_header_with_on_this_story_after_it(cleaner, header):
    """A closed thread still shows its comments under the notice that heads them."""
    result = cleaner.clean("d", article_text(after=[header, READER_COMMENTS[0], READER_COMMENTS[1]]))
    assert removed(result, "comments.section") == [header, READER_COMMENTS[0], READER_COMMENTS[1]]


def test_an_article_sentence_about_closed_comments_heads_nothing(cleaner):
    """A paragraph that reports on a closed comment section is article text, not the notice."""
    sentence = "The newspaper said its comments are closed on stories about the trial, as the judge ordered last week."
    result = cleaner.clean("d", article_text(after=[sentence, READER_COMMENTS[0]]))
    assert removed(result, "comments.section") == []


def test_a_count_of_comments_above_the_article_heads_nothing(cleaner):
    teaser = (
        "Ferry service resumes after winter storms, operators said on Monday, with the first crossings "
        "running at reduced capacity while the damaged pier is repaired by crews."
    )
    teasers = [teaser, teaser.replace("Ferry", "Bus"), teaser.replace("Ferry", "Tram")]
    menu = ["Home", "News", "Local", "Business", "Sport", "Weather", "Opinion", "Arts", "Travel", "Jobs", "Contact"]
    byline = ["Posted: 6:12 PM Dec 30, 2025", "0 comments"]
    text = "\n\n".join([*teasers, *menu, TITLE, *byline, *ARTICLE])
    result = cleaner.clean("d", text)
    assert removed(result, "comments.section") == []
    assert kept_all(result, ARTICLE)


def test_comments_between_the_signatures_of_different_readers_go(cleaner):
    thread = [
        READER_COMMENTS[0],
        "Posted by: libraryfan | Jan 11, 2025 1:37 AM",
        READER_COMMENTS[2],
        "Posted by: tom_north | Jan 11, 2025 2:05 AM",
        READER_COMMENTS[4],
        "Posted by: priya | Jan 11, 2025 3:12 AM",
    ]
    result = cleaner.clean("d", "\n".join([TITLE, *ARTICLE, *thread]))
    between = [r.text for r in result.removals if r.rule == "comments.signature" and "different readers" in r.reason]
    assert between == [READER_COMMENTS[2], READER_COMMENTS[4]]
    assert kept_all(result, ARTICLE)


def test_a_live_blog_signed_by_one_author_keeps_its_entries(cleaner):
    entries = [
        "Updated: the council will meet again on Thursday to settle the last details of the library budget.",
        "Posted by Jane Doe at 4:52 PM",
        "The mayor said she would sign the library budget as soon as it reaches her desk next week.",
        "Posted by Jane Doe at 5:10 PM",
        "Two council members who voted against the library plan asked for a review of its spending.",
        "Posted by Jane Doe at 5:31 PM",
    ]
    result = cleaner.clean("d", "\n".join([TITLE, *ARTICLE, *entries]))
    assert kept_all(result, entries[2:5:2])


def test_a_numbered_list_after_the_article_is_no_menu(cleaner):
    """A top ten (items numbered in order) is no menu run, even outside the article's body. (In the
    whole pipeline navigation.around_article takes these short lines after the body; this test
    checks menu_run alone, which is what its name says.)"""
    items = [f"{n}) {name}" for n, name in enumerate(["Lego set", "Race track", "Board game", "Puzzle", "Kite"], 1)]
    text = article_text(after=items)
    assert run_rule(cleaner, "navigation.menu_run", text) == []
    unnumbered = article_text(after=["Lego set", "Race track", "Board game", "Puzzle", "Kite"])
    assert run_rule(cleaner, "navigation.menu_run", unnumbered) != []  # the same list unnumbered is one


TABLE = [
    "Branch | Opens | Closes",
    "Central | 9:00 | 21:00",
    "Riverside | 10:00 | 18:00",
    "Hillcrest | 10:00 | 17:00",
    "Old Town | 12:00 | 17:00",
]


def test_a_table_after_the_article_is_no_menu(cleaner):
    """A table's rows keep their columns; the same cells one a line read as a menu."""
    assert run_rule(cleaner, "navigation.menu_run", article_text(after=TABLE)) == []
    cells = [cell for row in TABLE for cell in row.split(" | ")[:1]]
    assert run_rule(cleaner, "navigation.menu_run", article_text(after=cells)) != []


def test_an_unnumbered_menu_after_the_article_still_goes(cleaner):
    menu = ["Home", "News", "Sport", "Weather", "Opinion", "Contact"]
    result = cleaner.clean("d", article_text(after=menu))
    assert set(menu) <= set(removed(result))


WORDPRESS_THREAD = [
    "Anna Schmidt on March 3, 2019 at 4:12 pm said:",
    "Great piece, thanks for writing it up so clearly.",
    "Reply",
    "Bob says:",
    "March 4, 2019 at 9:30 am",
    "I disagree with the second point about the budget.",
    "Reply",
    "Carla Diaz on March 5, 2019 at 11:02 am said:",
]


def test_comments_signature_knows_the_says_signatures_of_a_wordpress_thread(cleaner):
    lines = run_rule(cleaner, "comments.signature", article_text(after=WORDPRESS_THREAD))
    assert lines == WORDPRESS_THREAD


def test_comments_signature_knows_a_thread_signed_without_colons(cleaner):
    """Many WordPress themes print "Ann says" over the comment's date and time, with no colon."""
    thread = [
        "Sheri says",
        "July 31, 2018 at 2:41 pm",
        READER_COMMENTS[0],
        "Reply",
        "Jenny Marsh says",
        "August 12, 2018 at 8:57 am",
        READER_COMMENTS[2],
        "Reply",
        "Tom says",
        "August 13, 2018 at 4:55 pm",
        READER_COMMENTS[4],
    ]
    lines = run_rule(cleaner, "comments.signature", article_text(after=thread))
    assert lines == thread[:10]  # the last comment stands below the last signature and its time


@pytest.mark.parametrize(
    "lead_in",
    [
        "At 4:12 pm the minister said",  # no colon: only a name over a time line signs so
        "Here is what the library director said",  # not over a time
    ],
)
def test_comments_signature_leaves_a_lead_in_without_colon(cleaner, lead_in):
    quote = "“We will keep every branch open on Sundays and hire more staff,” the statement read in full."
    assert run_rule(cleaner, "comments.signature", article_text(after=[lead_in, quote])) == []


@pytest.mark.parametrize(
    "lead_in",
    [
        "At 4:12 pm on Tuesday the minister said:",  # a time, but not right before the verb
        "The library director said:",  # no time at all
        "Speaking at 10:30, the mayor wrote: we will keep every branch open.",
    ],
)
def test_comments_signature_leaves_a_quotations_lead_in(cleaner, lead_in):
    quote = "“We will keep every branch open on Sundays and hire more staff,” the statement read in full."
    assert run_rule(cleaner, "comments.signature", article_text(after=[lead_in, quote])) == []


def test_comments_section_knows_a_count_of_responses_to_the_articles_title(cleaner):
    header = f"34 Responses to “{TITLE}”"
    lines = run_rule(cleaner, "comments.section", article_text(after=[header, *READER_COMMENTS]))
    assert lines == [header, *READER_COMMENTS]


def test_a_count_of_responses_to_the_title_heads_comments_below_share_buttons(cleaner):
    """Share buttons between the article and a "59 Comments on “Title”" header break the run of
    paragraphs above a plain header; the count of responses to the quoted title still heads the
    comments, even where they are longer than the article."""
    buttons = ["Share:", "Bluesky", "Threads", "Mastodon", "Facebook", "Reddit", "Email", "Like this:"]
    header = f"59 Comments on “{TITLE}”"
    comments = READER_COMMENTS * 3
    text = article_text(after=[*buttons, header, *comments])
    assert run_rule(cleaner, "comments.section", text)[:1] == [header]
    assert run_rule(cleaner, "comments.section", article_text(after=[*buttons, "Comments", *comments])) == []


def test_a_count_of_responses_above_the_articles_paragraphs_heads_nothing(cleaner):
    header = f"3 Responses to “{TITLE}”"
    text = "\n\n".join([TITLE, ARTICLE[0], header, *ARTICLE[1:], *READER_COMMENTS[:2]])
    assert run_rule(cleaner, "comments.section", text) == []


def test_comments_section_leaves_a_sentence_that_opens_like_a_count_of_responses(cleaner):
    sentence = "One response to the crisis was a new fund for libraries, the mayor said on Tuesday evening."
    assert run_rule(cleaner, "comments.section", article_text(after=[sentence, *ARTICLE[:2]])) == []
