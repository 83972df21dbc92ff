"""What a reader typed, checked and split into words before any query runs.

``parse`` never raises: input that cannot be searched comes back with a
``problem`` the page shows instead of results. Words are runs of letters
and digits in any script (``\\w``), so punctuation never reaches a
full-text query and no input can make one fail to parse.
"""

import re
from dataclasses import dataclass, field

MAX_LENGTH = 100
MAX_WORDS = 10

WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Query:
    text: str  # what the reader typed, trimmed: shown back in the search box
    words: list[str] = field(default_factory=list)  # lower-cased, in order, each once
    problem: str = ""  # why nothing was searched, for the reader; empty when words are usable
    status: int = 200

    @property
    def is_empty(self) -> bool:
        return not self.text

    @property
    def ok(self) -> bool:
        return bool(self.words) and not self.problem


def parse(raw: str) -> Query:
    text = " ".join(raw.split())
    if not text:
        return Query(text="")
    if len(text) > MAX_LENGTH:
        return Query(
            text=text[:MAX_LENGTH],
            problem=f"That search is {len(text)} characters long. Keep it to {MAX_LENGTH} characters: "
            "a name or a few words find what you want.",
            status=400,
        )
    if len(text.split()) > MAX_WORDS:
        return Query(
            text=text,
            problem=f"That search has {len(text.split())} words. Use at most {MAX_WORDS}: "
            "every word must match, so fewer words find more.",
            status=400,
        )
    words = list(dict.fromkeys(w.lower() for w in WORD.findall(text)))
    if not words:
        return Query(text=text, problem="There is nothing to search for in that: use letters or digits.")
    return Query(text=text, words=words)


def fts5_match(words: list[str]) -> str:
    """An FTS5 MATCH expression: every word, as a quoted prefix ("djan"*), all required."""
    return " ".join('"' + w.replace('"', '""') + '"*' for w in words)


def tsquery(words: list[str], weight: str = "") -> str:
    """A raw PostgreSQL tsquery: every word as a quoted prefix ('djan':*), all required; `weight` "A": titles only."""
    return " & ".join("'" + w.replace("\\", "\\\\").replace("'", "''") + "':*" + weight for w in words)
