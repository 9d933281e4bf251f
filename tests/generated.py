"""A generated corpus with its gold: articles on made-up subjects wrapped in the debris of news sites.

The tools that read a run (explain, log, eval, report) are tested on the seeds and on this: other
subjects, two languages, debris in other wording, and a gold file in the contract's format whose
labels are known because the generator placed every segment.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

SUBJECTS = {
    "en": [
        ("harbour authority", "ferry timetable", "dock workers", "Harbour authority rewrites the ferry timetable"),
        ("water board", "reservoir repairs", "farmers", "Water board sets out a plan for reservoir repairs"),
        ("school district", "bus routes", "parents", "School district redraws its bus routes for the autumn"),
        ("regional hospital", "night clinic", "nurses", "Regional hospital to open a night clinic next month"),
    ],
    "de": [
        ("Hafenbehörde", "den Fährfahrplan", "Hafenarbeiter", "Hafenbehörde schreibt den Fährfahrplan neu"),
        ("Wasserbehörde", "die Reparatur des Stausees", "Landwirte", "Wasserbehörde plant die Reparatur des Stausees"),
        ("Schulbehörde", "die Schulbuslinien", "Eltern", "Schulbehörde ordnet die Buslinien für den Herbst neu"),
        ("Klinikleitung", "die Nachtambulanz", "Pflegekräfte", "Klinikleitung eröffnet bald eine Nachtambulanz"),
    ],
}

ARTICLE = {
    "en": [
        "The {body} announced on Monday that the {plan} would change from next month, after a review "
        "that took most of the year and drew hundreds of comments from {people}.",
        "Officials of the {body} said the {plan} had not been revised for more than a decade and no "
        "longer matched how {people} live and work in the region.",
        "Several {people} told reporters that they welcomed the decision but worried that the {plan} "
        "would cost more than the {body} had promised during the consultation.",
        "The {body} will publish the details of the {plan} on its website, and a public meeting is "
        "planned for the first week of the new schedule.",
        "Critics said the {body} should have asked {people} earlier, because many of them learned of the "
        "{plan} only from the local newspaper.",
    ],
    "de": [
        "Die {body} teilte am Montag mit, dass sich der Plan für {plan} ab dem nächsten Monat ändern werde, "
        "nachdem eine Prüfung fast das ganze Jahr gedauert und Hunderte Stellungnahmen der {people} gebracht hatte.",
        "Vertreter der {body} sagten, der Plan für {plan} sei seit mehr als zehn Jahren nicht überarbeitet "
        "worden und passe nicht mehr dazu, wie die {people} in der Region leben und arbeiten.",
        "Mehrere {people} sagten, sie begrüßten die Entscheidung, fürchteten aber, dass der Plan für "
        "{plan} teurer werde, als die {body} während der Anhörung versprochen habe.",
        "Die {body} will die Einzelheiten über {plan} auf ihrer Internetseite veröffentlichen, und für die "
        "erste Woche ist eine öffentliche Versammlung geplant.",
    ],
}

MENU = {
    "en": ["Home", "Local", "Business", "Sport", "Weather", "Opinion", "Contact"],
    "de": ["Startseite", "Lokales", "Wirtschaft", "Sport", "Wetter", "Meinung", "Kontakt"],
}

DEBRIS = {
    "en": {
        "related_links": ["Related stories", "Storm closes coastal road for two days", "Market hall to reopen in May"],
        "social": ["We use cookies to improve your experience. By continuing to browse you accept our cookie policy."],
        "comments": ["Leave a comment", "You must be logged in to post a comment."],
        "navigation": ["© 2025 The Valley Courier. All rights reserved.", "Terms of use | Privacy policy | Contact us"],
    },
    "de": {
        "related_links": ["Mehr zum Thema", "Sturm sperrt Küstenstraße für zwei Tage", "Markthalle öffnet im Mai"],
        "social": ["Wir verwenden Cookies, um Ihnen ein besseres Nutzungserlebnis zu bieten. Mehr erfahren"],
        "comments": ["Kommentar schreiben", "Sie müssen angemeldet sein, um einen Kommentar zu schreiben."],
        "navigation": ["© 2025 Talbote. Alle Rechte vorbehalten.", "Impressum | Datenschutz | Kontakt"],
    },
}


def write_generated_corpus(raw: Path, gold: Path, *, documents: int = 8, seed: int = 0) -> list[str]:
    """Write `documents` pages into `raw` and their gold into `gold`; return the documents' ids."""
    rng = random.Random(seed)
    raw.mkdir(parents=True, exist_ok=True)
    ids, records = [], []
    for number in range(documents):
        language = "en" if number % 2 == 0 else "de"
        body, plan, people, title = SUBJECTS[language][number // 2 % len(SUBJECTS[language])]
        paragraphs = [sentence.format(body=body, plan=plan, people=people) for sentence in ARTICLE[language]]
        rng.shuffle(paragraphs)
        debris = DEBRIS[language]
        blocks: list[tuple[list[str], str]] = [
            (MENU[language], "navigation"),
            ([title], "keep"),
            (paragraphs[:2], "keep"),
            (debris["social"], "social"),
            (paragraphs[2:], "keep"),
            (debris["related_links"], "related_links"),
            (debris["comments"], "comments"),
            (debris["navigation"], "navigation"),
        ]
        text, segments = "", []
        for lines, label in blocks:
            for line in lines:
                segments.append(
                    {"start": len(text), "end": len(text) + len(line), "label": label, "required": True, "text": line}
                )
                text += line + "\n"
            text += "\n"
        doc_id = f"generated-{number:02d}-{language}"
        (raw / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        ids.append(doc_id)
        records.append({"id": doc_id, "source": f"{doc_id}.txt", "language": language, "segments": segments})
    gold.write_text("".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records), encoding="utf-8")
    return ids


SHARED_LINE = "Printed from the Valley Courier archive for personal reading"


def add_shared_line(raw: Path, ids: list[str], line: str = SHARED_LINE) -> None:
    """Puts one line of the site's, that no rule knows by its words, into the article of each of
    these documents (after its second paragraph): evidence only the corpus statistics give."""
    for doc_id in ids:
        path = raw / f"{doc_id}.txt"
        blocks = path.read_text(encoding="utf-8").split("\n\n")
        blocks.insert(3, line)
        path.write_text("\n\n".join(blocks), encoding="utf-8")
