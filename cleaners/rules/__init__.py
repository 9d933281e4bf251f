"""The rules, registered in the order they run: form first, then structure, then topic."""

from . import lines, structure, topic

__all__ = ["lines", "structure", "topic"]
