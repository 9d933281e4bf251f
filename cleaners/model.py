"""The values that travel between decoding, rules, and writing.

Offsets are always Python str indices into the decoded raw text (BOM stripped, nothing
normalized), so that a removal can be checked against the raw file by anyone.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True, slots=True)
class Block:
    """One non-blank line of the raw text; the unit most rules decide on."""

    index: int
    start: int
    end: int
    text: str
    paragraph: int  # index of the blank-line separated group the line belongs to


@dataclass(frozen=True, slots=True)
class Hit:
    """A span a rule wants removed, with the sentence that says why."""

    start: int
    end: int
    reason: str


@dataclass(frozen=True, slots=True)
class Removal:
    """A span that was removed: what the contract's removal log holds."""

    start: int
    end: int
    rule: str
    category: str
    reason: str
    text: str

    def to_dict(self) -> dict:
        return {
            "start": self.start,
            "end": self.end,
            "rule": self.rule,
            "category": self.category,
            "reason": self.reason,
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class Overruled:
    """Removals a rule proposed but the over-removal guard refused."""

    rule: str
    spans: int
    chars: int
    reason: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class TakenBack:
    """A line a revisable rule had taken that the line model gave back to the article."""

    start: int
    end: int
    rule: str
    reason: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(slots=True)
class CleanedDocument:
    """The result of cleaning one decoded document."""

    doc_id: str
    raw_text: str
    cleaned_text: str
    removals: list[Removal]
    language: str
    language_probability: float
    overruled: list[Overruled] = field(default_factory=list)
    taken_back: list[TakenBack] = field(default_factory=list)
    line_model_not_applied: str = ""  # why the line model did not judge it, when it did not
    set_aside: str = ""  # why the HTML extractor's decision gave way to the text rules', when it did

    @property
    def chars_in(self) -> int:
        return len(self.raw_text)

    @property
    def chars_out(self) -> int:
        return len(self.cleaned_text)


class Rejected(Exception):
    """A document that cannot be cleaned; the message is the reason shown to the user."""
