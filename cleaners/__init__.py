"""newsclean's cleaning library: raw text in, kept text and logged removal spans out.

No orchestration lives here (no Prefect): the flows call this library, and so can anyone.
"""

from .accounting import cut_removals
from .model import Block, CleanedDocument, Hit, Rejected, Removal
from .pipeline import Cleaner
from .settings import RulesFileError, load_settings

__all__ = [
    "Block",
    "CleanedDocument",
    "Cleaner",
    "Hit",
    "Rejected",
    "Removal",
    "RulesFileError",
    "cut_removals",
    "load_settings",
]
