"""Splitting raw text into blocks, and the small measures of a line's shape that rules share."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from functools import lru_cache, wraps
from typing import TypeVar

from .model import Block

R = TypeVar("R")


_DOCUMENT_CACHES: list[dict] = []


def per_document_cache(function: Callable[..., R]) -> Callable[..., R]:
    """Memoizes a function of a line for the document being cleaned.

    Several rules ask the same question of the same line. The cache is emptied when the next
    document starts (`clear_document_caches`), so memory stays flat over any corpus.
    """
    cache: dict = {}
    _DOCUMENT_CACHES.append(cache)

    @wraps(function)
    def call(*args: object) -> R:
        try:
            return cache[args]
        except KeyError:
            value = cache[args] = function(*args)
            return value

    @wraps(function)
    def call_with_one(arg: object) -> R:  # most are functions of a line: no tuple to build a call
        try:
            return cache[arg]
        except KeyError:
            value = cache[arg] = function(arg)
            return value

    return call_with_one if function.__code__.co_argcount == 1 else call


def clear_document_caches() -> None:
    for cache in _DOCUMENT_CACHES:
        cache.clear()


def _combining_marks() -> str:
    """The combining marks of the Basic Multilingual Plane (Unicode categories Mn, Mc, Me), as the
    body of a regular expression's character class. Python's \\w leaves them out, so that without
    them a word of Devanagari, Bengali, Tamil or Thai, whose vowel signs are marks, falls apart at
    every vowel ("मनोरंजन" into three words), and so does a word typed in decomposed form."""
    ranges: list[list[int]] = []
    for code in range(0x10000):
        if unicodedata.category(chr(code)) in ("Mn", "Mc", "Me"):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    return "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in ranges)


_MARKS = _combining_marks()
# A word: a letter or digit, then letters, digits and combining marks, joined by apostrophes and
# hyphens ("don't", "e-mail"); a mark alone (an emoji's variation selector) is none.
WORD_RE = re.compile(rf"\w[\w{_MARKS}]*(?:[’'\-]\w[\w{_MARKS}]*)*")
# What ends a sentence, in the scripts that have their own marks: Latin, Greek and Cyrillic,
# CJK full-width and half-width, Devanagari and other Indic dandas, Arabic and Urdu, Armenian,
# Ethiopic, Myanmar, Khmer and Tibetan, and the doubled marks.
TERMINAL = ".!?。！？．｡।॥؟۔։።፧။។།‼⁇⁈⁉"
_SENTENCE_END_RE = re.compile(rf"(?<=[{re.escape(TERMINAL)}])[\"”’»)\]]*\s+")
_TRAILING_CLOSERS = "\"'”’»)]*"
ELLIPSIS_RE = re.compile(r"(\.\.\.|…)[\"”’»)\]]*$")


# Where a line ends: what str.splitlines() splits at (CR LF as one), so that text saved with lone
# CRs (old Mac files) or Unicode line and paragraph separators is read line by line too.
LINE_BREAK_RE = re.compile("\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_OTHER_BREAKS = ("\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")


def split_lines(text: str) -> list[str]:
    """The text's lines (no line breaks), like str.splitlines() but with a last empty line kept."""
    if not any(mark in text for mark in _OTHER_BREAKS):
        return text.split("\n")  # the common case, at str.split's speed
    return LINE_BREAK_RE.split(text)


def split_blocks(text: str) -> list[Block]:
    """Every non-blank line as a Block, with offsets of its content (no line break, no edge spaces).

    Surrounding white space stays outside the block so that a removal never eats the line break
    and words of neighbouring lines never merge.
    """
    blocks: list[Block] = []
    paragraph = 0
    pos = 0
    previous_blank = False
    for line in split_lines(text):
        stripped = line.strip()
        if stripped:
            if previous_blank and blocks:
                paragraph += 1
            lead = len(line) - len(line.lstrip())
            start = pos + lead
            blocks.append(Block(len(blocks), start, start + len(stripped), stripped, paragraph))
            previous_blank = False
        else:
            previous_blank = True
        pos += len(line)
        pos += 2 if text.startswith("\r\n", pos) else 1  # past the line break
    return blocks


def words(text: str) -> list[str]:
    return WORD_RE.findall(text)


# Scripts written without spaces between words, where one \w+ run is a whole clause: Han and kana
# (a word is about two characters) and Thai, Lao, Khmer, Myanmar (about four).
_HAN_KANA = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SOUTHEAST_ASIAN = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]")


def count_words(text: str) -> int:
    """Words, as a reader of the script would count them: in scripts written without spaces, by
    characters (so that a Japanese paragraph is as long in words as its English translation)."""
    count = len(WORD_RE.findall(text))
    if text.isascii():
        return count
    return count + len(_HAN_KANA.findall(text)) // 2 + len(_SOUTHEAST_ASIAN.findall(text)) // 4


word_count = per_document_cache(count_words)  # the rules ask it of the same lines many times


def batch_line_key(text: str) -> str:
    """A line as batch statistics count it: lower case, white space collapsed (cheap on purpose)."""
    return " ".join(text.lower().split())


@per_document_cache
def normalized(text: str) -> str:
    """Lower-cased words joined by one space: for comparing lines and matching phrases."""
    return " ".join(WORD_RE.findall(text)).lower()  # one lower() (a space ends a final sigma too)


# Thai and Lao mark no sentence's end (a space parts sentences): a line that ends in a letter of
# theirs ends as a sentence does.
_UNMARKED_SENTENCE_END = re.compile(r"[\u0e01-\u0e4e\u0e81-\u0ece]")
QUESTION_MARKS = frozenset("?？؟፧⁇⁈⁉")


def _last_mark(text: str) -> str:
    """The line's last character before closing quotes and brackets ("" for none)."""
    return text.rstrip().rstrip(_TRAILING_CLOSERS)[-1:]


def ends_unmarked(text: str) -> bool:
    """True when the line ends in a letter of a script that marks no sentence's end (Thai, Lao)."""
    return bool(_UNMARKED_SENTENCE_END.match(_last_mark(text)))


def ends_sentence(text: str) -> bool:
    """True when the line ends like a finished sentence (a closing quote after the stop is fine)."""
    last = _last_mark(text)
    return bool(last) and (last in TERMINAL or bool(_UNMARKED_SENTENCE_END.match(last)))


def ends_question(text: str) -> bool:
    """True when the line ends with a question mark of its script (a closing quote after it is fine)."""
    return _last_mark(text) in QUESTION_MARKS


_SIGN_OFF_MARKS = "()[]\"'“”‘’«»,.:;–—-"


def signed_off(text: str, max_words: int = 6, max_note_words: int = 20) -> bool:
    """True when the line's sentences end and a short sign-off follows them: most of its words
    capitalized and the last too or a contact (the author's or agency's name, a contact: '... that
    happens." Mark Hinton, Goal.com'; "– AFP"), or a note in brackets (a wire's credits:
    "(Reporting by Tim Large; Editing by Eric Walsh)"). A story cut off mid-sentence stops in a
    sentence of lower-case words."""
    parts = sentences(text)
    if len(parts) < 2 or not ends_sentence(parts[-2]):
        return False
    last = parts[-1].strip()
    if last.startswith("(") and last.endswith(")") and count_words(last) <= max_note_words:
        return True
    # An e-mail address or a phone number is a contact's, whatever its case; an address alone
    # signs as the reporter's ("... for two months. rhuff@nydailynews.com").
    tokens = parts[-1].split()
    tail = [token for token in tokens if "@" not in token and not any(map(str.isdigit, token))]
    lettered = [bare for token in tail if (bare := token.strip(_SIGN_OFF_MARKS))[:1].isalpha()]
    if not tail:
        return len(tokens) <= max_words and any("@" in token for token in tokens)
    if "@" in tokens[-1] and len(tokens) <= 2 * max_words:  # "Write to her at @jdoe or jdoe@example.com"
        return True
    if not lettered or len(tail) > max_words:
        return False
    if len(tail) == 1:  # one word alone signs as an agency's initials ("AFP", "(BMcC)"), not as "More"
        return tail[0].startswith("(") or tail[0].isupper()
    # A name ends in a capital ("Mark Hinton, Goal.com") or hands over to a contact; a story cut
    # off after a name goes on in lower case ("... the City Museum's curators").
    if tail[-1] == tokens[-1] and not lettered[-1][0].isupper():
        return False
    return 2 * sum(1 for token in lettered if token[0].isupper()) >= len(lettered)


def ends_with_ellipsis(text: str) -> bool:
    return bool(ELLIPSIS_RE.search(text.rstrip()))


def ends_with_colon(text: str) -> bool:
    """A line that introduces what follows it ("The final standings:"), in either width of colon."""
    return text.rstrip()[-1:] in (":", "：")


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END_RE.split(text.strip()) if s.strip()]


def sentence_starts(text: str) -> list[int]:
    """The offsets in the text at which its sentences (as `sentences` splits them) start."""
    return [0, *(match.end() for match in _SENTENCE_END_RE.finditer(text) if match.end() < len(text))]


def is_prose(text: str, min_words: int) -> bool:
    """A line that reads as running text: long enough and ending like a sentence."""
    return word_count(text) >= min_words and ends_sentence(text) and not ends_with_ellipsis(text)


@lru_cache(maxsize=4096)
def script_of(ch: str) -> str:
    """The writing system of a letter: LATIN, CYRILLIC, CJK (Han and kana together), HANGUL, ..."""
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return "UNKNOWN"
    first = name.split(" ", 1)[0]
    if first in {"CJK", "HIRAGANA", "KATAKANA", "HALFWIDTH", "IDEOGRAPHIC"}:
        return "CJK"
    return first


def main_script(text: str, sample: int = 5000) -> str:
    """The writing system most of the first `sample` characters' letters are in (`script_of`)."""
    counts: dict[str, int] = {}
    for ch, count in Counter(text[:sample]).items():  # in the order of first use, as a scan is
        if ch.isalpha():
            script = script_of(ch)
            counts[script] = counts.get(script, 0) + count
    return max(counts, key=counts.__getitem__) if counts else "UNKNOWN"


NUMBER_RE = re.compile(r"^\d+(?:[:.]\d+)*(?:st|nd|rd|th|h)?$", re.IGNORECASE)
# A clock time: "4:12 pm", "16:12", "4.12pm".
CLOCK_TIME = re.compile(r"(?<!\d)(?:[01]?\d|2[0-3])[:.][0-5]\d(?!\d)(?:\s*[ap]\.?m\.?)?", re.IGNORECASE)


# The ASCII characters of each class as str methods judge them, for counting by deletion in C.
_ASCII_ALNUM = bytes(c for c in range(128) if chr(c).isalnum())
_ASCII_SPACE = bytes(c for c in range(128) if chr(c).isspace())
_ASCII_DIGIT = bytes(c for c in range(128) if chr(c).isdigit())


def character_classes(text: str) -> tuple[int, int, int]:
    """How many of the text's characters are letters or digits, white space, digits (as
    str.isalnum, isspace and isdigit judge them). Most lines are ASCII: their bytes are counted by
    deleting a class, a pass in C, instead of a method call per character."""
    if text.isascii():
        raw = text.encode("ascii")
        size = len(raw)
        alnum, space, digit = (
            size - len(raw.translate(None, kind)) for kind in (_ASCII_ALNUM, _ASCII_SPACE, _ASCII_DIGIT)
        )
        return alnum, space, digit
    return sum(map(str.isalnum, text)), sum(map(str.isspace, text)), sum(map(str.isdigit, text))


# A time ago in its short form, as lists of stories stamp their entries ("5h ago", "32m ago",
# "2 hrs ago"): a number with the letter or abbreviation of its unit, or the unit's abbreviation
# after a number, read as such only on a line that says "ago".
_SHORT_AGO_NUMBER = re.compile(r"^\d+(?:[smhdwy]|mins?|hrs?|secs?|wks?|yrs?|mos?)$", re.IGNORECASE)
_SHORT_AGO_UNIT = frozenset(
    ["s", "m", "h", "d", "w", "y", "min", "mins", "hr", "hrs", "sec", "secs", "wk", "wks", "yr", "yrs", "mo", "mos"]
)
_AGO = "ago"


def _short_ago_part(token: str) -> bool:
    """A lower-cased token of a time ago in its short form: "5h", or "hrs" after a number."""
    return bool(_SHORT_AGO_NUMBER.match(token)) or token in _SHORT_AGO_UNIT


def is_date_line(text: str, date_words: frozenset[str], max_words: int = 12) -> bool:
    """A line made only of a date or time: numbers and calendar words, at least one number."""
    tokens = words(text)
    if not tokens or len(tokens) > max_words:
        return False
    tokens = [t.lower() for t in tokens]
    ago = _AGO in tokens  # the short forms count only then: most lines are tested without them
    has_number = any(NUMBER_RE.match(t) or (ago and _SHORT_AGO_NUMBER.match(t)) for t in tokens)
    return has_number and all(NUMBER_RE.match(t) or t in date_words or (ago and _short_ago_part(t)) for t in tokens)


def names_a_day(text: str, date_words: frozenset[str]) -> bool:
    """A date line (`is_date_line`) that names a day, not only a time of day or a figure: with its
    clock times left out, a numeric date ("11/20/2019", "09.01.08"), a calendar word beside a number
    ("Nov 20, 2019", "Jan 16, 7:00 AM"), or a calendar word of four letters or more ("Yesterday",
    "3 hours ago") remains, or a time ago in its short form ("5h ago"). Not "18:08" (a video's
    length), "3:30 - 8:00 pm" (an event's hours), "10:43 GMT", "28.4" or "$17.95" (a table's figures)."""
    if not is_date_line(text, date_words):
        return False
    if _NUMERIC_DATE.search(text):
        return True
    rest = CLOCK_TIME.sub(" ", text)
    tokens = [t.lower() for t in words(rest)]
    if any(_SHORT_AGO_NUMBER.match(t) for t in tokens) and _AGO in tokens:
        return True
    calendar = [t for t in tokens if t.isalpha() and len(t) >= 3 and t in date_words]
    return any(len(t) >= 4 for t in calendar) or (bool(calendar) and any(t.isdigit() for t in tokens))


# A date in figures: day, month and year joined by one kind of mark (slashes, dots or dashes), or
# month and day joined by a slash; not a rating ("4.4/5") nor a price.
_NUMERIC_DATE = re.compile(r"(?<![\d.,/])(?:\d{1,4}([./-])\d{1,2}\1\d{1,4}|\d{1,2}/\d{1,2})(?![\d.,/]?\d)")


_ITEM_NUMBER = re.compile(r"^\s*(\d{1,3})[.)]\s")


def numbered_list(blocks: list[Block]) -> bool:
    """Whether most of the blocks are items numbered in order ("1) ...", "2. ..."): a menu or a list
    of other stories is not numbered, an article's own list (a top ten, a calendar) is."""
    numbers = [int(match.group(1)) for block in blocks if (match := _ITEM_NUMBER.match(block.text))]
    in_order = sum(1 for a, b in itertools.pairwise(numbers) if b == a + 1)
    return len(numbers) >= 3 and 2 * len(numbers) >= len(blocks) and in_order >= len(numbers) - 2


_BRACKETS = frozenset("()[]{}")
_CLOSING_MARKS = frozenset("()[]{};,.")
_CODE_MARKS = frozenset("{};=")


def closes_code(text: str) -> bool:
    """A line of brackets alone ("}", "});", "]"): how code closes a block, as punctuation only."""
    marks = set(text.replace(" ", "").strip())
    return bool(marks) and marks <= _CLOSING_MARKS and not marks.isdisjoint(_BRACKETS)


def reads_as_code(text: str) -> bool:
    """A line with the marks of code (braces, a semicolon, an assignment), or one closing a block."""
    return not _CODE_MARKS.isdisjoint(text) or closes_code(text)


def table_cells(text: str) -> int:
    """How many cells a line holds as a table row (0: none): cells split by tabs, a Markdown row
    ("| a | b |"), or three or more cells joined by " | ". Two items joined by one bar ("Contact |
    Info") are a menu's or a byline's far more often than a table's."""
    line = text.strip()
    if "\t" in line:
        cells = line.split("\t")
    elif line.startswith("|") and line.endswith("|") and line.count("|") >= 3:
        cells = line[1:-1].split("|")
    elif line.count(" | ") >= 2:
        cells = line.split(" | ")
    else:
        return 0
    count = sum(1 for cell in cells if cell.strip())
    return count if count >= 2 else 0


# A table cell that is a quantity: a number, a price, a share, a score or a time ("5040", "$86.79",
# "+12.89%", "3-1", "0:13"), or a dash standing for none.
_QUANTITY_CELL = re.compile(r"^[-+−–]?[$€£¥]?\d[\d.,:/]*(?:\s?%|[-–]\d+)?$|^[-–—]$")
# A flattened table's cells are short, and a row has from three to twelve of them.
_CELL_MAX_WORDS = 6
_ROW_CELLS = range(3, 13)


def _cell_kind(text: str) -> str:
    return "quantity" if _QUANTITY_CELL.match(text.strip()) else "words"


def flattened_tables(blocks: list[Block], min_rows: int) -> list[range]:
    """Block ranges that are a table scraped one cell a line (a standings table: "1", "Kyle
    Busch", "5040", ...): at least `min_rows` rows of three to twelve short cells in a row whose
    columns keep their kind (a quantity, or words), at least two columns of quantities and one of
    words, not every row the same; with the header row above it when one stands there (as many
    short lines: "Branch", "2023", "2024"). A menu has no columns of quantities, a numbered list of other stories
    one, a pager no column of words."""
    kinds = [_cell_kind(block.text) if word_count(block.text) <= _CELL_MAX_WORDS else "long" for block in blocks]
    texts = [block.text for block in blocks]
    quantities = [0, *itertools.accumulate(kind == "quantity" for kind in kinds)]
    widest = _ROW_CELLS[-1]
    # Per row width, from each line on: how many lines in a row equal, in kind and in text, the
    # line a row further down (computed once a width is asked for, so that a long run of rows
    # is walked once, not once from each of its lines).
    same_kind: dict[int, list[int]] = {}
    same_text: dict[int, list[int]] = {}
    found: list[range] = []
    start = 0
    while start < len(blocks):
        if quantities[min(len(blocks), start + widest)] - quantities[start] < 2:
            start += 1  # no row can start here: most lines of most documents
            continue
        best: range | None = None
        for cells in _ROW_CELLS:
            pattern = kinds[start : start + cells]
            if len(pattern) < cells or "long" in pattern:
                break
            if pattern.count("quantity") < 2 or "words" not in pattern:
                continue
            if cells not in same_kind:
                same_kind[cells], same_text[cells] = _runs_alike(kinds, cells), _runs_alike(texts, cells)
            rows = 1 + same_kind[cells][start] // cells
            all_alike = same_text[cells][start] >= (rows - 1) * cells
            if rows >= min_rows and not all_alike and (best is None or rows * cells > len(best)):
                best = range(start, start + rows * cells)
                header = start - cells
                if header >= 0 and "long" not in kinds[header:start]:
                    best = range(header, best.stop)
        if best is None:
            start += 1
            continue
        found.append(best)
        start = best.stop
    return found


def _runs_alike(values: list[str], step: int) -> list[int]:
    """For each position, how many positions in a row from it hold the value `step` further on."""
    runs = [0] * (len(values) + 1)
    for index in range(len(values) - step - 1, -1, -1):
        runs[index] = runs[index + 1] + 1 if values[index] == values[index + step] else 0
    return runs


def table_rows(blocks: list[Block], min_rows: int) -> frozenset[int]:
    """The indices of blocks that are rows of a table: at least `min_rows` lines in a row with the
    same number of cells (`table_cells`), not all the same line. A menu or a footer of links
    joined by bars is one line, or the same line repeated; a table's rows differ and keep their
    columns."""
    rows: set[int] = set()
    for cells, group in itertools.groupby(blocks, key=lambda block: table_cells(block.text)):
        run = list(group)
        if cells and len(run) >= min_rows and len({block.text.strip() for block in run}) > 1:
            rows.update(block.index for block in run)
    return frozenset(rows)
