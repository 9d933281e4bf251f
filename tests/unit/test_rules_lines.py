"""Line rules: each fires on its debris and leaves an article that merely talks about it alone."""

from __future__ import annotations

import pytest

from tests.conftest import ARTICLE, TITLE, article_text, kept_all, removed, run_rule


@pytest.mark.parametrize(
    "line",
    [
        "Warning: Invalid argument supplied for foreach() in /var/www/site/includes/list.php on line 69",
        "Notice: Undefined index: category in /home/news/public_html/article.php on line 12",
        "Fatal error: Uncaught Error: Call to undefined function mysql_connect() in C:\\inetpub\\news.php on line 3",
        "Deprecated: Function split() is deprecated in /srv/app/lib.php on line 210",
        "Traceback (most recent call last):",
        "You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version",
        "Server Error in '/' Application.",
        "Page generated in 0.214 seconds",
        "789.0625 ms - 21/01/2008 8:29:30 PM",
    ],
)
def test_server_error_leak_removes_error_text(cleaner, line):
    result = cleaner.clean("d", article_text(after=[line]))
    assert removed(result, "server_error.leak") == [line]
    assert kept_all(result, ARTICLE)


def test_server_error_leak_keeps_an_article_about_a_warning(cleaner):
    story = (
        "Warning: the director said in /docs/budget.pdf that branches would close early on line 3 of the "
        "schedule if the council rejected the plan, a claim two members disputed."
    )
    timing = "The page was rewritten in 20 minutes, and the new 400 ms budget held on 12/01/2025, staff said."
    result = cleaner.clean("d", "\n".join([ARTICLE[0], story, timing, *ARTICLE[1:]]))
    assert removed(result, "server_error.leak") == []
    assert story in result.cleaned_text and timing in result.cleaned_text


def test_disclaimer_needs_disclaimer_wording(cleaner):
    disclaimer = (
        "This article is for informational purposes only. The author holds no positions in the companies "
        "mentioned. Not investment advice; consult a professional before you buy or sell any security."
    )
    result = cleaner.clean("d", article_text(after=[disclaimer]))
    assert removed(result, "disclaimer.phrases") == [disclaimer]


def test_disclaimer_keeps_a_sentence_that_mentions_research(cleaner):
    sentence = "The library will fund additional research into reading habits, the director said."
    result = cleaner.clean("d", article_text(after=[sentence]))
    assert sentence in result.cleaned_text


@pytest.mark.parametrize(
    "lines",
    [
        ["Leave a Reply", "Your email address will not be published. Required fields are marked *"],
        ["12 Comments", "Notify me of follow-up comments by email."],
        ["Kommentare", "Ihre E-Mail-Adresse wird nicht veröffentlicht."],
        ["Laisser un commentaire"],
        ["Comments", "No comments yet"],
        [
            "The following are comments from the readers. They do not represent the view of this site.",
            "Comment entries are limited to 100 words.",
        ],
        [
            "NOTE: Comments will generally stay active for a week.",
            "If you believe that a commenter has not followed these guidelines, please use our complaint form.",
        ],
    ],
)
def test_comment_forms_are_removed(cleaner, lines):
    result = cleaner.clean("d", article_text(after=lines))
    assert removed(result, "comments.form") == lines


def test_an_article_about_readers_comments_stays(cleaner):
    line = "Readers can post comments on the council's website until the vote in March, the mayor said."
    result = cleaner.clean("d", article_text(after=[line]))
    assert line in result.cleaned_text


def test_a_quoted_comment_stays(cleaner):
    quote = "“Leave a reply on the form and we will call you back,” the librarian told residents at the meeting."
    result = cleaner.clean("d", article_text(after=[quote]))
    assert quote in result.cleaned_text


def test_social_buttons_and_cookie_notice(cleaner):
    lines = ["Share on Facebook", "Tweet", "Sign up for our newsletter", "We use cookies to improve your experience."]
    result = cleaner.clean("d", article_text(before=lines))
    assert set(removed(result, "social.widgets")) | set(removed(result, "social.cookie_notice")) >= {
        "Share on Facebook",
        "We use cookies to improve your experience.",
    }
    assert kept_all(result, ARTICLE)


def test_paywall_sign_in_and_browser_notices_go(cleaner):
    notices = [
        "To read this article in full you must be registered with the site.",
        "This content requires the latest Adobe Flash Player and a browser with JavaScript enabled.",
        "Ce contenu est réservé aux abonnés.",
    ]
    result = cleaner.clean("d", article_text(before=notices[:1], after=notices[1:]))
    assert removed(result, "social.access_notice") == notices
    assert kept_all(result, [TITLE, *ARTICLE])


def test_articles_about_plug_ins_browsers_and_the_sky_keep_their_sentences(cleaner):
    about = [
        "Toyota showed a plug-in hybrid that the library will test as a mobile branch next year.",
        "The council's new website needs JavaScript, and staff say it works in any browser from the last five years.",
        "The comet is best viewed in the early morning from the library's roof terrace, the astronomer said.",
        "The new e-book service is available to subscribers only, and members can sign up to continue reading "
        "series they began on paper.",
    ]
    text = "\n\n".join([TITLE, *ARTICLE[:2], *about, *ARTICLE[2:]]) + "\n"
    result = cleaner.clean("d", text)
    assert removed(result, "social.access_notice") == []
    assert kept_all(result, about)


def test_advertising_marker(cleaner):
    result = cleaner.clean("d", article_text(after=["ADVERTISEMENT", "Story continues below advertisement"]))
    assert len(removed(result, "advertising.marker")) >= 1
    assert "ADVERTISEMENT" not in result.cleaned_text


def test_article_tools_and_ad_labels_between_paragraphs(cleaner):
    tools = ["Printer friendly version", "Email this article", "Featured Advertising", "Advertisements"]
    text = "\n\n".join([TITLE, *ARTICLE[:2], *tools, *ARTICLE[2:]]) + "\n"
    result = cleaner.clean("d", text)
    assert removed(result, "social.widgets") == tools[:2]
    assert removed(result, "advertising.marker") == tools[2:]
    assert kept_all(result, ARTICLE)


@pytest.mark.parametrize(
    "bar",
    [
        "Print Email this",
        "Save & Share this Article",
        "Font size:",
        "Read Comments (1)",
        "E-mail | Print |",
        "E-mail Toolbar",
        "Print Subscribe",
    ],
)
def test_an_article_tool_bar_in_any_order_goes(cleaner, bar):
    text = "\n\n".join([TITLE, *ARTICLE[:2], bar, *ARTICLE[2:]]) + "\n"
    result = cleaner.clean("d", text)
    assert removed(result, "social.widgets") == [bar]


@pytest.mark.parametrize("line", ["Share prices fell in early trading", "Text messages", "Read the full report"])
def test_short_lines_with_a_tool_word_among_others_stay(cleaner, line):
    text = "\n\n".join([TITLE, *ARTICLE[:2], line, *ARTICLE[2:]]) + "\n"
    result = cleaner.clean("d", text)
    assert line not in removed(result, "social.widgets")


def test_breadcrumb_and_navigation_labels(cleaner):
    result = cleaner.clean("d", article_text(before=["You are here", "Home > Local > Libraries"]))
    assert removed(result, "navigation.phrases") == ["You are here"]
    assert removed(result, "navigation.breadcrumb") == ["Home > Local > Libraries"]


def test_links_to_the_previous_and_next_story(cleaner):
    links = ["Previous story: Ferry service resumes after winter storms", "Next story: Hospital opens a new ward"]
    result = cleaner.clean("d", article_text(after=links))
    assert removed(result, "navigation.phrases") == links
    assert kept_all(result, ARTICLE)


def test_the_rows_of_a_table_are_no_breadcrumb(cleaner):
    rows = ["Branch | Opens | Closes", "Central | 9:00 | 21:00", "Riverside | 10:00 | 18:00"]
    assert run_rule(cleaner, "navigation.breadcrumb", article_text(after=rows)) == []
    trail = ["Home | Local | Libraries"]  # one line of short items: a trail
    assert run_rule(cleaner, "navigation.breadcrumb", article_text(before=trail)) == trail


def test_a_date_with_slashes_is_no_breadcrumb(cleaner):
    line = "Published 01/08/2008 - 10:07 a.m. GMT"
    result = cleaner.clean("d", article_text(before=[line]))
    assert removed(result, "navigation.breadcrumb") == []


@pytest.mark.parametrize(
    "line",
    [
        "See also: Museum extends its opening hours for the summer",
        "READ MORE: Schools prepare for a new term",
        "Lesen Sie auch: Die Stadt plant neue Radwege",
        "Читайте также: В городе откроют новую библиотеку",
    ],
)
def test_see_also_lines(cleaner, line):
    paragraphs = [*ARTICLE[:2], line, *ARTICLE[2:]]
    result = cleaner.clean("d", "\n".join(paragraphs))
    assert removed(result, "related_links.see_also") == [line]
    assert kept_all(result, ARTICLE)


def test_see_also_needs_its_colon(cleaner):
    sentence = "See also the council's report, which lists every branch and its opening hours for next year."
    result = cleaner.clean("d", article_text(after=[sentence]))
    assert sentence in result.cleaned_text


def test_photo_credit_removed_but_photo_description_kept(cleaner):
    credit = "Photo: Staff photographer"
    describes = "The photo shows the director reading to children in the new branch, which opened in March."
    result = cleaner.clean("d", "\n".join([TITLE_LINE := ARTICLE[0], credit, describes, *ARTICLE[1:]]))
    assert removed(result, "media_credit.caption") == [credit]
    assert describes in result.cleaned_text and TITLE_LINE in result.cleaned_text


def test_a_credit_word_joined_by_a_hyphen_to_the_next_is_no_label(cleaner):
    """ "Photo - Agency" and "Video: Agency" are credits; "Video-on-demand ..." opens a compound word."""
    compound = "Video-on-demand rentals: Streamers sell past broadcasts"
    credits = ["Photo - Staff photographer", "Video: City archive"]
    result = cleaner.clean("d", "\n".join([ARTICLE[0], *credits, compound, *ARTICLE[1:]]))
    assert removed(result, "media_credit.caption") == credits
    assert compound in result.cleaned_text


def test_the_brackets_that_close_the_article_code_stay(cleaner):
    """Inside the article's body, next to code, a line of brackets closes a block of the code; a
    leaked script's brackets above the article, and punctuation beside prose, still go."""
    code = [
        "function total(items) {",
        "  let sum = 0;",
        "  for (const item of items) {",
        "    sum += item;",
        "  }",
        "  return sum;",
        "}",
    ]
    text = article_text(after=[ARTICLE[0], *code, ARTICLE[1]])
    assert run_rule(cleaner, "fragment.debris", text) == []
    leaked = ["if (window.ads) {", "  window.ads.push(slot);", "}"]
    text = article_text(before=leaked)
    assert run_rule(cleaner, "fragment.debris", text) == ["}"]
    text = article_text(after=[ARTICLE[0], "}", ARTICLE[1]])
    assert run_rule(cleaner, "fragment.debris", text) == ["}"]


def test_fragment_debris_but_not_numbers(cleaner):
    text = "\n".join([ARTICLE[0], "42", *ARTICLE[1:], "–", "|"])
    result = cleaner.clean("d", text)
    assert removed(result, "fragment.debris") == ["–", "|"]
    assert "42" in result.cleaned_text
