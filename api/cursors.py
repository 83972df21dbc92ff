"""Opaque cursors for the measurements history: where the last page ended.

A cursor is the last row's (as-of day, id), the order the history is read
in, so the next page starts right after it with one index seek however deep
it is, and rows recorded meanwhile never shift a page the way an offset would.
"""

import base64
import binascii
from dataclasses import dataclass
from datetime import date

from editorial.listing import ListingError

BAD_CURSOR = "That cursor is not one this API gave out: pass `next_cursor` from a previous page unchanged."


@dataclass(frozen=True)
class Cursor:
    as_of: date
    pk: int

    def encode(self) -> str:
        raw = f"{self.as_of.isoformat()}~{self.pk}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> "Cursor":
        """The cursor ``encode`` gave; ListingError (400) for anything else."""
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("ascii")
            day, _, pk = raw.partition("~")
            cursor = cls(date.fromisoformat(day), int(pk))
        except (binascii.Error, UnicodeDecodeError, ValueError):
            raise ListingError(BAD_CURSOR) from None
        if cursor.pk < 1 or not pk.isdigit() or len(day) != 10:
            raise ListingError(BAD_CURSOR)
        return cursor
