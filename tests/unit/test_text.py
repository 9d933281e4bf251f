"""Lines and blocks: where a line ends, whatever the text was saved with."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleaners.accounting import cut_removals
from cleaners.settings import load_settings
from cleaners.text import (
    character_classes,
    count_words,
    ends_sentence,
    ends_unmarked,
    flattened_tables,
    names_a_day,
    sentences,
    signed_off,
    split_blocks,
    table_rows,
    word_count,
    words,
)
from tests.conftest import REPO


def test_lone_cr_and_unicode_separators_end_lines():
    for text in ("Home\rNews\rThe article.", "Home\u2028News\u2028The article.", "Home\r\nNews\r\nThe article."):
        blocks = split_blocks(text)
        assert [b.text for b in blocks] == ["Home", "News", "The article."]
        assert all(text[b.start : b.end] == b.text for b in blocks)


def test_the_cleaned_text_keeps_lines_apart_at_any_line_break():
    assert cut_removals("Home\rThe article.\u2028Its end.", []) == "Home\n\nThe article.\n\nIts end."


def test_a_long_run_without_words_costs_its_length_not_its_square():
    """A line of ". . . ." took minutes at 40 KB when one regex matched gap and word together. In a
    child process, so that a regression shows as a timeout rather than a test run that never ends."""
    script = (
        "from cleaners import Cleaner\n"
        "Cleaner().clean('d', 'A word, then no word again ' + '. ' * 100_000)\n"
        "from cleaners.topics import content_terms\n"
        "assert content_terms('Word' + '. ' * 100_000, frozenset()) == {'word': False}\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=REPO)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(
    ("text", "at_least"),
    [
        ("東京都は二十日、新しい図書館の建設計画を発表した。", 10),  # 24 characters, no space
        ("北京市政府周二宣布了新的公共图书馆建设计划。", 9),
        ("กรุงเทพมหานครประกาศแผนการสร้างห้องสมุดแห่งใหม่", 8),
    ],
)
def test_words_of_unspaced_scripts_are_counted_by_characters(text, at_least):
    assert count_words(text) >= at_least
    assert word_count(text) == count_words(text)


def test_spaced_scripts_count_words_as_before():
    assert count_words("The council voted on Tuesday.") == 5
    assert count_words("서울시는 새 도서관 건설 계획을 발표했다.") == 6  # Korean is written with spaces


@pytest.mark.parametrize(
    "word",
    [
        "मनोरंजन",  # Devanagari: vowel signs and the anusvara are combining marks
        "टेक्नोलॉजी",  # a virama joins consonants
        "বাংলাদেশ",  # Bengali
        "தமிழ்நாடு",  # Tamil
        "cafe\u0301",  # Latin typed in decomposed form
    ],
)
def test_a_word_holds_its_combining_marks(word):
    assert words(word) == [word] and count_words(word) == 1


def test_an_emoji_s_variation_selector_is_no_word():
    assert words("Great news ❤️ for the library") == ["Great", "news", "for", "the", "library"]


def test_thai_and_lao_end_a_sentence_without_a_mark():
    assert ends_sentence("รถไฟฟ้าสายใหม่เปิดให้บริการอย่างเป็นทางการในวันนี้")
    assert ends_unmarked("รถไฟฟ้าสายใหม่เปิดให้บริการอย่างเป็นทางการในวันนี้")
    assert not ends_sentence("The council voted on Tuesday and")
    assert not ends_unmarked("The council voted on Tuesday.")


def _rows(lines: list[str]) -> list[int]:
    return sorted(table_rows(split_blocks("\n".join(lines) + "\n"), min_rows=3))


@pytest.mark.parametrize(
    "rows",
    [
        ["Drug\tBrand\tFrequency", "Semaglutide\tWegovy\tOnce weekly", "Liraglutide\tSaxenda\tOnce daily"],
        ["| Mover | Rating |", "|---|---|", "| Piece of Cake | 4.66 |", "| Men On The Move | 4.76 |"],
        ["School | In-state | Out-of-state", "Clayton State | $174 | $395", "Georgia Tech | $360 | $1,180"],
    ],
)
def test_rows_with_the_same_cells_are_a_table(rows):
    assert _rows(["An article about costs.", *rows, "It ends here."]) == list(range(1, len(rows) + 1))


@pytest.mark.parametrize(
    "lines",
    [
        ["Smart | Active | Recent | This Author"] * 4,  # the same menu line repeated
        ["Freebies | Favs", "Contact | Info", "About | Shows"],  # two items a line: menus, bylines
        ["Home | News | Sport", "Weather | Opinion"],  # the cells change from line to line
        ["School | In-state | Out-of-state", "Clayton State | $174 | $395"],  # too few rows
    ],
)
def test_a_menu_joined_by_bars_is_no_table(lines):
    assert _rows(lines) == []


STANDINGS = ["Pos.", "Driver", "Points", "Wins", "1", "Kyle Busch", "5040", "5", "2", "Martin Truex Jr.", "5035", "7"]
STANDINGS += ["3", "Kevin Harvick", "5033", "4", "4", "Denny Hamlin", "5027", "6"]


def _flattened(lines: list[str]) -> list[list[str]]:
    blocks = split_blocks("\n".join(lines) + "\n")
    return [[blocks[i].text for i in table] for table in flattened_tables(blocks, min_rows=3)]


def test_a_table_scraped_one_cell_a_line_is_found_with_its_header():
    lines = ["Final standings after 36 races:", *STANDINGS, "The season ends in Phoenix."]
    assert _flattened(lines) == [STANDINGS]
    prices = ["Stock", "Price", "Change", "Apple", "$186.79", "+1.89%", "Intel", "$34.44", "-0.17%"]
    prices += ["IBM", "$141.0", "0%"]
    assert _flattened(prices) == [prices]


def _flattened_row_by_row(blocks, min_rows):
    """flattened_tables as its definition reads: from each line, each row width, row after row."""
    from cleaners.text import _ROW_CELLS, _cell_kind

    kind = [_cell_kind(b.text) if word_count(b.text) <= 6 else "long" for b in blocks]
    found, line = [], 0
    while line < len(blocks):
        table = None
        for width in _ROW_CELLS:
            if line + width > len(blocks) or "long" in kind[line : line + width]:
                break
            first = kind[line : line + width]
            if sum(k == "quantity" for k in first) < 2 or all(k != "words" for k in first):
                continue
            count = 1
            while kind[line + count * width : line + (count + 1) * width] == first:
                count += 1
            texts = {tuple(b.text for b in blocks[line + r * width : line + (r + 1) * width]) for r in range(count)}
            if count >= min_rows and len(texts) > 1 and (table is None or count * width > len(table)):
                above = line - width
                table = range(above if above >= 0 and "long" not in kind[above:line] else line, line + count * width)
        if table:
            found.append(table)
        line = table.stop if table else line + 1
    return found


CELLS = ["1", "2", "3.5", "$4", "-", "+3%", "foo", "bar", "Kyle Busch", "a line of far more than six words in it"]


@given(st.lists(st.sampled_from(CELLS), max_size=60), st.integers(min_value=2, max_value=4))
def test_the_search_for_flattened_tables_finds_what_a_row_by_row_search_finds(lines, min_rows):
    """The search walks each run of rows once (a long run of one repeated row cost its square);
    it finds the same tables as reading from each line, row after row."""
    blocks = split_blocks("\n".join(lines) + "\n")
    assert flattened_tables(blocks, min_rows) == _flattened_row_by_row(blocks, min_rows)


@pytest.mark.parametrize(
    "lines",
    [
        ["Home", "News", "Sport", "Weather", "Home", "News", "Sport", "Weather", "Home", "News"],  # no quantities
        ["1", "Woman dies after fall", "2", "Flat plan row", "3", "Youth fires shots", "4", "Deacon is serious"],
        ["1", "2", "3", "4", "5", "6", "7", "8", "9", "Next"],  # a pager: no column of words
        ["1", "Kyle Busch", "5040", "1", "Kyle Busch", "5040", "1", "Kyle Busch", "5040"],  # one row repeated
        ["1", "Kyle Busch", "5040", "2", "Martin Truex Jr.", "5035"],  # two rows
    ],
)
def test_menus_ranked_lists_and_pagers_are_no_flattened_table(lines):
    assert _flattened(lines) == []


@pytest.mark.parametrize(
    "line",
    [
        "राजधानी में आज नई मेट्रो लाइन का उद्घाटन किया गया।",  # Devanagari danda
        "هل سيخفف الخط الجديد الزحام في وسط المدينة؟",  # Arabic question mark
        "نئی لائن کا افتتاح آج کیا گیا۔",  # Urdu full stop
        "Մետրոյի նոր գիծը բացվեց այսօր։",  # Armenian full stop
        "አዲሱ የባቡር መስመር ዛሬ ተከፈተ።",  # Ethiopic full stop
        "ရထားလမ်းသစ်ကို ယနေ့ ဖွင့်လှစ်ခဲ့သည်။",  # Myanmar section mark
        "ផ្លូវរថភ្លើងថ្មីត្រូវបានបើកនៅថ្ងៃនេះ។",  # Khmer full stop
        "东京新线今天开通．",  # full-width full stop
    ],
)
def test_sentences_end_with_the_full_stops_of_their_script(line):
    assert ends_sentence(line)


def test_sentences_split_at_a_danda():
    text = "नई मेट्रो लाइन का उद्घाटन हुआ। इसमें चौदह स्टेशन हैं।"
    assert sentences(text) == ["नई मेट्रो लाइन का उद्घाटन हुआ।", "इसमें चौदह स्टेशन हैं।"]


@pytest.mark.parametrize(
    ("line", "signed"),
    [
        ('"We are winning games while that happens." Mark Hinton, Goal.com', True),
        ("The road reopens on Monday. Jayda Evans: 206-464-2067 or jevans@example.com", True),
        ("The school hours rise to five a week. – AFP", True),
        ("Shares fell by a tenth. (BMcC)", True),
        ("Production has been halted for two months. rhuff@example.com", True),
        ("The rooms reopened after a decade of work. City Museum curators", False),
        ("It spreads good ideas. Find him at @rmiller or rmiller@example.com", True),
        ("The firm reported a loss. 2,400", False),
        ("The open runs from Jan. 14-27. (Writing by Greg Stutchbury; Editing by John O'Brien)", True),
        ("The firm reported a loss. The chief executive (who joined last year", False),
        ("Take a look at other celebrities with beards. More", False),
        ("The firm reported a loss. Analysts had expected the company to report", False),
        ("The firm reported a loss.", False),
        ("No sentence ends here at all", False),
    ],
)
def test_a_sign_off_after_the_last_sentence(line, signed):
    assert signed_off(line) is signed


@pytest.mark.parametrize(
    ("line", "dated"),
    [
        ("Nov. 20, 2019 12:00 AM EST", True),
        ("11/20/2019 01:14 PM", True),
        ("09.01.08 00:09", True),
        ("Jan 16, 7:00 AM", True),
        ("Yesterday at 10:32", True),
        ("3 hours ago", True),
        ("5H ago", True),
        ("updated 32m ago", True),
        ("2 hrs ago", True),
        ("5h", False),
        ("16d", False),
        ("350W", False),
        ("18:08", False),
        ("3:30 - 8:00 pm", False),
        ("10:43 GMT", False),
        ("28.4", False),
        ("$17.95 - $108.95", False),
        ("4.4/5", False),
    ],
)
def test_names_a_day(line, dated):
    assert names_a_day(line, frozenset(load_settings()["text"]["date_words"])) is dated


@pytest.mark.parametrize(
    "text",
    ["Troy, Mich. 12:45 pm\t(AP)", "", "   ", "\x1c\x1f\x0b", "Zürich 2019 — ١٢٣ ⅷ ²", "東京 2019年 ４月"],
)
def test_character_classes_count_as_the_str_methods_do(text):
    expected = (sum(map(str.isalnum, text)), sum(map(str.isspace, text)), sum(map(str.isdigit, text)))
    assert character_classes(text) == expected


@given(st.text())
def test_character_classes_count_any_text_as_the_str_methods_do(text):
    expected = (sum(map(str.isalnum, text)), sum(map(str.isspace, text)), sum(map(str.isdigit, text)))
    assert character_classes(text) == expected
