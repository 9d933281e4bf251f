"""Off-topic trailing stories: unrelated and cut off goes, widening the topic stays."""

from __future__ import annotations

import pytest

from tests.conftest import ARTICLE, TITLE, article_text, kept_all, removed

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


def test_a_last_paragraph_that_widens_the_topic_stays(cleaner):
    widening = (
        "Across the country, spending on public services has been squeezed by rising energy costs and "
        "inflation, and several regions have cut museum and sports funding this year."
    )
    result = cleaner.clean("d", article_text(after=[widening]))
    assert widening in result.cleaned_text
    assert removed(result) == []


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
