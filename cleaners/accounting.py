"""Removal spans against a raw text that is never edited, and the one way to cut them out."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator

from .model import Hit, Removal
from .text import split_lines


class RemovalSet:
    """Non-overlapping removal spans, first come first served: a later rule gets only what is left."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: list[int] = []
        self._removals: list[Removal] = []

    def add(self, hit: Hit, rule: str, category: str) -> list[Removal]:
        """Adds what of the hit no earlier removal holds; returns the pieces added."""
        position = bisect.bisect(self._starts, hit.start)
        free = (position == 0 or self._removals[position - 1].end <= hit.start) and (
            position == len(self._starts) or self._starts[position] >= hit.end
        )  # the common case, nothing removed there yet, needs no walk over the removals
        # The free pieces are listed before any is inserted: inserting while _free_pieces walks
        # the removals would shift them under it, and a piece would be added twice.
        pieces = [(hit.start, hit.end)] if free else list(self._free_pieces(hit.start, hit.end))
        added = []
        for start, end in pieces:
            start, end = self._trimmed(start, end)
            if start >= end:
                continue
            removal = Removal(start, end, rule, category, hit.reason, self.text[start:end])
            position = bisect.bisect(self._starts, start)
            self._starts.insert(position, start)
            self._removals.insert(position, removal)
            added.append(removal)
        return added

    def _free_pieces(self, start: int, end: int) -> Iterable[tuple[int, int]]:
        position = max(0, bisect.bisect(self._starts, start) - 1)
        cursor = start
        for index in range(position, len(self._removals)):  # no slice: a copy of the tail each call is quadratic
            removal = self._removals[index]
            if removal.start >= end:
                break
            if removal.end <= cursor:
                continue
            if removal.start > cursor:
                yield cursor, removal.start
            cursor = max(cursor, removal.end)
        if cursor < end:
            yield cursor, end

    def covers(self, start: int, end: int) -> bool:
        """True when every non-space character of text[start:end] is removed."""
        return all(not self.text[a:b].strip() for a, b in self._free_pieces(start, end))

    def drop_rules(self, rules: set[str]) -> list[Removal]:
        """Takes back every removal of the given rules; returns them."""
        dropped = [r for r in self._removals if r.rule in rules]
        self._removals = [r for r in self._removals if r.rule not in rules]
        self._starts = [r.start for r in self._removals]
        return dropped

    def release(self, start: int, end: int) -> list[Removal]:
        """Takes back what of the removals lies in text[start:end] (a line given back); the parts
        of a removal outside it stay removed. Returns what was taken back."""
        kept: list[Removal] = []
        released: list[Removal] = []
        for removal in self._removals:
            if removal.end <= start or removal.start >= end:
                kept.append(removal)
                continue
            inner = (max(start, removal.start), min(end, removal.end))
            released.append(self._piece(removal, *inner))
            for a, b in ((removal.start, start), (end, removal.end)):
                if a < b and self.text[a:b].strip():
                    kept.append(self._piece(removal, a, b))
        kept.sort(key=lambda r: r.start)
        self._removals = kept
        self._starts = [r.start for r in kept]
        return released

    def _trimmed(self, start: int, end: int) -> tuple[int, int]:
        """text[start:end] without its edge white space (start == end when it is all space)."""
        piece = self.text[start:end]
        start += len(piece) - len(piece.lstrip())
        return start, max(start, end - (len(piece) - len(piece.rstrip())))

    def _piece(self, removal: Removal, start: int, end: int) -> Removal:
        """The part of a removal within text[start:end], its edge white space left out."""
        start, end = self._trimmed(start, end)
        return Removal(start, end, removal.rule, removal.category, removal.reason, self.text[start:end])

    def merged(self) -> list[Removal]:
        """The removals, neighbours of one rule and reason joined when only white space is between."""
        chains: list[list[Removal]] = []
        for removal in self._removals:
            previous = chains[-1][-1] if chains else None
            if (
                previous is not None
                and previous.rule == removal.rule
                and previous.reason == removal.reason
                and not self.text[previous.end : removal.start].strip()
            ):
                chains[-1].append(removal)
            else:
                chains.append([removal])
        return [
            chain[0]
            if len(chain) == 1
            else Removal(
                chain[0].start,
                chain[-1].end,
                chain[0].rule,
                chain[0].category,
                chain[0].reason,
                self.text[chain[0].start : chain[-1].end],
            )
            for chain in chains
        ]

    def __iter__(self) -> Iterator[Removal]:
        return iter(list(self._removals))

    def rules(self) -> set[str]:
        """The ids of the rules that removed something."""
        return {r.rule for r in self._removals}

    def removed_chars(self) -> int:
        return sum(len(r.text) for r in self._removals)


def cut_removals(text: str, removals: Iterable[Removal]) -> str:
    """The cleaned article: the raw text with every span cut out, one kept line a paragraph.

    Inside a line the remaining characters are joined as they stand, exactly as a reader of the
    removal log would cut them, so the words of the result are the raw words in their order.
    """
    pieces = []
    cursor = 0
    for removal in sorted(removals, key=lambda r: r.start):
        if removal.start > cursor:
            pieces.append(text[cursor : removal.start])
        cursor = max(cursor, removal.end)
    pieces.append(text[cursor:])
    lines = (line.strip() for line in split_lines("".join(pieces)))
    return "\n\n".join(line for line in lines if line)
