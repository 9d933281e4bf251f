"""The page around the article: swept when it is not text, kept when it is a sentence."""

from __future__ import annotations

import pytest

from cleaners import Cleaner
from tests.conftest import ARTICLE, TITLE, article_text, kept_all, removed, run_rule, without_the_line_model


@pytest.fixture(scope="module")
def cleaner() -> Cleaner:
    """These tests check the rules' own decisions, not the line model's verdicts on them."""
    return without_the_line_model()


def test_menu_items_and_teaser_titles_around_the_article_go(cleaner):
    before = ["Subscribe today", "Local news", "City hall"]
    after = ["Tags: budget, libraries", "Football club names a new coach for the season", "Weather", "Contact"]
    result = cleaner.clean("d", article_text(before=before, after=after))
    assert kept_all(result, [TITLE, *ARTICLE])
    gone = set(removed(result))
    assert {"Local news", "City hall", "Weather", "Contact"} <= gone
    assert "Football club names a new coach for the season" in removed(result, "related_links.after_article")
    assert "Tags: budget, libraries" in gone


def test_short_sentences_after_the_body_stay(cleaner):
    closing = ["The vote was 7 to 2.", "The library opens at nine."]
    result = cleaner.clean("d", article_text(after=closing))
    assert kept_all(result, [TITLE, *ARTICLE, *closing])


def test_the_headline_byline_and_date_stay(cleaner):
    text = "\n".join(["Menu", "Search", TITLE, "By Jane Doe", "March 4, 2025", *ARTICLE])
    result = cleaner.clean("d", text)
    assert kept_all(result, [TITLE, "By Jane Doe", "March 4, 2025", *ARTICLE])
    assert {"Menu", "Search"} <= set(removed(result))


def test_a_title_above_a_byline_with_its_desk_stays(cleaner):
    # "Metro desk staff reporter" has words enough to read as a headline; the title above it is
    # the longest line of the few above the body.
    head = [TITLE, "By Jane Doe", "Metro desk staff reporter"]
    result = cleaner.clean("d", "\n".join([*head, *ARTICLE]))
    assert kept_all(result, [*head, *ARTICLE])
    assert removed(result) == []


def test_a_kicker_above_the_title_still_goes(cleaner):
    text = "\n".join(["Latest news from the city", TITLE, "By Jane Doe", "Metro desk staff reporter", *ARTICLE])
    result = cleaner.clean("d", text)
    assert removed(result, "navigation.around_article") == ["Latest news from the city"]
    assert kept_all(result, [TITLE, *ARTICLE])


def test_a_list_inside_the_article_stays(cleaner):
    items = ["Sunday opening at all branches", "Forty new librarians", "Free laptops for residents"]
    text = "\n".join([TITLE, ARTICLE[0], ARTICLE[1], "The plan includes:", *items, *ARTICLE[2:]])
    result = cleaner.clean("d", text)
    assert kept_all(result, items)


def test_lines_many_documents_share_outside_the_article_go():
    cleaner = without_the_line_model()
    footer = "© 2025 The Daily Example. All rights reserved. Terms of use and privacy policy apply."
    documents = [
        (f"d{i}", "\n".join([f"{TITLE} ({i})", *(f"{p[:-1]} (report {i})." for p in ARTICLE), footer]))
        for i in range(4)
    ]
    documents.append(("lone", article_text(after=["A footer only this page has, with several words in it."])))
    results = cleaner.clean_batch(documents)
    shared = removed(results[0], "navigation.repeated_line")
    assert shared == [footer]
    assert "4 of the site's 5 documents" in results[0].removals[-1].reason
    assert removed(results[-1], "navigation.repeated_line") == []


def test_a_syndicated_story_keeps_the_paragraphs_it_shares():
    cleaner = Cleaner()
    documents = [(f"site{i}", article_text(before=[f"Site {i} home page"])) for i in range(6)]
    results = cleaner.clean_batch(documents)
    for result in results:
        assert removed(result, "navigation.repeated_line") == []
        assert kept_all(result, ARTICLE)


def test_identical_copies_are_no_evidence():
    cleaner = Cleaner()
    text = article_text(after=["A closing line that is not a sentence and stands alone"])
    results = cleaner.clean_batch([(f"copy{i}", text) for i in range(5)])
    assert removed(results[0], "navigation.repeated_line") == []


def test_comment_section_under_its_header_goes(cleaner):
    comments = [
        "3 Comments",
        "Great news for the neighbourhood, my kids love the Sunday readings at the branch.",
        "Why not fix the roads first? This council never listens to anyone outside the centre.",
    ]
    result = cleaner.clean("d", article_text(after=comments))
    assert set(comments) <= set(removed(result))
    assert kept_all(result, ARTICLE)


def test_a_comments_subheading_in_the_first_half_does_not_sweep(cleaner):
    text = "\n".join([TITLE, ARTICLE[0], "Comments", *ARTICLE[1:]])
    result = cleaner.clean("d", text)
    assert kept_all(result, ARTICLE[1:])


def test_hard_wrapped_paragraphs_read_as_prose(cleaner):
    wrapped = [
        "The city council voted on Tuesday to raise the budget of the public",
        "library system by twelve percent, the largest increase in a decade,",
        "after months of debate over opening hours and staffing.",
        "Council members said the money would keep branches open on Sundays",
        "and pay for forty new librarians, many of whom will run reading",
        "programmes for children and adults.",
    ]
    text = "\n".join(["Related News", "Museum opens a new wing", TITLE, *wrapped])
    result = cleaner.clean("d", text)
    assert kept_all(result, [TITLE, *wrapped])
    assert "Museum opens a new wing" in removed(result)


def test_the_sites_legal_lines_after_the_article_go(cleaner):
    footer = [
        "© 2025 The Daily Courier. All rights reserved.",
        "This material may not be published, broadcast, rewritten or redistributed.",
        "By using this site you agree to our Terms of Use and Privacy Policy.",
    ]
    result = cleaner.clean("d", article_text(after=footer))
    assert removed(result, "disclaimer.legal_footer") == footer[1:]  # the first, a credit's shape, goes first
    assert removed(result) == footer
    assert kept_all(result, [TITLE, *ARTICLE])


def test_a_notice_run_into_the_last_paragraph_goes_from_its_own_sentence(cleaner):
    """The article's closing sentences stay; the site's notice after them goes."""
    closing = "The new hours start in March, and the council will review them after a year."
    notice = "Copyright 2025 The Daily Courier. All rights reserved."
    result = cleaner.clean("d", article_text(after=[f"{closing} {notice}"]))
    assert removed(result, "disclaimer.legal_footer") == [notice]
    assert kept_all(result, [TITLE, *ARTICLE, closing])


def test_a_disclaimer_after_the_article_goes_whole(cleaner):
    """Below the article's last line, a line whose last sentence names a policy is the site's: its
    first sentences lead to it."""
    closing = "The new hours start in March, and the council will review them after a year."
    disclaimer = (
        "Some links on this page earn us a commission at no cost to you. Read our privacy policy to learn more."
    )
    result = cleaner.clean("d", article_text(after=[closing, disclaimer]))
    assert removed(result, "disclaimer.legal_footer") == [disclaimer]
    assert kept_all(result, [TITLE, *ARTICLE, closing])


def test_the_sites_ownership_lines_after_the_article_go(cleaner):
    footer = [
        "Advertise with us",
        "The Daily Courier is a trade mark of Courier Newspapers Limited.",
        "Site designed and maintained by Example Web Studio.",
    ]
    result = cleaner.clean("d", article_text(after=footer))
    assert removed(result, "disclaimer.legal_footer") == footer[1:]
    assert kept_all(result, [TITLE, *ARTICLE])


def test_the_sites_imprint_after_the_article_goes_and_a_last_line_with_a_telephone_stays(cleaner):
    closing = "Anyone with information is asked to call the library at (555) 123-4567 before Friday."
    imprint = ["Contact us", "Courier Publishing Group", "P.O. Box 329, Frisco, CO 80443", "Editor: Jane Roe"]
    result = cleaner.clean("d", article_text(after=[closing, *imprint]))
    assert removed(result, "disclaimer.legal_footer") == imprint[1:]
    assert kept_all(result, [TITLE, *ARTICLE, closing])


def test_an_article_about_copyright_keeps_its_paragraphs(cleaner):
    about = [
        "The library will also digitise its local newspaper archive, but copyright rules mean that issues "
        "printed after 1950 can only be read on computers inside the branches, the director said.",
        "Publishers who hold all rights reserved on recent titles have agreed to lend e-books to members, "
        "and the council will review the privacy policy of the lending app before it launches.",
        "The app's name is a registered trademark of the state library, which designed and maintained it "
        "with a grant from the council.",
    ]
    text = "\n\n".join([TITLE, *ARTICLE[:3], *about, *ARTICLE[3:]]) + "\n"
    result = cleaner.clean("d", text)
    assert removed(result, "disclaimer.legal_footer") == []
    assert kept_all(result, about)


def test_the_sites_calls_to_the_reader_around_the_article_go(cleaner):
    before = ["Click here for more local headlines!"]
    after = [
        "Inside the Courier",
        "Headlines in Your Inbox: Sign up for our e-mail alerts.",
        "Send questions and comments about this website to the webmaster.",
        "Cliquez ici pour recevoir nos alertes.",
        "Search for more stories on this topic in our news archive. Click here",
    ]
    result = cleaner.clean("d", article_text(before=before, after=after))
    assert removed(result, "advertising.site_promo") == [*before, *after[1:]]
    assert removed(result) == [*before, *after]
    assert kept_all(result, [TITLE, *ARTICLE])


def test_calls_at_the_edges_of_the_body_are_peeled_off(cleaner):
    under_byline = ["Click here for our special election centre!", "Click here for more local headlines!"]
    closing = ["Send your photos and tip-offs to us.", "Register for a free account today."]
    text = "\n\n".join([TITLE, "By Jane Doe", *under_byline, *ARTICLE, *closing]) + "\n"
    result = cleaner.clean("d", text)
    assert removed(result, "advertising.site_promo") == [*under_byline, *closing]
    assert kept_all(result, [TITLE, "By Jane Doe", *ARTICLE])


def test_calls_inside_the_article_and_other_closing_lines_stay(cleaner):
    inside = [
        "Sign up for a library card at any branch, the director said, and the laptops can be borrowed "
        "for two weeks at a time by anyone over sixteen.",
        "Get there early: the new Sunday hours start next month.",
        "Parents can visit any branch on Saturday to find out more.",
    ]
    closing = [
        "The vote was 7 to 2.",
        "Readers can find the full budget on the council's website.",
        "Families can call the library on Monday to learn more.",
    ]
    text = "\n\n".join([TITLE, *ARTICLE[:2], *inside, *ARTICLE[2:], *closing]) + "\n"
    result = cleaner.clean("d", text)
    assert removed(result, "advertising.site_promo") == []
    assert kept_all(result, [*inside, *closing])


def test_a_how_tos_first_and_last_steps_are_not_peeled_off(cleaner):
    steps = [
        "Download the installer from the library's catalogue page and run it.",
        *ARTICLE,
        "Register your card number in the app before the first loan.",
    ]
    result = cleaner.clean("d", "\n\n".join([TITLE, *steps]) + "\n")
    assert removed(result, "advertising.site_promo") == []
    assert kept_all(result, steps)


def test_a_reviews_box_of_credits_is_no_imprint(cleaner):
    """'Director:' and 'Publisher:' end a review; legal_footer alone leaves them. (In the whole
    pipeline navigation.around_article and related_links.after_article take them today.)"""
    credits = ["Director: Jane Roe", "Publisher: Riverside Books, 320 pages"]
    assert run_rule(cleaner, "disclaimer.legal_footer", article_text(after=credits)) == []
    imprint = ["Editor: Jane Roe", "P.O. Box 1234, Springfield"]
    assert run_rule(cleaner, "disclaimer.legal_footer", article_text(after=imprint)) != []


def test_a_table_after_the_body_stays(cleaner):
    """Short lines after the body are page furniture, but not the rows of a table (tabs between
    the cells, as a clean article's text gives them) or its title."""
    rows = ["Branch\tOpens\tCloses", "Central\t9:00\t21:00", "Riverside\t10:00\t18:00", "Old Town\t12:00\t17:00"]
    text = article_text(after=["Opening hours", *rows])
    assert run_rule(cleaner, "navigation.around_article", text) == []
    assert run_rule(cleaner, "related_links.after_article", text) == []
    assert kept_all(Cleaner().clean("d", text), ["Opening hours", *rows])
    menu = article_text(after=["Opening hours", "Central", "Riverside", "Old Town"])
    assert run_rule(cleaner, "navigation.around_article", menu) == ["Opening hours", "Central", "Riverside", "Old Town"]


def test_a_hindi_article_has_a_body_and_the_stories_after_it_go(cleaner):
    """Hindi ends its sentences with a danda (।): the paragraphs are running text, so the
    article's body is found and the list of other stories after it is taken."""
    article = [
        "दिल्ली में नई मेट्रो लाइन का उद्घाटन",
        "नई दिल्ली। राजधानी में आज नई मेट्रो लाइन का उद्घाटन किया गया, जिससे रोज़ाना लाखों यात्रियों को "
        "फायदा होगा। इस लाइन की लंबाई लगभग बीस किलोमीटर है और इसमें चौदह स्टेशन हैं।",
        "अधिकारियों ने बताया कि पहले सप्ताह में ट्रेनें हर दस मिनट पर चलेंगी। बाद में यह अंतराल घटाकर पाँच मिनट कर दिया जाएगा।",
        "परियोजना पर कुल लागत लगभग दस हज़ार करोड़ रुपये आई है। इसका निर्माण चार साल पहले शुरू हुआ था।",
    ]
    others = ["मुंबई में भारी बारिश से यातायात प्रभावित", "क्रिकेट: भारत ने श्रृंखला जीती"]
    text = "\n".join([*article, *others]) + "\n"
    assert run_rule(cleaner, "related_links.after_article", text) == others
    assert kept_all(cleaner.clean("d", text), article)


DATED_LIST = [
    "Council approves the new budget for the libraries",
    "11/20/2019 01:14 PM",
    "Storm closes the coastal road for two days",
    "By STAFF WRITER",
    "Nov. 19, 2019 10:08 AM",
    "Police name the driver in the bridge crash",
    "November 19, 2019 at 9:39 pm",
]


def test_headlines_each_over_its_date_after_the_article_go(cleaner):
    result = cleaner.clean("d", article_text(after=DATED_LIST))
    assert kept_all(result, [TITLE, *ARTICLE])
    assert removed(result, "related_links.dated_list") == DATED_LIST
    assert run_rule(cleaner, "related_links.dated_list", article_text(after=DATED_LIST)) == DATED_LIST


def test_a_list_with_each_date_above_its_headline_goes_whole(cleaner):
    dates_first = ["15.01.08 19:45", DATED_LIST[0], "15.01.08 19:28", DATED_LIST[2], "15.01.08 19:22", DATED_LIST[5]]
    assert run_rule(cleaner, "related_links.dated_list", article_text(after=dates_first)) == dates_first


def test_two_dated_headlines_are_not_yet_a_list(cleaner):
    assert run_rule(cleaner, "related_links.dated_list", article_text(after=DATED_LIST[:5])) == []


def test_a_list_of_titles_with_times_or_figures_under_them_stays(cleaner):
    # An event's hours, a video's length, a table's figures: no day is named.
    events = ["Concert in the old market square", "3:30 - 8:00 pm", "Reading at the public library", "10:00 am"]
    videos = ["Highlights of the cup final tonight", "18:08", "Interview with the new head coach", "01:52"]
    figures = ["New Orleans and its metro area", "28.4", "Fort Worth and its metro area", "29.1"]
    for after in (events + events[:2], videos + videos[:2], figures + figures[:2]):
        assert run_rule(cleaner, "related_links.dated_list", article_text(after=after)) == []


def test_a_dated_list_inside_the_body_or_numbered_in_order_stays(cleaner):
    inside = [TITLE, ARTICLE[0], *DATED_LIST, *ARTICLE[1:]]
    assert run_rule(cleaner, "related_links.dated_list", "\n\n".join(inside) + "\n") == []
    numbered = ["1. The first concert of the season", "Nov 20, 2019", "2. The second concert of the season"]
    numbered += ["Nov 27, 2019", "3. The third concert of the season", "Dec 4, 2019"]
    assert run_rule(cleaner, "related_links.dated_list", article_text(after=numbered)) == []
