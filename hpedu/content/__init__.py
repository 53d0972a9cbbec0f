"""Loading, validating and searching hpedu's content (pure: no UI imports)."""

from .loader import load_content
from .model import CATEGORIES, Content, Entry, Preset, Problem
from .search import Match, resolve, search

__all__ = [
    "CATEGORIES",
    "Content",
    "Entry",
    "Match",
    "Preset",
    "Problem",
    "load_content",
    "resolve",
    "search",
]
