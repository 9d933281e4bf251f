"""The rules, registered in the order they run: form first, then structure, topic, the region
around the article, and the learned block model on what is left. The import order is that order."""

# ruff: noqa: I001
from . import lines
from . import structure
from . import topic
from . import region
from . import model

__all__ = ["lines", "model", "region", "structure", "topic"]
