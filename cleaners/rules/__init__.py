"""The rules, registered in the order they run: form first, then structure, topic, and the region
around the article last. The import order below is that order."""

# ruff: noqa: I001
from . import lines
from . import structure
from . import topic
from . import region

__all__ = ["lines", "region", "structure", "topic"]
