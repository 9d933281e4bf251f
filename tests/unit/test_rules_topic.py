"""Off-topic trailing stories: unrelated and cut off goes, widening the topic stays."""

from __future__ import annotations

import pytest

from tests.conftest import ARTICLE, TITLE, article_text, kept_all, removed, run_rule

GLUED = [
    "Thousands of runners crossed the finish line of the coastal marathon on Sunday, where a 19-year-old "
    "student from the hill towns set a course record despite strong winds along the seafront and",
    "FESTIVAL SEASON: Organisers of the summer jazz festival announced a line-up of forty bands from twelve "
    "countries, with tickets going on sale at the end of the month for the three-day event in the old",
]


def test_glued_unrelated_stories_cut_mid_sentence_are_removed(cleaner):
    result = cleaner.clean("d", article_text(after=GLUED))
    assert removed(result, "off_topic.trailing_story") == GLUED
    assert kept_all(result, [TITLE, *ARTICLE])
    assert all("coherence" in r.reason for r in result.removals)


@pytest.mark.parametrize(
    "closing",
    [
        # It widens the topic.
        "Across the country, spending on public services has been squeezed by rising energy costs and "
        "inflation, and several regions have cut museum and sports funding this year.",
        # It names a day: an article's last paragraphs do as often as a new story's lead.
        "Residents queued outside the town hall from early on Thursday, and officials expect the forms to "
        "run out before the weekend.",
    ],
)
def test_a_last_paragraph_about_something_wider_stays(cleaner, closing):
    result = cleaner.clean("d", article_text(after=[closing]))
    assert closing in result.cleaned_text
    assert removed(result) == []


def test_a_last_paragraph_signed_by_its_author_stays(cleaner):
    """A last paragraph that ends in a sign-off (the reporter's name and contact) has not stopped
    mid-sentence; the same paragraph cut off in a sentence goes."""
    signed = (
        "Across the country, spending on public services has been squeezed by rising energy costs and "
        "inflation. Jayda Evans: 206-464-2067 or jevans@example.com"
    )
    result = cleaner.clean("d", article_text(after=[signed]))
    assert signed in result.cleaned_text
    cut = signed.replace("Jayda Evans: 206-464-2067 or jevans@example.com", "Several regions have cut their")
    result = cleaner.clean("d", article_text(after=[cut]))
    assert removed(result, "off_topic.trailing_story") == [cut]


def test_short_lines_after_a_glued_story_go_with_it_unless_they_outweigh_it(cleaner):
    """A footer's few short lines under the glued stories go with them; an appendix of short
    lines (steps, code) that outweighs the stories is a part of its own and stays."""
    footer = ["The Daily Courier", "12 Harbour Street"]
    taken = run_rule(cleaner, "off_topic.trailing_story", article_text(after=[*GLUED, *footer]))
    assert taken == [*GLUED, *footer]
    appendix = ["Appendix: the code", *[f"total_{n} = price_{n} * quantity_{n}" for n in range(20)]]
    taken = run_rule(cleaner, "off_topic.trailing_story", article_text(after=[*GLUED, *appendix]))
    assert GLUED[-1] in taken
    assert not set(appendix) & set(taken)


def test_a_story_cut_off_after_a_name_goes(cleaner):
    """A cut-off story whose last words follow a name ("... the City Museum's curators") has not
    signed off: a sign-off ends in a capital or a contact."""
    cut = (
        "Thousands of runners crossed the finish line of the coastal marathon, where a student from the "
        "hill towns set a course record despite strong winds. Harbour Festival organisers"
    )
    result = cleaner.clean("d", article_text(after=[cut]))
    assert removed(result, "off_topic.trailing_story") == [cut]


def test_a_closing_quote_that_names_the_article_subject_stays(cleaner):
    quote = "“Every branch that stays open on Sunday is a branch that serves a family,” the director said."
    result = cleaner.clean("d", article_text(after=[quote]))
    assert quote in result.cleaned_text


def test_a_related_story_that_shares_words_is_kept_when_complete(cleaner):
    related = (
        "Last year the council also approved new funding for school libraries, which the director said had "
        "helped thousands of pupils."
    )
    result = cleaner.clean("d", article_text(after=[related]))
    assert related in result.cleaned_text


# The same article and glued stories in German and Spanish: coherence works on any language's words.
TITLE_DE = "Stadtrat beschließt höheres Budget für die öffentlichen Bibliotheken"
ART_DE = [
    "Der Stadtrat hat am Dienstag beschlossen, das Budget der öffentlichen Bibliotheken um zwölf Prozent "
    "zu erhöhen, die größte Steigerung seit einem Jahrzehnt.",
    "Mit dem Geld sollen die Filialen auch sonntags geöffnet bleiben und vierzig neue Bibliothekare "
    "eingestellt werden, die Leseprogramme für Kinder anbieten.",
    "Die Direktorin der Bibliotheken sagte im Rat, die Besucherzahlen seien stark gestiegen, seit die "
    "Filialen Laptops verleihen und kostenloses Internet anbieten.",
    "Gegner argumentierten, die Erhöhung erzwinge Kürzungen an anderer Stelle, und zwei Ratsmitglieder "
    "stimmten gegen den Plan der Verwaltung.",
    "Der Bürgermeister soll den Haushalt nächste Woche unterzeichnen, und die neuen Öffnungszeiten "
    "würden im Frühjahr beginnen, sagte die Direktorin nach der Abstimmung.",
]
GLUED_DE = [
    "Tausende Läufer überquerten am Sonntag die Ziellinie des Küstenmarathons, bei dem eine "
    "neunzehnjährige Studentin trotz starken Windes einen Streckenrekord aufstellte und",
    "FESTIVAL: Die Veranstalter des Jazzfestivals im Sommer kündigten vierzig Bands aus zwölf Ländern "
    "an, der Vorverkauf für das dreitägige Fest in der Altstadt beginnt am Ende des",
]
TITLE_ES = "El ayuntamiento aprueba un presupuesto mayor para las bibliotecas públicas"
ART_ES = [
    "El ayuntamiento votó el martes aumentar un doce por ciento el presupuesto de las bibliotecas "
    "públicas, el mayor incremento en una década, tras meses de debate.",
    "Los concejales dijeron que el dinero permitirá abrir las sucursales los domingos y contratar a "
    "cuarenta nuevos bibliotecarios para programas de lectura.",
    "La directora de las bibliotecas dijo al pleno que las visitas han aumentado mucho desde que las "
    "sucursales prestan ordenadores y ofrecen internet gratuito.",
    "Los opositores argumentaron que el aumento obligará a recortar en otras partidas, y dos concejales "
    "votaron en contra del plan del gobierno municipal.",
    "Se espera que el alcalde firme el presupuesto la próxima semana y que el nuevo horario comience en "
    "primavera, dijo la directora después de la votación.",
]
GLUED_ES = [
    "Miles de corredores cruzaron el domingo la meta del maratón de la costa, donde una estudiante de "
    "diecinueve años batió el récord del recorrido pese al fuerte viento y",
    "FESTIVAL: Los organizadores del festival de jazz de verano anunciaron cuarenta bandas de doce "
    "países, y las entradas para los tres días de conciertos en el casco antiguo se venderán a finales del",
]


@pytest.mark.parametrize(
    ("title", "article", "glued", "language"),
    [(TITLE_DE, ART_DE, GLUED_DE, "de"), (TITLE_ES, ART_ES, GLUED_ES, "es")],
)
def test_glued_stories_are_caught_in_other_languages(cleaner, title, article, glued, language):
    result = cleaner.clean("d", "\n\n".join([title, *article, *glued]) + "\n")
    assert result.language == language
    assert removed(result, "off_topic.trailing_story") == glued
    assert kept_all(result, [title, *article])


def test_a_german_article_without_glued_stories_keeps_its_last_paragraph(cleaner):
    result = cleaner.clean("d", "\n\n".join([TITLE_DE, *ART_DE]) + "\n")
    assert removed(result) == []


OTHER_STORIES = [
    "Ferry service resumes after winter storms",
    "Operators said the first crossings would run at reduced capacity while engineers repair the damaged "
    "pier, and passengers were asked to book ahead.",
    "Hospital opens new maternity ward in the north",
    "The ward has forty beds and two operating theatres, and midwives from three regions moved in over the "
    "weekend before the first patients arrived.",
    "Police arrest suspect after jewellery shop robbery",
    "Officers detained a 24-year-old man near the station on Friday night, two days after watches worth "
    "thousands were taken from a shop on the high street.",
]
SAME_STORY_SECTIONS = [
    "What the library budget pays for",
    "Most of the new library money goes to staff: the council budget adds forty librarians and keeps every "
    "branch open on Sundays, the library director said.",
    "How the council voted on the budget",
    "The council approved the library budget by nine votes to two, with the two members against asking "
    "for a review of how the library system spends its money.",
    "When the new library hours begin",
    "The mayor will sign the budget next week, and the branches of the public library will open longer "
    "hours in the spring, council members said.",
]


# The test article has 60 content words; the shipped minimum is meant for real articles. The
# trailing-story rules, which take such teasers on text input first, are off as on an HTML page.
SHORT_REFERENCE = (
    '[rules."related_links.teaser_list"]\nmin_reference_terms = 40\n'
    '[rules."off_topic.trailing_story"]\nenabled = false\n'
    '[rules."related_links.after_article"]\nenabled = false\n'
)


def _cleaner(tmp_path, rules: str):
    from cleaners import Cleaner

    override = tmp_path / "rules.toml"
    override.write_text(rules, encoding="utf-8")
    return Cleaner(rules_path=override)


@pytest.fixture
def short_reference(tmp_path):
    return _cleaner(tmp_path, SHORT_REFERENCE)


def test_headlines_with_summaries_of_other_stories_after_the_article_go(short_reference):
    result = short_reference.clean("d", article_text(after=OTHER_STORIES))
    assert removed(result, "related_links.teaser_list") == OTHER_STORIES
    assert kept_all(result, [TITLE, *ARTICLE])
    assert all("coherence" in r.reason for r in result.removals if r.rule == "related_links.teaser_list")


def cut_off(lines: list[str]) -> list[str]:
    """Headlines with their summaries cut off mid-sentence, as a ticker or a card shows them."""
    return [line if index % 2 == 0 else " ".join(line.split()[:20]) + "..." for index, line in enumerate(lines)]


@pytest.fixture
def teasers_alone(tmp_path):
    """As short_reference, and without navigation.menu_run, which takes lines that end no sentence
    in a run of them first (for the line model to judge): this rule's own decision is tested."""
    return _cleaner(tmp_path, SHORT_REFERENCE + '[rules."navigation.menu_run"]\nenabled = false\n')


def test_headlines_with_cut_off_summaries_above_the_article_go(teasers_alone):
    """A ticker of other stories above the article's headline: compared with the body below it."""
    ticker = cut_off(OTHER_STORIES)
    result = teasers_alone.clean("d", article_text(before=ticker))
    assert removed(result, "related_links.teaser_list") == ticker
    assert kept_all(result, [TITLE, *ARTICLE])
    assert all("before the article" in r.reason for r in result.removals if r.rule == "related_links.teaser_list")


def test_the_articles_own_sections_above_its_body_stay(teasers_alone):
    """Subheadings with their opening words above the body share its words: a table of contents."""
    contents = cut_off(SAME_STORY_SECTIONS)
    result = teasers_alone.clean("d", article_text(before=contents))
    assert removed(result, "related_links.teaser_list") == []
    assert kept_all(result, contents)


def test_headlines_with_cut_off_summaries_after_the_article_go(teasers_alone):
    teasers = cut_off(OTHER_STORIES)
    result = teasers_alone.clean("d", article_text(after=teasers))
    assert removed(result, "related_links.teaser_list") == teasers
    assert all("after the article" in r.reason for r in result.removals if r.rule == "related_links.teaser_list")


def test_an_articles_own_subheadings_and_sections_stay(short_reference):
    result = short_reference.clean("d", article_text(after=SAME_STORY_SECTIONS))
    assert removed(result, "related_links.teaser_list") == []
    assert kept_all(result, SAME_STORY_SECTIONS)


def test_numbered_titles_with_summaries_are_the_articles_own_list(short_reference):
    """A top ten after the article's lead: each item a name and a paragraph about it."""
    numbered = [f"{n}. {line}" if n else line for n, line in zip([1, 0, 2, 0, 3, 0], OTHER_STORIES, strict=True)]
    result = short_reference.clean("d", article_text(after=numbered))
    assert removed(result, "related_links.teaser_list") == []
    assert kept_all(result, numbered)


def test_a_page_of_full_reports_under_their_titles_stays(short_reference):
    """Game capsules, each a title and a whole report: a teaser's summary is a sentence or two."""
    reports = [line if index % 2 == 0 else " ".join([line] * 3) for index, line in enumerate(OTHER_STORIES)]
    result = short_reference.clean("d", article_text(after=reports))
    assert removed(result, "related_links.teaser_list") == []


def test_on_an_html_page_a_long_sentence_case_headline_is_no_wrapped_line(short_reference):
    """In text, a 60-character line in lower case that stops mid-sentence carries on into the next
    line (hard wrapping); an HTML page's lines are its blocks, so there it stays a headline."""
    from cleaners.html import ExtractedPage

    long_titles = [
        line + " as the storm season ends early" if index % 2 == 0 else line for index, line in enumerate(OTHER_STORIES)
    ]
    assert len(long_titles[0]) >= 60
    text = article_text(after=long_titles, blank_lines=False)
    as_text = short_reference.clean("d", text)
    page = ExtractedPage(text, left_out=(), link_shares=(0.0,) * text.count("\n"))
    as_html = short_reference.clean("d", text, page=page)
    assert removed(as_text, "related_links.teaser_list") == []
    assert removed(as_html, "related_links.teaser_list") == long_titles


def test_two_teasers_are_no_list(short_reference):
    result = short_reference.clean("d", article_text(after=OTHER_STORIES[:4]))
    assert removed(result, "related_links.teaser_list") == []


def test_hard_wrapped_lines_are_no_headlines(short_reference):
    """A paragraph wrapped at a fixed width has short lines that end no sentence: no headlines."""
    wrapped = "\n".join(
        [
            "Elsewhere, the harbour ferries were back on",
            "their winter timetable after storms closed the pier for a week, and crews worked at night.",
            "The hospital in the north opened its new",
            "maternity ward with forty beds, and midwives from three regions moved in at the weekend.",
            "Police arrested a man near the station on",
            "Friday, two days after watches worth thousands were taken from a shop on the high street.",
        ]
    )
    result = short_reference.clean("d", article_text(after=[wrapped]))
    assert removed(result, "related_links.teaser_list") == []


def test_a_roundup_of_news_items_under_a_short_introduction_stays(tmp_path):
    """A page whose items are its content (a week's acquisitions, each a headline and a summary)
    holds more words in its list than in the text above it; teasers after an article hold fewer."""
    from cleaners import Cleaner

    introduction = "\n\n".join([TITLE, *ARTICLE[:2]]) + "\n\n"
    text = introduction + "\n\n".join(OTHER_STORIES) + "\n"
    assert sum(len(line.split()) for line in OTHER_STORIES) > sum(len(p.split()) for p in ARTICLE[:2])
    settings = (
        '[rules."related_links.teaser_list"]\nmin_reference_terms = 20\n{}'
        '[rules."off_topic.trailing_story"]\nenabled = false\n'
        '[rules."related_links.after_article"]\nenabled = false\n'
    )
    shipped, unbounded = tmp_path / "shipped.toml", tmp_path / "unbounded.toml"
    shipped.write_text(settings.format(""), encoding="utf-8")
    unbounded.write_text(settings.format("max_words_to_text_above = 100.0\n"), encoding="utf-8")
    assert removed(Cleaner(rules_path=shipped).clean("d", text), "related_links.teaser_list") == []
    assert removed(Cleaner(rules_path=unbounded).clean("d", text), "related_links.teaser_list") == OTHER_STORIES


def test_a_glued_story_joins_by_its_own_topic(cleaner):
    # The paragraph before the cut-off one has no signal of its own, but it is about the marathon too.
    opening = (
        "Organisers of the coastal marathon said more than six thousand runners had entered this year, "
        "twice as many as when the race along the seafront was first held."
    )
    result = cleaner.clean("d", article_text(after=[opening, GLUED[0]]))
    assert removed(result, "off_topic.trailing_story") == [opening, GLUED[0]]
    assert "joins the story after it" in result.removals[0].reason


def test_closing_paragraphs_about_different_things_do_not_join_a_cut_off_one(cleaner):
    # An article's own last paragraphs may each widen the topic with words of their own; what they
    # do not share with the cut-off paragraph after them is a story of its own.
    closing = [
        "Across the region, volunteers have organised evening classes in church halls and schools, "
        "with waiting lists growing every autumn.",
        "Critics in the opposition say the province should pay for heating, roofs and repairs before "
        "anything else is promised to voters.",
    ]
    result = cleaner.clean("d", article_text(after=[*closing, GLUED[0]]))
    assert removed(result, "off_topic.trailing_story") == [GLUED[0]]
    assert kept_all(result, closing)
